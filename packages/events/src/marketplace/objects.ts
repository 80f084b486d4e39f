/**
 * BIYRO (freelance marketplace) sub-schemas shared by the 35 project lifecycle events.
 * Source: Latvian document "Webhooks un integrācijas" (seeds/000_ac2a54f15305e9f6.txt).
 *
 * The document lists only the event codes, when they fire and who triggers them; the payload
 * fields below are Hookline's design of what a receiver needs to act on each event.
 */
import { z } from 'zod';
import { currency, isoDateTime, money, ymdDate } from '../common.js';

/** Opaque BIYRO identifier (project, user, invoice, …). */
const id = z.string().min(1);

/** Tolerance when checking amounts rounded to cents. */
const CENT = 0.005 + 1e-9;

// ---------------------------------------------------------------------------
// Parties and actor
// ---------------------------------------------------------------------------

/** A marketplace user taking part in a project (seller = izpildītājs, buyer = pasūtītājs). */
export const party = z
  .object({
    id: id.describe('BIYRO user id.'),
    name: z.string().min(1).describe('Display name of the person or company.'),
  })
  .describe('A marketplace user taking part in the project.');
export type Party = z.infer<typeof party>;

/** Who caused an event: the seller (izpildītājs), the buyer (pasūtītājs) or the platform (sistēma). */
export const actorRoles = ['seller', 'buyer', 'system'] as const;
export const actorRole = z.enum(actorRoles).describe('Role of whoever caused the event.');
export type ActorRole = z.infer<typeof actorRole>;

const sellerActor = z
  .object({
    role: z.literal('seller').describe('The seller (izpildītājs) caused the event.'),
    id: id.describe("The seller's BIYRO user id."),
  })
  .describe('The seller who caused the event.');

const buyerActor = z
  .object({
    role: z.literal('buyer').describe('The buyer (pasūtītājs) caused the event.'),
    id: id.describe("The buyer's BIYRO user id."),
  })
  .describe('The buyer who caused the event.');

const systemActor = z
  .object({
    role: z.literal('system').describe('The platform itself (sistēma: a timer or an automatic step) caused the event.'),
    id: z.null().describe('Always null: the platform has no user id.'),
  })
  .describe('The platform, which caused the event on its own.');

/** The actor schema each document initiator allows. */
export const actorFor = {
  seller: sellerActor,
  buyer: buyerActor,
  system: systemActor,
  seller_or_buyer: z
    .discriminatedUnion('role', [sellerActor, buyerActor])
    .describe('The seller or the buyer, whichever caused the event.'),
} as const;
export type MarketplaceInitiator = keyof typeof actorFor;

// ---------------------------------------------------------------------------
// Project
// ---------------------------------------------------------------------------

/** Where a project stands after the event; named after the lifecycle codes of the document. */
export const projectStatuses = [
  'draft', // new_draft
  'sent', // new_sent: an offer waiting for the buyer
  'declined', // new_declined
  'withdrawn', // new_withdrawn
  'deleted', // deleted (drafts only)
  'expired', // expired: the offer's validity period ended
  'signed', // active_signed: approved by the buyer, waiting for payment
  'prepare', // active_prepare: paid, the seller prepares
  'work', // active_work
  'delivered', // active_delivered
  'revisions', // active_revisions
  'support', // support_started
  'finished', // support_finished / project_finished
  'cancelled', // active_cancelled
] as const;
export const projectStatus = z.enum(projectStatuses).describe('Status of the project after the event.');
export type ProjectStatus = z.infer<typeof projectStatus>;

/** The project (an offer until the buyer signs it), as it is after the event. */
export const project = z
  .object({
    id: id.describe('BIYRO project id.'),
    title: z.string().min(1).describe('Project title.'),
    status: projectStatus,
    seller: party.describe('The seller (izpildītājs) who made the offer and does the work.'),
    buyer: party.nullable().describe('The buyer (pasūtītājs) the offer is for; null while a draft has no buyer yet.'),
    currency: currency.describe('Currency of every amount of the project (ISO 4217).'),
    price: money.describe('Project price, without add-ons, in the project currency.'),
    deliveryDeadline: ymdDate
      .nullable()
      .describe('Current delivery deadline (izstrādes termiņš); null until it is set.'),
    offerValidUntil: isoDateTime
      .nullable()
      .describe('End of the offer validity period (derīguma termiņš); null when the offer has no expiry set yet.'),
    stagesCount: z.number().int().positive().describe('Number of stages (posmi) the work is split into.'),
    createdAt: isoDateTime.describe('When the seller created the project.'),
  })
  .describe('The project as it is after the event.');
