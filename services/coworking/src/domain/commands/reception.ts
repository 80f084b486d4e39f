// The customer-service (atendimento) and correspondence (correspondência) commands.
import {
  correspondenceCreatedData,
  correspondenceDeliveredBy,
  correspondenceDeliveredTo,
  correspondenceShippingMethod,
  customerServiceCreatedData,
  conexaDateTime,
} from '@hookline/events';
import { z } from 'zod';
import { id, company, user, customerFilled, customerBlockedFlag, refresh, none, defineCommand } from './define.js';

// ---------------------------------------------------------------------------
// Customer service (atendimento)
// ---------------------------------------------------------------------------

const service = customerServiceCreatedData.shape;

export const createCustomerService = defineCommand(
  'create_customer_service',
  'customer_service',
  'A user registers a customer-service contact (phone call or visit); the event variant depends on whether the customer is blocked.',
  {
    customerId: id('ID of the customer the contact is about.'),
    contactType: service.type.describe("Type of contact (the payload's `type`): Phone Call or Face-to-face Visit."),
    requester: service.requester.describe('Who asked for the contact.'),
    messageText: z.string().max(10_000).describe('Message registered in the contact.'),
  },
  {
    customerServiceId: id('ID of the new contact (server-generated).'),
    customer: customerFilled,
    company,
    user,
    customerBlocked: customerBlockedFlag,
  },
);

export const deleteCustomerService = defineCommand(
  'delete_customer_service',
  'customer_service',
  'A user deletes the customer-service contact.',
  none,
  refresh,
);

// ---------------------------------------------------------------------------
// Correspondence (correspondência)
// ---------------------------------------------------------------------------

const mail = correspondenceCreatedData.shape;
const deliveryBy = correspondenceDeliveredBy.describe('The logged-in user who makes the delivery (server-filled).');
const deliveredToPerson = correspondenceDeliveredTo.describe(
  'The person named by deliveredToPersonId (server-filled).',
);
const deliveryNotes = z
  .string()
  .max(5000)
  .nullable()
  .default(null)
  .describe('Notes on the delivery; null (default) when empty.');

export const createCorrespondence = defineCommand(
  'create_correspondence',
  'correspondence',
  'A user registers a correspondence received for a customer; the event variant depends on whether the customer is blocked.',
  {
    customerId: id('ID of the customer the correspondence is for.'),
    sender: mail.sender,
    trackingCode: mail.trackingCode.default(null).describe('Tracking code; null (default) for untracked mail.'),
    receiptDate: mail.receiptDate.optional().describe('When it was received, Y-m-d\\TH:i:sP; omitted: now.'),
    messageText: mail.messageText.default(null).describe('Message to the customer; null (default) when none.'),
  },
  {
    correspondenceId: id('ID of the new correspondence (server-generated).'),
    customer: customerFilled,
    company,
    user,
    customerBlocked: customerBlockedFlag,
  },
);

export const deleteCorrespondence = defineCommand(
  'delete_correspondence',
  'correspondence',
  'A user deletes the correspondence.',
  none,
  refresh,
);

export const deliverCorrespondenceInPerson = defineCommand(
  'deliver_correspondence_in_person',
  'correspondence',
  'The correspondence is handed over in person (at the reception).',
  { deliveredToPersonId: id('ID of the person who received it.'), notes: deliveryNotes },
  { deliveryBy, deliveredToPerson, ...refresh },
);

export const sendCorrespondenceByEmail = defineCommand(
  'send_correspondence_by_email',
  'correspondence',
  'The correspondence is scanned and sent by e-mail; the paper may still be delivered in person or forwarded afterwards.',
  {
    recipients: z
      .array(z.email())
      .min(1)
      .optional()
      .describe("Recipients' e-mail addresses; omitted: the customer's e-mail addresses."),
    notes: deliveryNotes,
  },
  { deliveryBy, ...refresh },
);

export const forwardCorrespondenceToAddress = defineCommand(
  'forward_correspondence_to_address',
  'correspondence',
  "The correspondence is forwarded to the customer's address.",
  {
    shippingMethod: correspondenceShippingMethod,
    deliveredToPersonId: id('ID of the person it is forwarded to.'),
    deliveryDate: conexaDateTime
      .optional()
      .describe('Delivery date, Y-m-d\\TH:i:sP (e.g. 2026-11-24T10:15:00-03:00); omitted: now.'),
  },
  { deliveryBy, deliveredToPerson, ...refresh },
);
