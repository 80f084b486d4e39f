import { z } from 'zod';
import { defineEvent } from '../define.js';
import {
  coworkingCompany,
  leadContactMethod,
  leadFieldOfActivity,
  leadInterestService,
  leadPartner,
} from './objects.js';
import { conexaDateTime, email, entityId, label, phone } from './primitives.js';

/**
 * Negotiation status of a lead (cliente potencial): "Under Negotiation" (Em negociação),
 * Quitter (Desistente), Agreed (Contratado), Interested (Interessado),
 * "Rules E-mail Sent" (E-mail regras enviado), Won (Ganho).
 */
export const leadStatus = z
  .enum(['Under Negotiation', 'Quitter', 'Agreed', 'Interested', 'Rules E-mail Sent', 'Won'])
  .describe(
    'Negotiation status: Under Negotiation, Quitter (gave up), Agreed (contracted), Interested, Rules E-mail Sent or Won',
  );

const potentialCustomerId = entityId.describe('Lead (potential customer) ID');
const company = coworkingCompany.describe('The unit the lead belongs to');
const customerName = label.describe("Customer's name");

/** Payload shared by `coworking.lead.created` and `coworking.lead.edited`. */
export const leadData = z.object({
  potentialCustomerId,
  company,
  status: leadStatus,
  // Only a lead referred by a partner has one.
  partner: leadPartner.nullable().describe('The partner who referred the lead; null when there is none'),
  customerName,
  phones: z.array(phone).describe("Customer's phone numbers"),
  interestServices: z.array(leadInterestService).describe('Services the lead is interested in'),
  fieldOfActivity: z.array(leadFieldOfActivity).describe("The lead's fields of activity"),
  emails: z.array(email).describe("Customer's e-mail addresses"),
  isReceiveInformativeEmail: z.boolean().describe('Whether the customer agrees to receive informative e-mails'),
  contactMethod: z.array(leadContactMethod).describe('How the lead got in touch'),
  // A lead need not have a website.
  website: z.string().nullable().describe("Customer's website"),
  notes: z.string().nullable().describe('Notes'), // free text, may be left empty
  createdAt: conexaDateTime.describe('Creation date, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)'),
});

/** Payload of `coworking.lead.deleted` (Exclusão). */
export const leadDeletedData = z.object({
  potentialCustomerId,
  company,
  customerName,
});

const exampleCompany = { id: 3, name: 'Conexa Coworking Savassi' };

export const leadCreated = defineEvent({
  type: 'coworking.lead.created',
  domain: 'coworking',
  description: 'Fires when a lead (potential customer) is registered in the CRM.',
  sourceName: 'Cadastro',
  initiator: 'user',
  data: leadData,
  example: {
    potentialCustomerId: 982,
    company: exampleCompany,
    status: 'Interested',
    partner: { id: 4, name: 'Contabilidade Horizonte' },
    customerName: 'Beatriz Nogueira Santos',
    phones: ['(31) 99602-3344'],
    interestServices: [
      { id: 1, name: 'Endereço fiscal' },
      { id: 3, name: 'Estação de trabalho rotativa' },
    ],
    fieldOfActivity: [{ id: 17, name: 'Marketing digital' }],
    emails: ['beatriz.nogueira@gmail.com'],
    isReceiveInformativeEmail: true,
    contactMethod: [{ id: 2, name: 'Instagram' }],
    website: null,
    notes: 'Quer visitar o espaço na próxima semana.',
    createdAt: '2026-11-23T13:18:44-03:00',
  },
});

export const leadEdited = defineEvent({
  type: 'coworking.lead.edited',
  domain: 'coworking',
  description: 'Fires when a lead (potential customer) is edited in the CRM.',
  sourceName: 'Edição',
  initiator: 'user',
  data: leadData,
  example: {
    potentialCustomerId: 982,
    company: exampleCompany,
    status: 'Under Negotiation',
    partner: { id: 4, name: 'Contabilidade Horizonte' },
    customerName: 'Beatriz Nogueira Santos',
    phones: ['(31) 99602-3344'],
    interestServices: [{ id: 3, name: 'Estação de trabalho rotativa' }],
    fieldOfActivity: [{ id: 17, name: 'Marketing digital' }],
    emails: ['beatriz.nogueira@gmail.com'],
    isReceiveInformativeEmail: true,
    contactMethod: [
      { id: 2, name: 'Instagram' },
      { id: 5, name: 'Visita ao espaço' },
    ],
    website: 'https://beatriznogueira.com.br',
    notes: 'Visitou o espaço em 26/11; proposta do plano rotativo enviada.',
    createdAt: '2026-11-23T13:18:44-03:00',
  },
});

export const leadDeleted = defineEvent({
  type: 'coworking.lead.deleted',
  domain: 'coworking',
  description: 'Fires when a lead (potential customer) is deleted from the CRM.',
  sourceName: 'Exclusão',
  initiator: 'user',
  data: leadDeletedData,
  example: {
    potentialCustomerId: 982,
    company: exampleCompany,
    customerName: 'Beatriz Nogueira Santos',
  },
});

export const leadEvents = [leadCreated, leadEdited, leadDeleted] as const;
