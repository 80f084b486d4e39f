/**
 * The commands of the BIYRO project aggregate, one zod schema each.
 *
 * Every command is `{ type, actor, now, ...fields }`. `actor` and `now` always come from the
 * server (the authenticated caller and its clock); some commands also carry server fields (the
 * new project's id, the seller's plan, counts the service keeps across projects). The rest is
 * what a client sends: `commandBodies[name]` is that part alone, to validate a REST body with;
 * `projectCommand` validates a whole command.
 */
import { actorRoles, currency, isoDateTime, party, paymentFailureReason, ymdDate } from '@hookline/events';
import { z } from 'zod';
import { plan } from './plans.js';

// ---------------------------------------------------------------------------
// Shared fields
// ---------------------------------------------------------------------------

export const commandActor = z
  .object({
    role: z
      .enum(actorRoles)
      .describe(
        "Who sends the command: 'seller' (izpildītājs), 'buyer' (pasūtītājs) or 'system' (timers, automatic steps).",
      ),
    id: z
      .string()
      .min(1)
      .describe("The caller's BIYRO user id; for the system, the name of the component (e.g. 'scheduler')."),
  })
  .describe('The authenticated caller (server-filled).');
export type CommandActor = z.infer<typeof commandActor>;
export type CommandRole = CommandActor['role'];

/** A money amount: positive, at most 2 decimals. */
const amount = (what: string) =>
  z
    .number()
    .positive()
    .max(100_000_000)
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, {
      message: 'at most 2 decimals (cents)',
    })
    .describe(what);