export type Project = z.infer<typeof project>;

// ---------------------------------------------------------------------------
// Stage, add-on, quotas
// ---------------------------------------------------------------------------

export const stageStatus = z
  .enum(['pending', 'in_progress', 'delivered', 'revisions', 'approved'])
  .describe('Status of the stage after the event.');

/** One stage (posms) of the project's work. */
export const stage = z
  .object({
    id: id.describe('Stage id.'),
    number: z.number().int().positive().describe('Position of the stage in the project, starting at 1.'),
    title: z.string().min(1).describe('Stage title.'),
    amount: money.describe('Share of the project price for this stage, in the project currency.'),
    status: stageStatus,
    dueDate: ymdDate.nullable().describe('Delivery deadline of the stage; null when the stage has none of its own.'),
  })
  .describe('A stage (posms) of the project.');
export type Stage = z.infer<typeof stage>;

export const addonStatuses = ['offered', 'withdrawn', 'expired', 'declined', 'invoiced', 'accepted'] as const;
export const addonStatus = z.enum(addonStatuses).describe('Status of the add-on after the event.');
export type AddonStatus = z.infer<typeof addonStatus>;

const addonShape = {
  id: id.describe('Add-on id.'),
  title: z.string().min(1).describe('Add-on title.'),
  description: z.string().describe('What the extra work covers; may be empty.'),
  price: money.describe('Add-on price in the project currency.'),
  validUntil: isoDateTime.describe('End of the add-on validity period (derīguma termiņš).'),
};

/** An add-on (papildinājums): extra work the seller offers inside a running project. */
export const addon = z
  .object({ ...addonShape, status: addonStatus })
  .describe('The add-on (papildinājums) the event concerns.');

/** The add-on schema of an event after which the add-on has the given status. */
export function addonWithStatus<S extends AddonStatus>(status: S) {
  return z
    .object({
      ...addonShape,
      status: z.literal(status).describe(`Status of the add-on after the event: always '${status}'.`),
    })
    .describe('The add-on (papildinājums) the event concerns.');
}
export type Addon = z.infer<typeof addon>;

/** Quotas (kvotas): credits the buyer receives after a stage is approved and can spend on add-ons. */
export const quotas = z
  .object({
    assigned: z.number().positive().describe('Quotas assigned to the buyer by this event.'),
    balance: z.number().nonnegative().describe("The buyer's quota balance after the assignment."),
  })
  .superRefine((q, ctx) => {
    if (q.balance + CENT < q.assigned) {
      ctx.addIssue({
        code: 'custom',
        path: ['balance'],
        message: 'balance cannot be lower than the quotas just assigned',
      });
    }
  })
  .describe('Quotas (kvotas) assigned to the buyer.');
export type Quotas = z.infer<typeof quotas>;

/** Quotas spent to pay an add-on. */
export const quotasSpent = z
  .object({
    spent: z.number().positive().describe('Quotas spent on the add-on.'),
    balance: z.number().nonnegative().describe("The buyer's quota balance after paying."),
  })
  .describe('Quotas (kvotas) the buyer spent on the add-on.');
export type QuotasSpent = z.infer<typeof quotasSpent>;

// ---------------------------------------------------------------------------
// Invoice and payment
// ---------------------------------------------------------------------------

const projectSubject = z
  .object({ type: z.literal('project').describe('The invoice is for the project itself.') })
  .describe('Invoice for the project.');
const addonSubject = z
  .object({
    type: z.literal('addon').describe('The invoice is for an add-on.'),
    addonId: id.describe('Id of the invoiced add-on.'),
  })
  .describe('Invoice for an add-on.');

/** What an invoice bills: the project or one of its add-ons. */
export const invoiceSubject = z
  .discriminatedUnion('type', [projectSubject, addonSubject])
  .describe('What the invoice bills: the project or one of its add-ons.');

