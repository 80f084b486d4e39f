import { z } from 'zod';
import { ymdDate } from '../common.js';
import { defineEvent } from '../define.js';
import { coworkingCompany } from './objects.js';
import { cnpj, conexaDateTime, cpf, email, entityId, label, phone } from './primitives.js';

const customerId = entityId.describe('Customer ID');
const customerName = label.describe('Name / corporate name');
// Only companies have a trade name; an individual customer has none.
const tradeName = z.string().nullable().describe('Trade name');
const firstName = label.describe('First name');
const company = coworkingCompany.describe('The unit the customer belongs to');

/** Payload of `coworking.customer.created` (Cadastro). */
export const customerCreatedData = z.object({
  customerId,
  name: customerName,
  tradeName,
  firstName,
  isJuridicalPerson: z
    .boolean()
    .describe(
      'Whether the customer is a legal entity (Pessoa Jurídica); when false the customer is an individual (Pessoa Física)',
    ),
  isForeign: z.boolean().describe('Whether the customer is foreign'),
  // cpf, rg and birthDate are documented as filled only for individuals, cnpj and
  // foundationDate only for legal entities: null otherwise.
  cpf: cpf.nullable().describe('CPF (only filled when the customer is an individual)'),
  cnpj: cnpj.nullable().describe('CNPJ (only filled when the customer is a legal entity)'),
  rg: z.string().min(1).nullable().describe('RG (only filled when the customer is an individual)'),
  // A legal entity has no profession.
  profession: z.string().nullable().describe('Profession'),
  birthDate: ymdDate.nullable().describe('Date of birth, Y-m-d; only filled when the customer is an individual'),
  // Documented as "fundationDate" (see deviations.ts).
  foundationDate: ymdDate
    .nullable()
    .describe('Foundation date, Y-m-d; only filled when the customer is a legal entity'),
  emails: z.array(email).describe('E-mail addresses messages are sent to'),
  emailsFinancialMessages: z.array(email).describe('E-mail addresses financial notices are sent to'),
  // A customer may be registered without a mobile number.
  cellNumber: phone.nullable().describe('Mobile phone number'),
  phones: z.array(phone).describe('Phone numbers'),
  company,
  // A customer need not have a website.
  website: z.string().nullable().describe('Website'),
  notes: z.string().nullable().describe('Notes'), // free text, may be left empty
  // Not every customer has a field of activity recorded (e.g. an individual).
  fieldOfActivity: z.string().nullable().describe('Field of activity'),
  // Documented as "cratedAt" (see deviations.ts).
  createdAt: conexaDateTime.describe('Creation date, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)'),
});

/** Payload of `coworking.customer.edited` (Edição): the created payload plus `isActive`. */
export const customerEditedData = customerCreatedData.extend({
  website: z.string().nullable().describe("Customer's website"),
  // The document describes isActive as "indicates whether the customer is deactivated", which
  // contradicts its name; the name is followed: true means the customer is active.
  isActive: z.boolean().describe('Whether the customer is active (true) or deactivated (false)'),
});

/** Payload shared by `coworking.customer.deleted`, `.blocked` and `.unblocked`. */
export const customerSummaryData = z.object({
  customerId,
  name: customerName,
  tradeName,
  firstName,
  company,
});

const exampleCompany = { id: 3, name: 'Conexa Coworking Savassi' };

export const customerCreated = defineEvent({
  type: 'coworking.customer.created',
  domain: 'coworking',
  description:
    'Fires when a new customer is registered, including registrations through the public sign-up form and through online plan purchase.',
  sourceName: 'Cadastro',
  initiator: 'user',
  data: customerCreatedData,
  example: {
    customerId: 1842,
    name: 'Araújo & Lima Consultoria Ltda',
    tradeName: 'Araújo Lima Consultoria',
    firstName: 'Araújo',
    isJuridicalPerson: true,
    isForeign: false,
    cpf: null,
    cnpj: '11.222.333/0001-81',
    rg: null,
    profession: null,
    birthDate: null,
    foundationDate: '2015-03-02',
    emails: ['contato@araujolima.com.br'],
    emailsFinancialMessages: ['financeiro@araujolima.com.br'],
    cellNumber: '(31) 99876-5432',
    phones: ['(31) 3281-4470'],
    company: exampleCompany,
    website: 'https://www.araujolima.com.br',
    notes: 'Indicado pelo cliente Marcos Tavares.',
    fieldOfActivity: 'Consultoria empresarial',
    createdAt: '2026-11-23T09:05:41-03:00',
  },
});

export const customerEdited = defineEvent({
  type: 'coworking.customer.edited',
  domain: 'coworking',
  description: "Fires when a customer's registration is edited.",
  sourceName: 'Edição',
  initiator: 'user',
  data: customerEditedData,
  example: {
    customerId: 1907,
    name: 'Fernanda Ribeiro Costa',
    tradeName: null,
    firstName: 'Fernanda',
    isJuridicalPerson: false,
    isForeign: false,
    cpf: '529.982.247-25',
    cnpj: null,
    rg: 'MG-14.325.678',
    profession: 'Arquiteta',
    birthDate: '1990-07-14',
    foundationDate: null,
    emails: ['fernanda.costa@gmail.com'],
    emailsFinancialMessages: ['fernanda.costa@gmail.com'],
    cellNumber: '(31) 98123-4567',
    phones: [],
    company: exampleCompany,
    website: null,
    isActive: true,
    notes: null,
    fieldOfActivity: 'Arquitetura',
    createdAt: '2026-10-02T14:20:00-03:00',
  },
});

const exampleSummary = {
  customerId: 1842,
  name: 'Araújo & Lima Consultoria Ltda',
  tradeName: 'Araújo Lima Consultoria',
  firstName: 'Araújo',
  company: exampleCompany,
};

export const customerDeleted = defineEvent({
  type: 'coworking.customer.deleted',
  domain: 'coworking',
  description: 'Fires when a customer is deleted.',
  sourceName: 'Exclusão',
  initiator: 'user',
  data: customerSummaryData,
  example: exampleSummary,
});

export const customerBlocked = defineEvent({
  type: 'coworking.customer.blocked',
  domain: 'coworking',
  description: 'Fires when a customer is blocked.',
  sourceName: 'Bloqueio',
  initiator: 'user',
  data: customerSummaryData,
  example: exampleSummary,
});

export const customerUnblocked = defineEvent({
  type: 'coworking.customer.unblocked',
  domain: 'coworking',
  description: 'Fires when a customer is unblocked.',
  sourceName: 'Desbloqueio',
  initiator: 'user',
  data: customerSummaryData,
  example: {
    ...exampleSummary,
    customerId: 1907,
    name: 'Fernanda Ribeiro Costa',
    tradeName: null,
    firstName: 'Fernanda',
  },
});

export const customerEvents = [
  customerCreated,
  customerEdited,
  customerDeleted,
  customerBlocked,
  customerUnblocked,
] as const;
