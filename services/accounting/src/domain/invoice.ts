// The invoice aggregate (Sąskaita faktūra, account.invoice), as an Odoo accountant knows it:
//
//   create ──▶ draft ──validate──▶ open ──register_payment──▶ paid
//                │ ▲                 │
//          cancel│ │reset_to_draft   │cancel
//                ▼ │                 │
//               cancel ◀─────────────┘
//
// Every command emits exactly one catalog event (accounting.invoice.created / updated / deleted); a state
// change is an `updated` event whose changedFields list `state` (and `number` when it changes).
//
// Rules:
// - Amounts are never taken from the client: each line's price_subtotal and the invoice totals are recomputed
//   from the lines on every write (rounding rule in amounts.ts: per line for subtotals, once per invoice for tax).
// - A draft may change partner_id, invoice_lines, date_invoice, date_due, currency, type and comment. Once
//   validated (open, paid) or cancelled, an invoice is posted: only `comment` may change; anything else is
//   illegal_transition (409). To correct a posted invoice: cancel, reset to draft, edit, validate again.
// - validate (draft → open) takes the number from the command and requires at least one line, date_invoice and
//   date_due (date_due is never defaulted). date_due may never be before date_invoice, on any write.
// - register_payment: open → paid only (a draft must be validated first; a cancelled invoice cannot be paid).
// - cancel: draft or open → cancel (a paid invoice cannot be cancelled). The number stays on the cancelled invoice.
// - reset_to_draft: cancel → draft; the number is cleared (a draft has none) and validate assigns one again.
// - delete: draft or cancelled invoices only.
// - An update that changes nothing emits no event.
// - Line ids are allocated here: new lines get (the highest line id this invoice ever had) + 1, + 2, … in list
//   order, starting at 1, so an id removed from an invoice is never reused on it. Ids are unique within an
//   invoice, not across invoices. A client keeps a line by sending its id; lines left out of a patch are removed.
import { invalid, issuesOf, type DomainError, type Issue } from '@hookline/errors';
import { applyPatch, illegalTransition, unknownCommand, type Decider } from '@hookline/eventsourcing';
import { invoiceFields, invoiceRecord, type InvoiceLine, type InvoiceRecord } from '@hookline/events';
import { invoiceTotals, withSubtotal } from './amounts.js';
import {
  invoiceCreateBody,
  invoicePatchBody,
  invoiceValidateBody,
  type InvoiceCommand,
  type InvoiceCommandType,
} from './commands.js';
import {
  createdEvent,
  deletedEvent,
  evolveRecord,
  existing as existingRecord,
  parseInput,
  parseRecordId,
  updatedEvent,
  type RecordEvent,
  type RecordState,
} from './record.js';

export type InvoiceField = (typeof invoiceFields)[number];
export type InvoiceEvent = RecordEvent<'invoice', 'account.invoice', InvoiceRecord, InvoiceField>;
export type InvoiceStatus = InvoiceRecord['state'];

/** The record's life, and the highest line id the invoice ever had (new lines are numbered after it). */
export type InvoiceState = RecordState<InvoiceRecord> & { lastLineId: number };
type Existing = InvoiceState & { status: 'exists' };
type CommandOf<T extends InvoiceCommandType> = Extract<InvoiceCommand, { type: T }>;

/** Fields computed from the lines; they change only when the lines do. */
export const amountFields = ['amount_untaxed', 'amount_tax', 'amount_total'] as const satisfies readonly InvoiceField[];

const draftEditable = [
  'partner_id',
  'invoice_lines',
  'date_invoice',
  'date_due',
  'currency',
  'type',
  'comment',
] as const satisfies readonly InvoiceField[];
const postedEditable = ['comment'] as const satisfies readonly InvoiceField[];

/** The fields an update may change in a state (besides the amounts, which follow the lines). */
export function editableFields(status: InvoiceStatus): readonly InvoiceField[] {
  return status === 'draft' ? draftEditable : postedEditable;
}

const commandsByStatus: Record<InvoiceStatus, readonly InvoiceCommandType[]> = {
  draft: ['update', 'validate', 'cancel', 'delete'],
  open: ['update', 'register_payment', 'cancel'],
  paid: ['update'],
  cancel: ['update', 'reset_to_draft', 'delete'],
};

/** The commands an invoice accepts in a state (an update of a posted invoice may change `comment` only). */
export function allowedInvoiceCommands(state: InvoiceState): InvoiceCommandType[] {
  if (state.status === 'none') return ['create'];
  if (state.status === 'deleted') return [];
  return [...commandsByStatus[state.record.state]];
}

/** The state name reported in illegal_transition details. */
function stateName(state: InvoiceState): string {
  return state.status === 'exists' ? state.record.state : state.status;
}

const described: Record<InvoiceStatus, string> = {
  draft: 'a draft',
  open: 'open (validated)',
  paid: 'paid',
  cancel: 'cancelled',
};