const invoiceShape = {
  id: id.describe('Invoice id.'),
  number: z.string().min(1).describe('Invoice number as printed on the invoice (rēķins).'),
  subject: invoiceSubject,
  currency: currency.describe('Invoice currency (ISO 4217).'),
  amount: money.describe('Amount the buyer pays.'),
  commissionRate: z
    .number()
    .min(0)
    .max(1)
    .describe(
      "Platform commission rate of the seller's plan as a fraction (the free seller plan takes 0.2, i.e. 20%).",
    ),
  commissionAmount: money.describe('Commission the platform keeps from the amount.'),
  sellerAmount: money.describe('What the seller receives: amount minus commission.'),
  issuedAt: isoDateTime.describe('When the invoice was issued.'),
  dueDate: ymdDate.describe('Date by which the buyer must pay.'),
};

function checkInvoiceAmounts(
  inv: { amount: number; commissionRate: number; commissionAmount: number; sellerAmount: number },
  ctx: z.RefinementCtx,
): void {
  if (Math.abs(inv.amount * inv.commissionRate - inv.commissionAmount) > CENT) {
    ctx.addIssue({
      code: 'custom',
      path: ['commissionAmount'],
      message: 'commissionAmount must be amount × commissionRate, rounded to cents',
    });
  }
  if (Math.abs(inv.amount - inv.commissionAmount - inv.sellerAmount) > CENT) {
    ctx.addIssue({ code: 'custom', path: ['sellerAmount'], message: 'sellerAmount must be amount − commissionAmount' });
  }
}

/** An invoice (rēķins) issued to the buyer for the project or for an add-on. */
export const invoice = z
  .object(invoiceShape)
  .superRefine(checkInvoiceAmounts)
  .describe('The invoice (rēķins) the event concerns.');
export type Invoice = z.infer<typeof invoice>;

/** An invoice for the project itself. */
export const projectInvoice = z
  .object({ ...invoiceShape, subject: projectSubject })
  .superRefine(checkInvoiceAmounts)
  .describe('The invoice (rēķins) for the project.');

/** An invoice for an add-on. */
export const addonInvoice = z
  .object({ ...invoiceShape, subject: addonSubject })
  .superRefine(checkInvoiceAmounts)
  .describe('The invoice (rēķins) for the add-on.');

const paymentShape = {
  id: id.describe('Payment id.'),
  invoiceId: id.describe('Id of the invoice being paid.'),
  amount: money.describe('Amount of the payment attempt.'),
  currency: currency.describe('Payment currency (ISO 4217).'),
  method: z.enum(['card', 'bank_transfer']).describe('How the buyer paid or tried to pay.'),
};

/** A payment (maksājums) that went through. */
export const paymentSucceeded = z
  .object({
    ...paymentShape,
    status: z.literal('succeeded').describe('The payment went through.'),
    failureReason: z.null().describe('Always null for a successful payment.'),
    paidAt: isoDateTime.describe('When the money was received.'),
  })
  .describe('The successful payment (maksājums).');

/** Why a payment failed. */
export const paymentFailureReason = z
  .object({
    code: z
      .string()
      .min(1)
      .describe(
        "Machine-readable reason from the payment provider, e.g. 'card_declined', 'insufficient_funds', 'expired_card', 'authentication_failed'.",
      ),
    message: z.string().min(1).describe('Human-readable explanation, suitable to show to the buyer.'),
  })
  .describe('Why the payment failed.');

/** A payment (maksājums) that failed. */
export const paymentFailed = z
  .object({
    ...paymentShape,
    status: z.literal('failed').describe('The payment did not go through; the invoice stays unpaid.'),
    failureReason: paymentFailureReason,
    paidAt: z.null().describe('Always null for a failed payment.'),
  })
  .describe('The failed payment (maksājums).');

/** A payment attempt, successful or failed. */
export const payment = z
  .discriminatedUnion('status', [paymentSucceeded, paymentFailed])
  .describe('A payment (maksājums) attempt.');
export type Payment = z.infer<typeof payment>;

// ---------------------------------------------------------------------------
// Requests: deadline extension, cancellation, revisions
// ---------------------------------------------------------------------------