const optionalReason = (who: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .nullable()
    .optional()
    .describe(`Reason the ${who} gives, if any (omitted or null: none).`);

const addonId = z.string().min(1).describe('Id of the add-on (the `addon.id` of its new_addon event).');

const paymentFields = {
  paymentId: z
    .string()
    .min(1)
    .optional()
    .describe("The payment provider's id of the attempt; omitted: derived from the invoice id."),
  method: z.enum(['card', 'bank_transfer']).optional().describe("How the buyer paid or tried to pay; omitted: 'card'."),
};

const sellerPlanField = plan.describe("The seller's plan in force now (server-filled from the seller's account).");

const buyerQuotaBalance = z
  .number()
  .nonnegative()
  .describe(
    "The buyer's quota (kvotas) balance before this command, across all of the buyer's projects (server-filled: the service keeps it).",
  );

// ---------------------------------------------------------------------------
// Command definitions
// ---------------------------------------------------------------------------

const base = {
  actor: commandActor,
  now: isoDateTime.describe('When the command is handled (server clock); the events carry it as occurredAt.'),
};

function defineCommand<const N extends string, B extends z.ZodRawShape, S extends z.ZodRawShape>(
  name: N,
  description: string,
  body: B,
  server: S,
) {
  return {
    name,
    body: z.object(body).describe(description),
    schema: z
      .object({ type: z.literal(name).describe('The command.'), ...base, ...server, ...body })
      .describe(description),
  };
}

const none = {};

export const createDraft = defineCommand(
  'create_draft',
  'The seller saves a new project (offer) as a draft.',
  {
    title: z.string().trim().min(1).max(200).describe('Project title.'),
    price: amount('Project price without add-ons, in `currency`.'),
    currency: currency.describe('Currency of every amount of the project (ISO 4217), e.g. EUR.'),
    stagesCount: z
      .number()
      .int()
      .positive()
      .max(100)
      .optional()
      .describe(
        "Number of stages (posmi) the work is split into; the price is split evenly between them. Omitted: 1. Limited by the seller's plan.",
      ),
    deliveryDeadline: ymdDate
      .nullable()
      .optional()
      .describe('Delivery deadline (izstrādes termiņš), Y-m-d; may be set later, when sending.'),
    buyer: party
      .nullable()
      .optional()
      .describe('The buyer (pasūtītājs) the offer is for; may be set later, when sending.'),
  },
  {
    projectId: z.string().min(1).describe('Id of the new project (server-generated).'),
    sellerName: z.string().min(1).describe("The seller's display name (server-filled from the seller's account)."),
    sellerPlan: sellerPlanField,
  },
);

export const sendOffer = defineCommand(
  'send_offer',
  'The seller sends the draft (the offer) to the buyer.',
  {
    buyer: party.optional().describe('The buyer the offer is for; required unless the draft already names one.'),
    offerValidUntil: isoDateTime
      .optional()
      .describe('End of the offer validity period (derīguma termiņš); omitted: 7 days from now.'),
    deliveryDeadline: ymdDate.optional().describe("Delivery deadline, Y-m-d; omitted: the draft's."),
    message: z.string().max(5000).nullable().optional().describe('Message to the buyer with the offer.'),
  },
  none,
);

export const deleteDraft = defineCommand('delete_draft', 'The seller deletes a draft.', none, none);

export const withdrawOffer = defineCommand(
  'withdraw_offer',
  'The seller withdraws a sent offer.',
  { reason: optionalReason('seller') },
  none,
);

export const declineOffer = defineCommand(
  'decline_offer',
  'The buyer declines a sent offer.',
  { reason: optionalReason('buyer') },
  none,
);

export const expireOffer = defineCommand(
  'expire_offer',
  "The platform's timer: the offer validity period has ended. Idempotent: a no-op unless the offer is still sent and its validity has ended.",
  none,
  none,
);

export const signOffer = defineCommand(
  'sign_offer',
  'The buyer approves (signs) the offer; the project invoice is issued at once.',
  none,
  {
    sellerPlan: sellerPlanField,
    sellerActiveProjects: z
      .number()
      .int()
      .nonnegative()
      .describe(
        "How many of the seller's other projects are active (signed, prepare, work, delivered, revisions): server-counted.",
      ),
  },
);

export const projectPaymentSucceeded = defineCommand(
  'project_payment_succeeded',
  'The payment provider reports that the buyer paid the project invoice; the seller starts preparing.',
  paymentFields,
  none,
);

export const projectPaymentFailed = defineCommand(
  'project_payment_failed',
  "The payment provider reports that the buyer's payment of the project invoice failed; the invoice stays unpaid.",
  { ...paymentFields, failureReason: paymentFailureReason },
  none,
);

export const startWork = defineCommand(
  'start_work',
  'The buyer lets the work start: the first stage after payment, or the next stage after one is approved.',
  none,
  none,
);

export const requestExtension = defineCommand(
  'request_extension',
  'The seller asks to extend the delivery deadline.',
  {
    requestedDeadline: ymdDate.describe('The new delivery deadline asked for, Y-m-d; later than the current one.'),
    reason: z.string().trim().min(1).max(2000).describe('Why the seller needs more time.'),
  },
  none,
);

export const acceptExtension = defineCommand(
  'accept_extension',
  'The buyer accepts the pending deadline extension request.',
  none,
  none,
);

export const declineExtension = defineCommand(
  'decline_extension',
  'The buyer declines the pending deadline extension request.',
  none,
  none,
);

export const proposeAddon = defineCommand(
  'propose_addon',
  'The seller offers an add-on (papildinājums): extra work inside the running project.',
  {
    title: z.string().trim().min(1).max(200).describe('Add-on title.'),
    description: z.string().max(5000).optional().describe("What the extra work covers; omitted: ''."),
    price: amount('Add-on price, in the project currency.'),
    validUntil: isoDateTime.describe('End of the add-on validity period (derīguma termiņš); later than now.'),
  },
  { sellerPlan: sellerPlanField },
);

export const withdrawAddon = defineCommand(
  'withdraw_addon',
  'The seller withdraws an add-on the buyer has not paid yet.',
  { addonId },
  none,
);

export const declineAddon = defineCommand(
  'decline_addon',
  'The buyer declines an add-on not paid yet.',
  { addonId, reason: optionalReason('buyer') },
  none,
);

export const expireAddon = defineCommand(
  'expire_addon',
  "The platform's timer: an add-on's validity period has ended. Idempotent: a no-op unless the add-on is still offered and its validity has ended.",
  { addonId },
  none,
);

export const acceptAddon = defineCommand(
  'accept_addon',
  'The buyer accepts an add-on, paying with quotas (accepted at once) or with money (an invoice is issued).',
  {
    addonId,
    paymentMethod: z
      .enum(['money', 'quotas'])
      .describe(
        "'money': an invoice is issued and the add-on is accepted once paid; 'quotas': paid from the buyer's quota balance at once.",
      ),
  },
  {
    sellerPlan: sellerPlanField,
    buyerQuotaBalance: buyerQuotaBalance
      .optional()
      .describe("The buyer's quota balance before this command (server-filled); required to pay with quotas."),
  },
);

export const addonPaymentSucceeded = defineCommand(
  'addon_payment_succeeded',
  "The payment provider reports that the buyer paid an add-on's invoice; the add-on is accepted.",
  { addonId, ...paymentFields },
  none,
);

export const deliver = defineCommand(
  'deliver',
  'The seller delivers the work of the current stage.',
  {
    message: z.string().max(5000).nullable().optional().describe('Message to the buyer with the delivery.'),
    filesCount: z.number().int().nonnegative().max(10_000).optional().describe('Number of files attached; omitted: 0.'),
  },
  none,
);

export const requestRevisions = defineCommand(
  'request_revisions',
  'The buyer asks for revisions (korekcijas) of the delivered stage.',
  { comment: z.string().trim().min(1).max(5000).describe('What the buyer wants changed.') },
  none,
);

export const approveStage = defineCommand(
  'approve_stage',
  'The buyer (or the platform, auto-approving) approves the delivered stage: quotas are assigned to the buyer, and after the last stage the support period starts.',
  none,
  {
    buyerQuotaBalance,
    supportPeriodDays: z
      .number()
      .int()
      .positive()
      .max(3650)
      .optional()
      .describe('Length of the support period that starts after the last stage; omitted: 30 days.'),
  },
);

export const finishSupport = defineCommand(
  'finish_support',
  "The platform's timer: the support period has ended, and with it the project. Idempotent: a no-op before the period ends or once the project is finished.",
  none,
  none,
);

const cleanupFields = {
  fileCount: z.number().int().nonnegative().describe('Number of project files the clean-up handled.'),
  totalBytes: z.number().int().nonnegative().describe('Their total size in bytes.'),
  scheduledAt: isoDateTime.describe('When the clean-up was due.'),
};

export const recordFilesDeleted = defineCommand(
  'record_files_deleted',
  "The platform's clean-up deleted the files of an ended project. Idempotent once the files are deleted.",
  cleanupFields,
  none,
);

export const recordFilesNotDeleted = defineCommand(
  'record_files_not_deleted',
  "The platform's clean-up kept the files of an ended project. A no-op once the files are deleted.",
  {
    ...cleanupFields,
    reason: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("Why the files were kept, e.g. 'retention_hold', 'open_dispute', 'storage_error'."),
  },
  none,
);

export const requestCancellation = defineCommand(
  'request_cancellation',
  'The seller or the buyer asks to cancel the project; the other party accepts or declines.',
  { reason: z.string().trim().min(1).max(2000).describe('Why the party wants to cancel.') },
  none,
);

export const acceptCancellation = defineCommand(
  'accept_cancellation',
  'The other party accepts the pending cancellation request: the project is cancelled.',
  none,
  none,
);

export const declineCancellation = defineCommand(
  'decline_cancellation',
  'The other party declines the pending cancellation request: the project goes on.',
  none,
  none,
);

/** Every command, in lifecycle order (the order `allowedCommands` lists them in). */
export const projectCommands = [
  createDraft,
  sendOffer,
  deleteDraft,
  withdrawOffer,
  declineOffer,
  expireOffer,
  signOffer,
  projectPaymentFailed,
  projectPaymentSucceeded,
  startWork,
  requestExtension,
  acceptExtension,
  declineExtension,
  proposeAddon,
  withdrawAddon,
  declineAddon,
  expireAddon,
  acceptAddon,
  addonPaymentSucceeded,
  deliver,
  requestRevisions,
  approveStage,
  finishSupport,
  recordFilesDeleted,
  recordFilesNotDeleted,
  requestCancellation,
  acceptCancellation,
  declineCancellation,
] as const;

export type CommandName = (typeof projectCommands)[number]['name'];
export const commandNames = projectCommands.map((command) => command.name) as CommandName[];

/** A whole command (body, server fields, actor and time), discriminated by `type`. */
export const projectCommand = z
  .discriminatedUnion('type', [
    createDraft.schema,
    sendOffer.schema,
    deleteDraft.schema,
    withdrawOffer.schema,
    declineOffer.schema,
    expireOffer.schema,
    signOffer.schema,
    projectPaymentFailed.schema,
    projectPaymentSucceeded.schema,
    startWork.schema,
    requestExtension.schema,
    acceptExtension.schema,
    declineExtension.schema,
    proposeAddon.schema,
    withdrawAddon.schema,
    declineAddon.schema,
    expireAddon.schema,
    acceptAddon.schema,
    addonPaymentSucceeded.schema,
    deliver.schema,
    requestRevisions.schema,
    approveStage.schema,
    finishSupport.schema,
    recordFilesDeleted.schema,
    recordFilesNotDeleted.schema,
    requestCancellation.schema,
    acceptCancellation.schema,
    declineCancellation.schema,
  ])
  .describe('A command to the BIYRO project aggregate.');
export type ProjectCommand = z.infer<typeof projectCommand>;
export type CommandOf<N extends CommandName> = Extract<ProjectCommand, { type: N }>;

/** What a client sends for each command (no type, actor, time or server fields). */
export const commandBodies = Object.fromEntries(projectCommands.map((command) => [command.name, command.body])) as {
  [C in (typeof projectCommands)[number] as C['name']]: C['body'];
};

/** Who may send each command. */
export const commandRoles: Readonly<Record<CommandName, readonly CommandRole[]>> = {
  create_draft: ['seller'],
  send_offer: ['seller'],
  delete_draft: ['seller'],
  withdraw_offer: ['seller'],
  decline_offer: ['buyer'],
  expire_offer: ['system'],
  sign_offer: ['buyer'],
  project_payment_failed: ['buyer'],
  project_payment_succeeded: ['buyer'],
  start_work: ['buyer'],
  request_extension: ['seller'],
  accept_extension: ['buyer'],
  decline_extension: ['buyer'],
  propose_addon: ['seller'],
  withdraw_addon: ['seller'],
  decline_addon: ['buyer'],
  expire_addon: ['system'],
  accept_addon: ['buyer'],
  addon_payment_succeeded: ['buyer'],
  deliver: ['seller'],
  request_revisions: ['buyer'],
  approve_stage: ['buyer', 'system'],
  finish_support: ['system'],
  record_files_deleted: ['system'],
  record_files_not_deleted: ['system'],
  request_cancellation: ['seller', 'buyer'],
  accept_cancellation: ['seller', 'buyer'],
  decline_cancellation: ['seller', 'buyer'],
};

const code = <const C extends string>(c: C) => `marketplace.project.${c}` as const;

/** The catalog events each command may emit (in the order it emits them; alternatives are listed too). */
export const commandEvents = {
  create_draft: [code('new_draft')],
  send_offer: [code('new_sent')],
  delete_draft: [code('deleted')],
  withdraw_offer: [code('new_withdrawn')],
  decline_offer: [code('new_declined')],
  expire_offer: [code('expired')],
  sign_offer: [code('active_signed'), code('purchase_new_invoice')],
  project_payment_failed: [code('purchase_payment_failed')],
  project_payment_succeeded: [code('purchase_payment_succeeded'), code('active_prepare')],
  start_work: [code('active_work')],
  request_extension: [code('request_extension')],
  accept_extension: [code('request_extension_accepted')],
  decline_extension: [code('request_extension_declined')],
  propose_addon: [code('new_addon')],
  withdraw_addon: [code('withdrawn_addon')],
  decline_addon: [code('declined_addon')],
  expire_addon: [code('expired_addon')],
  accept_addon: [code('purchase_new_invoice_addon'), code('accepted_addon')],
  addon_payment_succeeded: [code('purchase_addon_payment_succeeded'), code('accepted_addon')],
  deliver: [code('active_delivered')],
  request_revisions: [code('active_revisions')],
  approve_stage: [code('quotas_assigned'), code('support_started')],
  finish_support: [code('support_finished'), code('project_finished')],
  record_files_deleted: [code('files_deleted')],
  record_files_not_deleted: [code('files_not_deleted')],
  request_cancellation: [code('request_cancellation_seller'), code('request_cancellation_buyer')],
  accept_cancellation: [code('active_cancelled')],
  decline_cancellation: [code('request_cancellation_declined_buyer'), code('request_cancellation_declined_seller')],
} as const satisfies Record<CommandName, readonly string[]>;