const verbs: Record<Exclude<InvoiceCommandType, 'create' | 'update'>, string> = {
  validate: 'validate',
  register_payment: 'register a payment on',
  cancel: 'cancel',
  reset_to_draft: 'reset to draft',
  delete: 'delete',
};

const hints: Partial<Record<`${InvoiceCommandType}:${InvoiceStatus}`, string>> = {
  'register_payment:draft': 'validate it first',
  'register_payment:cancel': 'a cancelled invoice cannot be paid',
  'cancel:paid': 'a paid invoice cannot be cancelled',
  'delete:open': 'cancel it first',
  'delete:paid': 'a paid invoice cannot be deleted',
};

/** The record as the catalog accepts it, with date_due not before date_invoice; otherwise `invalid`. */
function checkInvoice(candidate: InvoiceRecord): InvoiceRecord {
  const parsed = invoiceRecord.safeParse(candidate);
  const issues: Issue[] = parsed.success ? [] : issuesOf(parsed.error);
  if (candidate.date_invoice !== null && candidate.date_due !== null && candidate.date_due < candidate.date_invoice) {
    issues.push({
      path: 'date_due',
      rule: 'date_order',
      message: `date_due (${candidate.date_due}) is before date_invoice (${candidate.date_invoice})`,
    });
  }
  if (!parsed.success || issues.length > 0) throw invalid('The invoice would not be valid', { issues });
  return parsed.data;
}

/** The invoice with its amounts recomputed from its lines. */
function withTotals(record: InvoiceRecord): InvoiceRecord {
  return { ...record, ...invoiceTotals(record.invoice_lines) };
}

type LineInput = NonNullable<ReturnType<typeof invoicePatchBody.parse>['invoice_lines']>[number];

/** The new list of lines: kept lines (by id) merged with their changes, new lines numbered after `lastLineId`. */
function buildLines(
  inputs: readonly LineInput[],
  current: readonly InvoiceLine[],
  lastLineId: number,
  invoiceId: number,
): InvoiceLine[] {
  const issues: Issue[] = [];
  const kept = new Set<number>();
  let nextId = lastLineId;
  const lines = inputs.flatMap((input, index): InvoiceLine[] => {
    if ('id' in input) {
      const existing = current.find((l) => l.id === input.id);
      if (!existing) {
        issues.push({
          path: `invoice_lines.${index}.id`,
          rule: 'unknown_line',
          message: `invoice ${invoiceId} has no line ${input.id}`,
        });
        return [];
      }
      if (kept.has(input.id)) {
        issues.push({
          path: `invoice_lines.${index}.id`,
          rule: 'duplicate_line',
          message: `line ${input.id} is listed twice`,
        });
        return [];
      }
      kept.add(input.id);
      return [withSubtotal(applyPatch(existing, input))];
    }
    nextId += 1;
    return [withSubtotal({ id: nextId, ...input })];
  });
  if (issues.length > 0) throw invalid('Invalid invoice lines', { issues });
  return lines;
}

function transitionError(command: Exclude<InvoiceCommandType, 'create' | 'update'>, state: Existing): DomainError {
  const { record } = state;
  const hint = hints[`${command}:${record.state}`];
  return illegalTransition(
    `Cannot ${verbs[command]} invoice ${record.id}: it is ${described[record.state]}${hint ? `; ${hint}` : ''}`,
    record.state,
    allowedInvoiceCommands(state),
  );
}

/** The state of an invoice that exists; not_found when it was never created or was deleted. */
function existing(state: InvoiceState): Existing {
  existingRecord(state, 'invoice'); // not_found unless it exists
  return state as Existing;
}

/** The `updated` event of a state change (which always changes the invoice). */
function transition(current: InvoiceRecord, change: Partial<InvoiceRecord>): InvoiceEvent {
  const event = updatedEvent(
    'invoice',
    'account.invoice',
    invoiceFields,
    current,
    checkInvoice({ ...current, ...change }),
  );
  if (!event) throw new Error('a state change always changes the invoice');
  return event;
}

export function createInvoice(command: CommandOf<'create'>, state: InvoiceState): InvoiceEvent[] {
  if (state.status !== 'none') {
    throw illegalTransition(
      state.status === 'exists'
        ? `Invoice ${state.record.id} already exists`
        : `Invoice ${state.record.id} was deleted; ids are not reused`,
      stateName(state),
      allowedInvoiceCommands(state),
    );
  }
  const id = parseRecordId(command.id, 'invoice');
  const input = parseInput(invoiceCreateBody, command.input, 'invoice');
  const lines = input.invoice_lines.map((line, index) => withSubtotal({ id: state.lastLineId + index + 1, ...line }));
  const record = checkInvoice(
    withTotals({
      id,
      number: null,
      partner_id: input.partner_id,
      invoice_lines: lines,
      state: 'draft',
      date_invoice: input.date_invoice,
      date_due: input.date_due,
      currency: input.currency,
      amount_untaxed: 0,
      amount_tax: 0,
      amount_total: 0,
      type: input.type,
      comment: input.comment,
    }),
  );
  return [createdEvent('invoice', 'account.invoice', record)];
}

