// The customer (cliente), person (pessoa) and lead (cliente potencial) commands.
import { customerCreatedData, leadData, personCreatedData } from '@hookline/events';
import { z } from 'zod';
import { id, text, company, customerFilled, refresh, none, defineCommand, patchOf } from './define.js';

// ---------------------------------------------------------------------------
// Customer (cliente)
// ---------------------------------------------------------------------------

const customer = customerCreatedData.shape;

const customerFields = {
  name: text('Name (individual) or corporate name (legal entity).'),
  tradeName: customer.tradeName.default(null).describe('Trade name (nome fantasia); null (default) for an individual.'),
  firstName: customer.firstName.optional().describe('First name; omitted: the first word of the name.'),
  isJuridicalPerson: customer.isJuridicalPerson,
  isForeign: customer.isForeign.default(false).describe('Whether the customer is foreign; false by default.'),
  cpf: customer.cpf.default(null).describe('CPF, individuals only; null (default) otherwise.'),
  cnpj: customer.cnpj.default(null).describe('CNPJ, legal entities only; null (default) otherwise.'),
  rg: customer.rg.default(null).describe('RG, individuals only; null (default) otherwise.'),
  profession: customer.profession.default(null).describe('Profession; null (default) when not informed.'),
  birthDate: customer.birthDate
    .default(null)
    .describe('Date of birth, Y-m-d, individuals only; null (default) otherwise.'),
  foundationDate: customer.foundationDate
    .default(null)
    .describe('Foundation date, Y-m-d, legal entities only; null (default) otherwise.'),
  emails: customer.emails.default(() => []).describe('E-mail addresses messages are sent to; none by default.'),
  emailsFinancialMessages: customer.emailsFinancialMessages
    .default(() => [])
    .describe('E-mail addresses financial notices are sent to; none by default.'),
  cellNumber: customer.cellNumber.default(null).describe('Mobile phone number; null (default) when none.'),
  phones: customer.phones.default(() => []).describe('Phone numbers; none by default.'),
  website: customer.website.default(null).describe('Website; null (default) when none.'),
  notes: customer.notes.default(null).describe('Notes; null (default) when empty.'),
  fieldOfActivity: customer.fieldOfActivity
    .default(null)
    .describe('Field of activity; null (default) when not recorded.'),
};

export const createCustomer = defineCommand(
  'create_customer',
  'customer',
  'A customer is registered (by a user, the public sign-up form or an online plan purchase).',
  customerFields,
  { customerId: id('ID of the new customer (server-generated).'), company },
);

export const editCustomer = defineCommand(
  'edit_customer',
  'customer',
  "A user edits the customer's registration; every edit publishes coworking.customer.edited with the whole record.",
  {
    ...patchOf(customerFields),
    isActive: z
      .boolean()
      .optional()
      .describe('False deactivates the customer, true reactivates it. Omitted: unchanged.'),
  },
  none,
);

export const deleteCustomer = defineCommand('delete_customer', 'customer', 'A user deletes the customer.', none, none);
export const blockCustomer = defineCommand(
  'block_customer',
  'customer',
  'A user blocks the customer (e.g. for unpaid charges).',
  none,
  none,
);
export const unblockCustomer = defineCommand(
  'unblock_customer',
  'customer',
  'A user unblocks a blocked customer.',
  none,
  none,
);

// ---------------------------------------------------------------------------
// Person (pessoa)
// ---------------------------------------------------------------------------

const person = personCreatedData.shape;

const personFields = {
  name: text("Person's name."),
  isForeign: person.isForeign.default(false).describe('Whether the person is foreign; false by default.'),
  foreignData: person.foreignData
    .default(null)
    .describe("A foreign person's document and address; null (default) for a Brazilian person."),
  cpf: person.cpf.default(null).describe('CPF; null (default) when not informed.'),
  rg: person.rg.default(null).describe('RG; null (default) when not informed.'),
  maritalStatus: person.maritalStatus.default('not informed').describe("Marital status; 'not informed' by default."),
  profession: person.profession.default(null).describe('Profession; null (default) when not informed.'),
  birthDate: person.birthDate.default(null).describe('Date of birth, Y-m-d; null (default) when not informed.'),
  emails: person.emails.default(() => []).describe('E-mail addresses; none by default.'),
  cellPhone: person.cellPhone.default(null).describe('Mobile phone number; null (default) when none.'),
  phones: person.phones.default(() => []).describe('Phone numbers; none by default.'),
  notes: person.notes.default(null).describe('Notes; null (default) when empty.'),
  briefResume: person.briefResume.default(null).describe('Short résumé; null (default) when none.'),
};

export const createPerson = defineCommand(
  'create_person',
  'person',
  'A user registers a person linked to a customer.',
  { customerId: id('ID of the customer the person is linked to.'), ...personFields },
  { personId: id('ID of the new person (server-generated).'), customer: customerFilled, company },
);

export const editPerson = defineCommand(
  'edit_person',
  'person',
  'A user edits the person; every edit publishes coworking.person.edited.',
  patchOf(personFields),
  refresh,
);
export const deletePerson = defineCommand('delete_person', 'person', 'A user deletes the person.', none, refresh);
export const blockPerson = defineCommand(
  'block_person',
  'person',
  'A user deactivates (blocks) the person.',
  none,
  refresh,
);
export const unblockPerson = defineCommand(
  'unblock_person',
  'person',
  'A user reactivates (unblocks) the person.',
  none,
  refresh,
);

// ---------------------------------------------------------------------------
// Lead (cliente potencial)
// ---------------------------------------------------------------------------

const lead = leadData.shape;

const leadFields = {
  status: lead.status.default('Interested').describe("Negotiation status; 'Interested' by default."),
  partner: lead.partner.default(null).describe('The partner who referred the lead; null (default) when none.'),
  customerName: text("The lead's name."),
  phones: lead.phones.default(() => []).describe('Phone numbers; none by default.'),
  interestServices: lead.interestServices.default(() => []).describe('Services of interest; none by default.'),
  fieldOfActivity: lead.fieldOfActivity.default(() => []).describe('Fields of activity; none by default.'),
  emails: lead.emails.default(() => []).describe('E-mail addresses; none by default.'),
  isReceiveInformativeEmail: lead.isReceiveInformativeEmail
    .default(false)
    .describe('Whether the lead agrees to receive informative e-mails; false by default.'),
  contactMethod: lead.contactMethod.default(() => []).describe('How the lead got in touch; none by default.'),
  website: lead.website.default(null).describe('Website; null (default) when none.'),
  notes: lead.notes.default(null).describe('Notes; null (default) when empty.'),
};

export const createLead = defineCommand(
  'create_lead',
  'lead',
  'A user registers a lead (potential customer) in the CRM.',
  leadFields,
  { potentialCustomerId: id('ID of the new lead (server-generated).'), company },
);
export const editLead = defineCommand(
  'edit_lead',
  'lead',
  'A user edits the lead; every edit publishes coworking.lead.edited.',
  patchOf(leadFields),
  none,
);
export const deleteLead = defineCommand('delete_lead', 'lead', 'A user deletes the lead.', none, none);