export const requestStatuses = ['requested', 'declined', 'accepted'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

const extensionShape = {
  id: id.describe('Extension request id.'),
  currentDeadline: ymdDate.describe('Delivery deadline before the request.'),
  requestedDeadline: ymdDate.describe('New delivery deadline the seller asks for.'),
  reason: z.string().min(1).describe("The seller's reason for the extension."),
  requestedAt: isoDateTime.describe('When the seller made the request.'),
};

function extensionSchema<T extends z.ZodType<RequestStatus>>(status: T) {
  return z
    .object({ ...extensionShape, status })
    .superRefine((e, ctx) => {
      if (e.requestedDeadline <= e.currentDeadline) {
        ctx.addIssue({
          code: 'custom',
          path: ['requestedDeadline'],
          message: 'requestedDeadline must be later than currentDeadline',
        });
      }
    })
    .describe('The request to extend the delivery deadline.');
}

/** A request to extend the delivery deadline (izstrādes termiņa pagarināšana). */
export const extension = extensionSchema(z.enum(requestStatuses).describe('Status of the request after the event.'));

/** The extension request schema of an event after which the request has the given status. */
export function extensionWithStatus<S extends RequestStatus>(status: S) {
  return extensionSchema(z.literal(status).describe(`Status of the request after the event: always '${status}'.`));
}
export type Extension = z.infer<typeof extension>;

const cancellationShape = {
  id: id.describe('Cancellation request id.'),
  reason: z.string().min(1).describe('Reason given by the requesting party.'),
  requestedAt: isoDateTime.describe('When the request was made.'),
};

/** A request to cancel the project (order), made by the seller or the buyer. */
export const cancellation = z
  .object({
    ...cancellationShape,
    requestedBy: z.enum(['seller', 'buyer']).describe('Which party asked to cancel.'),
    status: z.enum(requestStatuses).describe('Status of the request after the event.'),
  })
  .describe('The request to cancel the project.');

/** The cancellation request schema of an event: who asked, and the request's status after the event. */
export function cancellationWith<B extends 'seller' | 'buyer', S extends RequestStatus>(requestedBy: B, status: S) {
  return z
    .object({
      ...cancellationShape,
      requestedBy: z.literal(requestedBy).describe(`Which party asked to cancel: always the ${requestedBy}.`),
      status: z.literal(status).describe(`Status of the request after the event: always '${status}'.`),
    })
    .describe('The request to cancel the project.');
}
export type Cancellation = z.infer<typeof cancellation>;

/** Revisions (korekcijas) the buyer asks for after a delivery. */
export const revisions = z
  .object({
    round: z
      .number()
      .int()
      .positive()
      .describe('How many times revisions have been requested for this stage, this one included.'),
    comment: z.string().min(1).describe('What the buyer wants changed.'),
  })
  .describe('The revisions (korekcijas) the buyer requested.');
export type Revisions = z.infer<typeof revisions>;

// ---------------------------------------------------------------------------
// Support period and file clean-up
// ---------------------------------------------------------------------------

/** The support period (atbalsta periods) that follows the finished work. */
export const supportPeriod = z
  .object({
    startsAt: isoDateTime.describe('When the support period started.'),
    endsAt: isoDateTime.describe('When the support period ends (or ended).'),
  })
  .superRefine((p, ctx) => {
    if (Date.parse(p.endsAt) <= Date.parse(p.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
    }
  })
  .describe('The support period (atbalsta periods).');
export type SupportPeriod = z.infer<typeof supportPeriod>;

const filesCleanupShape = {
  fileCount: z.number().int().nonnegative().describe('Number of project files the clean-up handled.'),
  totalBytes: z.number().int().nonnegative().describe('Their total size in bytes.'),
  scheduledAt: isoDateTime.describe('When the clean-up was due (after the project ended).'),
};

/** The clean-up deleted the project's files. */
export const filesDeleted = z
  .object({
    ...filesCleanupShape,
    outcome: z.literal('deleted').describe('The files were deleted.'),
    deletedAt: isoDateTime.describe('When the files were deleted.'),
    reason: z.null().describe('Always null when the files were deleted.'),
  })
  .describe('Result of the clean-up that deleted the project files.');

/** The clean-up did not delete the project's files. */
export const filesNotDeleted = z
  .object({
    ...filesCleanupShape,
    outcome: z.literal('not_deleted').describe('The files were kept.'),
    deletedAt: z.null().describe('Always null when the files were kept.'),
    reason: z
      .string()
      .min(1)
      .describe("Why the files were kept, e.g. 'retention_hold', 'open_dispute', 'storage_error'."),
  })
  .describe('Result of the clean-up that did not delete the project files.');

/** Outcome of the project files clean-up. */
export const filesCleanup = z
  .discriminatedUnion('outcome', [filesDeleted, filesNotDeleted])
  .describe('Outcome of the project files clean-up.');
export type FilesCleanup = z.infer<typeof filesCleanup>;
