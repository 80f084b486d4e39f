import { z } from 'zod';
import { defineEvent } from '../define.js';
import { conexaUser, coworkingCompany, coworkingCustomer, customerServiceRequester } from './objects.js';
import { conexaDateTime, entityId } from './primitives.js';

/** Customer-service contact type: "Phone Call" (Telefonema) or "Face-to-face Visit" (Visita Presencial). */
export const customerServiceType = z
  .enum(['Phone Call', 'Face-to-face Visit'])
  .describe('Type of customer-service contact: Phone Call or Face-to-face Visit');

const customerServiceId = entityId.describe('Customer-service contact ID');
const customer = coworkingCustomer.describe('The customer the contact is about');
const company = coworkingCompany.describe('The unit of the customer');
const user = conexaUser.describe('The user who registered the customer-service contact');

/** Payload shared by `coworking.customer_service.created` and `.created_blocked_customer`. */
export const customerServiceCreatedData = z.object({
  customerServiceId,
  type: customerServiceType,
  customer,
  requester: customerServiceRequester,
  company,
  user,
  messageText: z.string().describe('Message registered in the customer-service contact'),
  createdAt: conexaDateTime.describe(
    'Date the customer-service contact was created, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)',
  ),
});

/** Payload of `coworking.customer_service.deleted` (Exclusão). */
export const customerServiceDeletedData = z.object({
  customerServiceId,
  type: customerServiceType,
  customer,
  requester: customerServiceRequester,
  company,
  user,
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
const exampleRequester = {
  name: 'Rafael Souza Lima',
  phones: ['(31) 99711-2233'],
  email: 'rafael.lima@araujolima.com.br',
  company: 'Araújo & Lima Consultoria',
};
const exampleCompany = { id: 3, name: 'Conexa Coworking Savassi' };
const exampleUser = { id: 21, name: 'Juliana Mendes' };

export const customerServiceCreated = defineEvent({
  type: 'coworking.customer_service.created',
  domain: 'coworking',
  description: 'Fires whenever a customer-service contact is registered for a customer that is not blocked.',
  sourceName: 'Cadastro',
  initiator: 'user',
  data: customerServiceCreatedData,
  example: {
    customerServiceId: 6120,
    type: 'Phone Call',
    customer: exampleCustomer,
    requester: exampleRequester,
    company: exampleCompany,
    user: exampleUser,
    messageText: 'Solicitou a segunda via do boleto de novembro e a troca da sala fixa para o 3º andar.',
    createdAt: '2026-11-23T10:47:12-03:00',
  },
});

export const customerServiceCreatedBlockedCustomer = defineEvent({
  type: 'coworking.customer_service.created_blocked_customer',
  domain: 'coworking',
  description:
    'Fires whenever a customer-service contact is registered for a blocked customer; the payload is the same as for an unblocked customer.',
  sourceName: 'Cadastro (Cliente Bloqueado)',
  initiator: 'user',
  data: customerServiceCreatedData,
  example: {
    customerServiceId: 6121,
    type: 'Face-to-face Visit',
    customer: {
      id: 1730,
      name: 'Thiago Martins Oliveira',
      tradeName: null,
      firstName: 'Thiago',
      cellNumber: '(31) 98455-0071',
      phones: [],
      emails: ['thiago.oliveira@outlook.com'],
      emailsFinancialMessages: ['thiago.oliveira@outlook.com'],
    },
    requester: { name: 'Thiago Martins Oliveira', phones: ['(31) 98455-0071'], email: null, company: null },
    company: exampleCompany,
    user: exampleUser,
    messageText: 'Compareceu à recepção para negociar as mensalidades em atraso.',
    createdAt: '2026-11-23T15:03:55-03:00',
  },
});

export const customerServiceDeleted = defineEvent({
  type: 'coworking.customer_service.deleted',
  domain: 'coworking',
  description: 'Fires whenever a customer-service contact is deleted.',
  sourceName: 'Exclusão',
  initiator: 'user',
  data: customerServiceDeletedData,
  example: {
    customerServiceId: 6120,
    type: 'Phone Call',
    customer: exampleCustomer,
    requester: exampleRequester,
    company: exampleCompany,
    user: exampleUser,
  },
});

export const customerServiceEvents = [
  customerServiceCreated,
  customerServiceCreatedBlockedCustomer,
  customerServiceDeleted,
] as const;
