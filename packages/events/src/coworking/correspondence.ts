import { z } from 'zod';
import { defineEvent } from '../define.js';
import {
  conexaUser,
  correspondenceDeliveredBy,
  correspondenceDeliveredTo,
  coworkingCompany,
  coworkingCustomer,
  emailDeliveryInformation,
} from './objects.js';
import { conexaDateTime, entityId, label } from './primitives.js';

/** How a correspondence is forwarded: "Motorcycle Courier" (Motoboy), Sedex, PAC, Mail (Carta), Other (Outras). */
export const correspondenceShippingMethod = z
  .enum(['Motorcycle Courier', 'Sedex', 'PAC', 'Mail', 'Other'])
  .describe('How the delivery was shipped: Motorcycle Courier, Sedex, PAC, Mail (letter) or Other');

const correspondenceId = entityId.describe('Correspondence ID');
const sender = label.describe("Sender's name");
// Only registered or tracked mail has a tracking code.
const trackingCode = z.string().min(1).nullable().describe('Tracking code');
const receiptDate = conexaDateTime.describe(
  'Date it was received, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)',
);
const customer = coworkingCustomer.describe('The customer the correspondence is for');
// A message to the customer is optional when registering a correspondence.
const messageText = z.string().nullable().describe('Message registered with the correspondence');
const company = coworkingCompany.describe('The unit that received the correspondence');
const user = conexaUser.describe('The user who registered the correspondence');
const createdAt = conexaDateTime.describe('Creation date, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)');
const deliveryBy = correspondenceDeliveredBy;
const deliveredToPerson = correspondenceDeliveredTo;
const deliveryNotes = z.string().nullable().describe('Notes on the delivery'); // free text, may be left empty

/** Payload shared by `coworking.correspondence.created` and `.created_blocked_customer`. */
export const correspondenceCreatedData = z.object({
  correspondenceId,
  sender,
  trackingCode,
  receiptDate,
  customer,
  messageText,
  company,
  user,
  createdAt,
});

/** Payload of `coworking.correspondence.deleted` (Exclusão). */
export const correspondenceDeletedData = z.object({
  correspondenceId,
  sender,
  customer,
  company,
  user,
});

/** Payload of `coworking.correspondence.delivered_in_person` (Entrega Presencial). */
export const correspondenceDeliveredInPersonData = z.object({
  correspondenceId,
  sender,
  trackingCode,
  deliveryBy,
  deliveredToPerson,
  receiptDate,
  notes: deliveryNotes,
  customer,
  messageText,
  company,
  user,
  createdAt,
});

/** Payload of `coworking.correspondence.sent_by_email` (Enviada por E-mail). */
export const correspondenceSentByEmailData = z.object({
  correspondenceId,
  sender,
  trackingCode,
  deliveryBy,
  deliveryInformationByEmail: emailDeliveryInformation,
  receiptDate,
  notes: deliveryNotes,
  customer,
  messageText,
  company,
  user,
  createdAt,
});

