// The project invoice and its payment: purchase_payment_failed, purchase_payment_succeeded (+ active_prepare);
// the invoices of the project and of its add-ons are issued here.
import { round2, type Invoice } from '@hookline/events';
import type { CommandOf } from '../commands.js';
import type { Plan } from '../plans.js';
import type { ProjectEvent } from './events.js';
import { addDays, admit, buyerActor, Emitter, INVOICE_DUE_DAYS, refuse, ymd } from './rules.js';
import { projectOf, type ProjectState } from './state.js';

/** The next invoice of the project, for the project itself or an add-on, with the plan's commission. */
export function issueInvoice<S extends Invoice['subject']>(
  state: ProjectState,
  subject: S,
  amount: number,
  sellerPlan: Plan,
  now: string,
) {
  const project = projectOf(state);
  const n = state.invoicesIssued + 1;
  const commissionAmount = round2(amount * sellerPlan.commissionRate);
  return {
    id: `${project.id}-i${n}`,
    number: `BIY-${project.id}-${n}`,
    subject,
    currency: project.currency,
    amount,
    commissionRate: sellerPlan.commissionRate,
    commissionAmount,
    sellerAmount: round2(amount - commissionAmount),
    issuedAt: now,
    dueDate: ymd(addDays(now, INVOICE_DUE_DAYS)),
  };
}

/** A payment attempt of an invoice, as the payment provider reports it. */
export function payment(
  invoice: Invoice,
  attempt: number,
  command: { paymentId?: string | undefined; method?: 'card' | 'bank_transfer' | undefined },
) {
  return {
    id: command.paymentId ?? `${invoice.id}-p${attempt}`,
    invoiceId: invoice.id,
    amount: invoice.amount,
    currency: invoice.currency,
    method: command.method ?? 'card',
  };
}

/** The unpaid project invoice and the attempt a payment command reports. */
function projectInvoice(
  command: CommandOf<'project_payment_failed' | 'project_payment_succeeded'>,
  state: ProjectState,
) {
  const billed = state.invoice;
  if (billed === null) throw refuse(state, command.actor.role, 'no project invoice');
  const invoice = { ...billed.invoice, subject: { type: 'project' as const } };
  return { invoice, attempt: payment(invoice, billed.failedAttempts + 1, command) };
}

/** project_payment_failed → purchase_payment_failed: the invoice stays unpaid. */
export function projectPaymentFailed(
  command: CommandOf<'project_payment_failed'>,
  state: ProjectState,
): ProjectEvent[] {
  const project = admit(command, state);
  const { invoice, attempt } = projectInvoice(command, state);
  return new Emitter(state).emit('marketplace.project.purchase_payment_failed', {
    project,
    occurredAt: command.now,
    actor: buyerActor(command.actor),
    invoice,
    payment: { ...attempt, status: 'failed', failureReason: command.failureReason, paidAt: null },
  }).events;
}

/** project_payment_succeeded → purchase_payment_succeeded + active_prepare: the seller starts preparing. */
export function projectPaymentSucceeded(
  command: CommandOf<'project_payment_succeeded'>,
  state: ProjectState,
): ProjectEvent[] {
  const project = admit(command, state);
  const { invoice, attempt } = projectInvoice(command, state);
  const actor = buyerActor(command.actor);
  const out = new Emitter(state).emit('marketplace.project.purchase_payment_succeeded', {
    project,
    occurredAt: command.now,
    actor,
    invoice,
    payment: { ...attempt, status: 'succeeded', failureReason: null, paidAt: command.now },
  });
  return out.emit('marketplace.project.active_prepare', {
    project: { ...out.project, status: 'prepare' },
    occurredAt: command.now,
    actor,
  }).events;
}