export function updateInvoice(command: CommandOf<'update'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state);
  const current = invoice.record;
  const patch = parseInput(invoicePatchBody, command.patch, 'invoice update');
  const lines =
    patch.invoice_lines === undefined
      ? current.invoice_lines
      : buildLines(patch.invoice_lines, current.invoice_lines, invoice.lastLineId, current.id);
  const candidate = withTotals(applyPatch(current, { ...patch, invoice_lines: lines }));
  const probe = updatedEvent('invoice', 'account.invoice', invoiceFields, current, candidate);
  if (!probe) return [];
  const editable = editableFields(current.state);
  const locked = probe.data.changedFields.filter(
    (field) => !editable.includes(field) && !(amountFields as readonly string[]).includes(field),
  );
  if (locked.length > 0) {
    throw illegalTransition(
      `Invoice ${current.id} is ${described[current.state]}: only ${editable.join(', ')} may change, not ${locked.join(', ')}` +
        (current.state === 'draft' ? '' : '; to correct it, cancel it and reset it to draft'),
      current.state,
      allowedInvoiceCommands(invoice),
      { fields: locked, editable: [...editable] },
    );
  }
  const next = checkInvoice(candidate);
  const event = updatedEvent('invoice', 'account.invoice', invoiceFields, current, next);
  return event ? [event] : [];
}

/** draft → open, with the number the command brings. */
export function validateInvoice(command: CommandOf<'validate'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state);
  const current = invoice.record;
  if (current.state !== 'draft') throw transitionError('validate', invoice);
  const { number } = parseInput(invoiceValidateBody, { number: command.number }, 'invoice validation');
  const issues: Issue[] = [];
  if (current.invoice_lines.length === 0) {
    issues.push({
      path: 'invoice_lines',
      rule: 'required',
      message: 'an invoice needs at least one line to be validated',
    });
  }
  if (current.date_invoice === null)
    issues.push({ path: 'date_invoice', rule: 'required', message: 'an invoice needs date_invoice to be validated' });
  if (current.date_due === null)
    issues.push({ path: 'date_due', rule: 'required', message: 'an invoice needs date_due to be validated' });
  if (issues.length > 0) throw invalid(`Invoice ${current.id} cannot be validated`, { issues });
  return [transition(current, { number, state: 'open' })];
}

/** open → paid. */
export function registerPayment(_command: CommandOf<'register_payment'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state);
  if (invoice.record.state !== 'open') throw transitionError('register_payment', invoice);
  return [transition(invoice.record, { state: 'paid' })];
}

/** draft or open → cancel; the number stays. */
export function cancelInvoice(_command: CommandOf<'cancel'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state);
  if (invoice.record.state !== 'draft' && invoice.record.state !== 'open') throw transitionError('cancel', invoice);
  return [transition(invoice.record, { state: 'cancel' })];
}

/** cancel → draft; the number is cleared. */
export function resetToDraft(_command: CommandOf<'reset_to_draft'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state);
  if (invoice.record.state !== 'cancel') throw transitionError('reset_to_draft', invoice);
  return [transition(invoice.record, { state: 'draft', number: null })];
}

/** Drafts and cancelled invoices only. */
export function deleteInvoice(_command: CommandOf<'delete'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state);
  if (invoice.record.state !== 'draft' && invoice.record.state !== 'cancel') throw transitionError('delete', invoice);
  return [deletedEvent('invoice', 'account.invoice', invoice.record)];
}

export function decideInvoice(command: InvoiceCommand, state: InvoiceState): InvoiceEvent[] {
  const { type } = command;
  switch (type) {
    case 'create':
      return createInvoice(command, state);
    case 'update':
      return updateInvoice(command, state);
    case 'validate':
      return validateInvoice(command, state);
    case 'register_payment':
      return registerPayment(command, state);
    case 'cancel':
      return cancelInvoice(command, state);
    case 'reset_to_draft':
      return resetToDraft(command, state);
    case 'delete':
      return deleteInvoice(command, state);
    default:
      return unknownCommand(type, 'invoice');
  }
}

export function initialInvoiceState(): InvoiceState {
  return { status: 'none', lastLineId: 0 };
}

export function evolveInvoice(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  const next = evolveRecord<InvoiceRecord>(state, event);
  const snapshot = event.data.after ?? event.data.before;
  const lastLineId = Math.max(state.lastLineId, ...(snapshot?.invoice_lines.map((line) => line.id) ?? []));
  return { ...next, lastLineId };
}

export const invoiceDecider: Decider<InvoiceCommand, InvoiceEvent, InvoiceState> = {
  decide: decideInvoice,
  evolve: evolveInvoice,
  initialState: initialInvoiceState,
};
