import { z } from 'zod';
import { ymdDate } from '../common.js';
import { defineEvent } from '../define.js';
import { coworkingCompany, coworkingCustomer, personForeignData } from './objects.js';
import { cpf, email, entityId, label, phone } from './primitives.js';

/** Marital status: single, married, divorced, widowed, "not informed". */
export const maritalStatus = z
  .enum(['single', 'married', 'divorced', 'widowed', 'not informed'])
  .describe("Person's marital status: single, married, divorced, widowed or not informed");

const personId = entityId.describe('Person ID');
const personName = label.describe('Name');
const customer = coworkingCustomer.describe('The customer the person is linked to');
const company = coworkingCompany.describe('The unit linked to the customer');

/** Payload of `coworking.person.created` (Cadastro). */
export const personCreatedData = z.object({
  personId,
  name: personName,
  customer,
  company,
  isForeign: z.boolean().describe('Whether the person is foreign'),
  // Only a foreign person has foreign data.
  foreignData: personForeignData
    .nullable()
    .describe("A foreign person's document and address; null for a Brazilian person"),
  // A foreign person has no CPF or RG, and neither is required for a person.
  cpf: cpf.nullable().describe('CPF'),
  rg: z.string().min(1).nullable().describe('RG'),
  maritalStatus,
  // Personal details that may not have been informed.
  profession: z.string().nullable().describe('Profession'),
  birthDate: ymdDate.nullable().describe('Date of birth, Y-m-d'),
  emails: z.array(email).describe('E-mail addresses'),
  cellPhone: phone.nullable().describe('Mobile phone number'),
  phones: z.array(phone).describe('Phone numbers'),
  notes: z.string().nullable().describe('Notes'), // free text, may be left empty
  briefResume: z.string().nullable().describe('Short résumé (CV)'),
});

/** Payload of `coworking.person.edited` (Edição): the created payload plus `isActive`. */
export const personEditedData = personCreatedData.extend({
  isActive: z.boolean().describe('Whether the person is active'),
});

/** Payload shared by `coworking.person.deleted`, `.blocked` and `.unblocked`. */
export const personSummaryData = z.object({
  personId,
  name: personName,
  customer,
  company,
});

const exampleCustomer = {
  id: 1842,
  name: 'Araújo & Lima Consultoria Ltda',
  tradeName: 'Araújo Lima Consultoria',
  firstName: 'Araújo',
  cellNumber: '(31) 99876-5432',
  phones: ['(31) 3281-4470'],
  emails: ['contato@araujolima.com.br'],
  emailsFinancialMessages: ['financeiro@araujolima.com.br'],
};
const exampleCompany = { id: 3, name: 'Conexa Coworking Savassi' };

export const personCreated = defineEvent({
  type: 'coworking.person.created',
  domain: 'coworking',
  description: 'Fires whenever a person is registered.',
  sourceName: 'Cadastro',
  initiator: 'user',
  data: personCreatedData,
  example: {
    personId: 4415,
    name: 'Rafael Souza Lima',
    customer: exampleCustomer,
    company: exampleCompany,
    isForeign: false,
    foreignData: null,
    cpf: '390.533.447-05',
    rg: 'MG-17.654.321',
    maritalStatus: 'married',
    profession: 'Consultor financeiro',
    birthDate: '1986-02-09',
    emails: ['rafael.lima@araujolima.com.br'],
    cellPhone: '(31) 99711-2233',
    phones: ['(31) 3281-4470'],
    notes: null,
    briefResume: 'Economista pela UFMG, 12 anos em consultoria para pequenas empresas.',
  },
});

export const personEdited = defineEvent({
  type: 'coworking.person.edited',
  domain: 'coworking',
  description: 'Fires whenever a person is edited.',
  sourceName: 'Edição',
  initiator: 'user',
  data: personEditedData,
  example: {
    personId: 4416,
    name: 'Lucía Fernández',
    customer: exampleCustomer,
    company: exampleCompany,
    isForeign: true,
    foreignData: {
      id: 58,
      document: 'AAF482913',
      country: 'Argentina',
      city: 'Córdoba',
      state: 'Córdoba',
      street: 'Avenida Colón',
      number: '1450',
      additionalDetails: 'Piso 3, Depto B',
      neighborhood: 'Alberdi',
      zipcode: 'X5000',
    },
    cpf: null,
    rg: null,
    maritalStatus: 'not informed',
    profession: 'Designer',
    birthDate: null,
    emails: ['lucia.fernandez@araujolima.com.br'],
    cellPhone: '+54 9 351 555-0192',
    phones: [],
    notes: 'Acesso liberado apenas às terças e quintas.',
    briefResume: null,
    isActive: true,
  },
});

const exampleSummary = {
  personId: 4415,
  name: 'Rafael Souza Lima',
  customer: exampleCustomer,
  company: exampleCompany,
};

export const personDeleted = defineEvent({
  type: 'coworking.person.deleted',
  domain: 'coworking',
  description: 'Fires whenever a person is deleted.',
  sourceName: 'Exclusão',
  initiator: 'user',
  data: personSummaryData,
  example: exampleSummary,
});

export const personBlocked = defineEvent({
  type: 'coworking.person.blocked',
  domain: 'coworking',
  description: 'Fires whenever a person is deactivated (blocked).',
  sourceName: 'Bloqueio',
  initiator: 'user',
  data: personSummaryData,
  example: exampleSummary,
});

export const personUnblocked = defineEvent({
  type: 'coworking.person.unblocked',
  domain: 'coworking',
  description: 'Fires whenever a person is reactivated (unblocked).',
  sourceName: 'Desbloqueio',
  initiator: 'user',
  data: personSummaryData,
  example: exampleSummary,
});

export const personEvents = [personCreated, personEdited, personDeleted, personBlocked, personUnblocked] as const;
