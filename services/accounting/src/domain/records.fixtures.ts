// What the accounting domain tests share: the given/when/then specification of each record aggregate
// (every event checked against the catalog, at most one per write), and the catalog's examples as the
// records a client creates.
import { AssertionError } from 'node:assert';
import type { InvoiceRecord, PartnerRecord, ProductRecord } from '@hookline/events';
import { catalogExample, DeciderSpecification, type Decision, type Given } from '@hookline/eventsourcing/testing';
import type { DomainEvent } from '@hookline/eventsourcing';
import type { InvoiceCreateInput, PartnerCreateInput, ProductCreateInput } from './commands.js';
import { invoiceDecider } from './invoice.js';
import { partnerDecider } from './partner.js';
import { productDecider } from './product.js';

/** A write emits one event (none when nothing changes). */
function oneEventPerWrite({ events }: Decision<unknown, DomainEvent, unknown>): void {
  if (events.length > 1)
    throw new AssertionError({ message: `a write emits one event, got ${events.map((e) => e.type).join(', ')}` });
}

export const givenInvoice = DeciderSpecification.for(invoiceDecider, { invariant: oneEventPerWrite });
export const givenPartner = DeciderSpecification.for(partnerDecider, { invariant: oneEventPerWrite });
export const givenProduct = DeciderSpecification.for(productDecider, { invariant: oneEventPerWrite });

/** Where the commands lead from a new stream, each decided after the one before. */
export function after<C, E extends DomainEvent, S>(given: Given<C, E, S>, ...commands: C[]): Given<C, E, S> {
  return commands.reduce((current, command) => current.when(command), given);
}

/** The one event a command emitted. */
export function one<E extends DomainEvent>(outcome: { events: E[] }): E {
  const [event, ...rest] = outcome.events;
  if (event === undefined || rest.length > 0)
    throw new AssertionError({ message: `expected one event, got ${outcome.events.length}` });
  return event;
}

/** The record of a record aggregate's state (fails the test when there is none). */
export function record<R>(given: { state: { status: string; record?: R } }): R {
  if (given.state.status !== 'exists' || given.state.record === undefined)
    throw new AssertionError({ message: `no record: ${given.state.status}` });
  return given.state.record;
}

const { id: partnerId, ...partnerInput } =
  catalogExample<DomainEvent<string, { after: PartnerRecord }>>('accounting.partner.created').data.after;
const { id: productId, ...productInput } =
  catalogExample<DomainEvent<string, { after: ProductRecord }>>('accounting.product.created').data.after;
const invoiceExample =
  catalogExample<DomainEvent<string, { after: InvoiceRecord }>>('accounting.invoice.created').data.after;

/** The catalog's partner (id 215, UAB "Baltijos medienos prekyba"), as a client creates it. */
export const examplePartner: { id: number; input: PartnerCreateInput } = { id: partnerId, input: partnerInput };

/** The catalog's product (id 58, oak floor boards), as a client creates it. */
export const exampleProduct: { id: number; input: ProductCreateInput } = { id: productId, input: productInput };

/** The catalog's invoice (id 4812), as a client creates it: no number, state, amounts or line ids and subtotals. */
export const exampleInvoice: { id: number; input: InvoiceCreateInput } = {
  id: invoiceExample.id,
  input: {
    partner_id: invoiceExample.partner_id,
    invoice_lines: invoiceExample.invoice_lines.map(({ id: _id, price_subtotal: _subtotal, ...line }) => line),
    date_invoice: invoiceExample.date_invoice,
    date_due: invoiceExample.date_due,
    currency: invoiceExample.currency,
    type: invoiceExample.type,
    comment: invoiceExample.comment,
  },
};