/** Payload of `coworking.correspondence.forwarded_to_address` (Encaminhado para o Endereço). */
export const correspondenceForwardedToAddressData = z.object({
  correspondenceId,
  sender,
  trackingCode,
  deliveryBy,
  deliveredToPerson,
  // Documented as "shippingMetod" (see deviations.ts).
  shippingMethod: correspondenceShippingMethod,
  receiptDate,
  deliveryDate: conexaDateTime.describe('Delivery date, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)'),
  customer,
  messageText,
  company,
  user,
  createdAt,
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
const exampleUser = { id: 21, name: 'Juliana Mendes' };
const exampleCreated = {
  correspondenceId: 15503,
  sender: 'Receita Federal do Brasil',
  trackingCode: 'BR123456785BR',
  receiptDate: '2026-11-23T11:20:00-03:00',
  customer: exampleCustomer,
  messageText: 'Carta registrada aguardando retirada na recepção.',
  company: exampleCompany,
  user: exampleUser,
  createdAt: '2026-11-23T11:24:36-03:00',
};

export const correspondenceCreated = defineEvent({
  type: 'coworking.correspondence.created',
  domain: 'coworking',
  description: 'Fires whenever a correspondence is registered for a customer that is not blocked.',
  sourceName: 'Cadastro',
  initiator: 'user',
  data: correspondenceCreatedData,
  example: exampleCreated,
});

export const correspondenceCreatedBlockedCustomer = defineEvent({
  type: 'coworking.correspondence.created_blocked_customer',
  domain: 'coworking',
  description: 'Fires whenever a correspondence is registered for a blocked customer.',
  sourceName: 'Cadastro (Cliente Bloqueado)',
  initiator: 'user',
  data: correspondenceCreatedData,
  example: {
    correspondenceId: 15504,
    sender: 'Banco Itaú S.A.',
    trackingCode: null,
    receiptDate: '2026-11-23T14:05:00-03:00',
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
    messageText: null,
    company: exampleCompany,
    user: exampleUser,
    createdAt: '2026-11-23T14:07:10-03:00',
  },
});

export const correspondenceDeleted = defineEvent({
  type: 'coworking.correspondence.deleted',
  domain: 'coworking',
  description: 'Fires whenever a correspondence is deleted.',
  sourceName: 'Exclusão',
  initiator: 'user',
  data: correspondenceDeletedData,
  example: {
    correspondenceId: 15503,
    sender: 'Receita Federal do Brasil',
    customer: exampleCustomer,
    company: exampleCompany,
    user: exampleUser,
  },
});

export const correspondenceDeliveredInPerson = defineEvent({
  type: 'coworking.correspondence.delivered_in_person',
  domain: 'coworking',
  description: 'Fires when a correspondence is delivered in person.',
  sourceName: 'Entrega Presencial',
  initiator: 'user',
  data: correspondenceDeliveredInPersonData,
  example: {
    ...exampleCreated,
    deliveryBy: { id: 21, name: 'Juliana Mendes' },
    deliveredToPerson: { id: 4415, name: 'Rafael Souza Lima' },
    notes: 'Retirada na recepção mediante assinatura do protocolo.',
  },
});

export const correspondenceSentByEmail = defineEvent({
  type: 'coworking.correspondence.sent_by_email',
  domain: 'coworking',
  description: 'Fires when a correspondence is sent by e-mail.',
  sourceName: 'Enviada por E-mail',
  initiator: 'user',
  data: correspondenceSentByEmailData,
  example: {
    ...exampleCreated,
    deliveryBy: { id: 21, name: 'Juliana Mendes' },
    deliveryInformationByEmail: {
      recipients: ['contato@araujolima.com.br', 'rafael.lima@araujolima.com.br'],
      date: '2026-11-23T11:40:02-03:00',
    },
    notes: 'Correspondência digitalizada e enviada em PDF.',
  },
});

export const correspondenceForwardedToAddress = defineEvent({
  type: 'coworking.correspondence.forwarded_to_address',
  domain: 'coworking',
  description: "Fires when a correspondence is forwarded to the customer's address.",
  sourceName: 'Encaminhado para o Endereço',
  initiator: 'user',
  data: correspondenceForwardedToAddressData,
  example: {
    ...exampleCreated,
    deliveryBy: { id: 21, name: 'Juliana Mendes' },
    deliveredToPerson: { id: 4415, name: 'Rafael Souza Lima' },
    shippingMethod: 'Motorcycle Courier',
    deliveryDate: '2026-11-24T10:15:00-03:00',
  },
});

export const correspondenceEvents = [
  correspondenceCreated,
  correspondenceCreatedBlockedCustomer,
  correspondenceDeleted,
  correspondenceDeliveredInPerson,
  correspondenceSentByEmail,
  correspondenceForwardedToAddress,
] as const;
