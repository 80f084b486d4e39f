import { createEvent, findEventType, robolabsCallbackBody, type HooklineEvent } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { connectionFilterSchema, defaultRetryPolicy, type ConnectionDocument } from './connection.js';
import { matchConnections, typeMatches, webhookBodyFor } from './matching.js';

const TENANT = 'tenant_savassi';
const OTHER_TENANT = 'tenant_balmed';
const created = new Date('2026-11-20T09:00:00Z');

let counter = 0;
function connection(
  filter: z.input<typeof connectionFilterSchema>,
  overrides: Partial<ConnectionDocument> = {},
): ConnectionDocument {
  counter++;
  return {
    _id: `conn_${counter}`,
    tenantId: TENANT,
    name: `connection ${counter}`,
    url: `https://receiver-${counter}.example/hooks`,
    active: true,
    status: 'active',
    filter: connectionFilterSchema.parse(filter),
    headers: {},
    retry: defaultRetryPolicy,
    maxInFlight: 10,
    uniqueKey: 'RBUpiF00by2yuGwkbmtdY2jjuvzYfvIqEBBF50Im',
    secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: created }],
    consecutiveFailures: 0,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

function example(type: string): unknown {
  const definition = findEventType(type);
  if (!definition) throw new Error(`no catalog entry for ${type}`);
  return structuredClone(definition.example);
}

/** A validated envelope, as ingest gets it from Kafka. */
function event(type: string, options: { data?: unknown; tenant?: string; reminderRule?: string } = {}): HooklineEvent {
  return createEvent({
    type,
    subject: 'aggregate-1',
    tenant: options.tenant ?? TENANT,
    actor: 'system',
    time: new Date('2026-11-23T13:15:00Z'),
    data: options.data ?? example(type),
    ...(options.reminderRule === undefined ? {} : { reminderRule: options.reminderRule }),
  });
}

interface Invoice {
  id: number;
  partner_id: number;
  state: string;
  invoice_lines: Array<{ id: number; product_id: number | null; name: string }>;
  [field: string]: unknown;
}

/** The draft invoice of the catalog (account.invoice 4812, partner 215, two lines). */
function draftInvoice(): Invoice {
  return (example('accounting.invoice.created') as { after: Invoice }).after;
}

function invoiceUpdate(before: Invoice, after: Invoice, changedFields: string[]): HooklineEvent {
  return event('accounting.invoice.updated', {
    data: { object: 'account.invoice', operation: 'update', id: before.id, before, after, changedFields },
  });
}

const ids = (matches: { connection: ConnectionDocument }[]) => matches.map((match) => match.connection._id);

describe('typeMatches', () => {
  it('an exact type matches only itself', () => {
    expect(typeMatches('coworking.charge.generated', 'coworking.charge.generated')).toBe(true);
    expect(typeMatches('coworking.charge.generated', 'coworking.charge.settled')).toBe(false);
    expect(typeMatches('coworking.charge', 'coworking.charge.generated')).toBe(false);
    expect(typeMatches('coworking.charge.generated', 'coworking.charge.generated_late')).toBe(false);
  });

  it('prefix.* matches every type below the prefix, and nothing that merely starts with the same letters', () => {
    expect(typeMatches('coworking.charge.*', 'coworking.charge.generated')).toBe(true);
    expect(typeMatches('coworking.charge.*', 'coworking.charge.reminder')).toBe(true);
    expect(typeMatches('coworking.charge.*', 'coworking.charge.deep.nested')).toBe(true);
    expect(typeMatches('coworking.charge.*', 'coworking.chargeback.x')).toBe(false);
    expect(typeMatches('coworking.charge.*', 'coworking.customer.created')).toBe(false);
    expect(typeMatches('coworking.charge.*', 'coworking.charge')).toBe(false);
    expect(typeMatches('coworking.*', 'coworking.charge.generated')).toBe(true);
    expect(typeMatches('coworking.*', 'accounting.invoice.created')).toBe(false);
  });

  it('* matches every type', () => {
    for (const type of [
      'coworking.charge.generated',
      'accounting.invoice.created',
      'marketplace.project.signed',
      'x',
    ]) {
      expect(typeMatches('*', type)).toBe(true);
    }
  });
});

describe('matchConnections: which connections receive an event', () => {
  it('routes by exact type, wildcard and *, in the order of the connections', () => {
    const exact = connection({ eventTypes: ['coworking.charge.generated'] });
    const wildcard = connection({ eventTypes: ['coworking.charge.*'] });
    const everything = connection({ eventTypes: ['*'] });
    const customers = connection({ eventTypes: ['coworking.customer.*'] });
    const settled = connection({ eventTypes: ['coworking.charge.settled'] });
    const all = [exact, wildcard, everything, customers, settled];

    expect(ids(matchConnections(all, event('coworking.charge.generated')))).toEqual([
      exact._id,
      wildcard._id,
      everything._id,
    ]);
    expect(ids(matchConnections(all, event('coworking.customer.created')))).toEqual([everything._id, customers._id]);
    expect(ids(matchConnections(all, event('coworking.charge.settled')))).toEqual([
      wildcard._id,
      everything._id,
      settled._id,
    ]);
  });

  it('a connection with several patterns receives the event once', () => {
    const several = connection({ eventTypes: ['coworking.charge.generated', 'coworking.charge.*', '*'] });
    expect(ids(matchConnections([several], event('coworking.charge.generated')))).toEqual([several._id]);
  });

  it('an inactive connection gets nothing', () => {
    const inactive = connection({ eventTypes: ['*'] }, { active: false });
    const active = connection({ eventTypes: ['*'] });
    expect(ids(matchConnections([inactive, active], event('coworking.charge.generated')))).toEqual([active._id]);
    expect(matchConnections([inactive], event('coworking.charge.generated'))).toEqual([]);
  });

  it("another tenant's connection gets nothing", () => {
    const foreign = connection({ eventTypes: ['*'] }, { tenantId: OTHER_TENANT });
    const own = connection({ eventTypes: ['*'] });
    expect(ids(matchConnections([foreign, own], event('coworking.charge.generated')))).toEqual([own._id]);
    expect(
      ids(matchConnections([foreign, own], event('coworking.charge.generated', { tenant: OTHER_TENANT }))),
    ).toEqual([foreign._id]);
  });

  it('a blocked (but active) connection still matches: its deliveries are held, not dropped', () => {
    const blocked = connection({ eventTypes: ['*'] }, { status: 'blocked', consecutiveFailures: 5 });
    expect(ids(matchConnections([blocked], event('coworking.charge.generated')))).toEqual([blocked._id]);
  });
});

describe('Standard Webhooks body', () => {
  it('is exactly {type, timestamp: event.time, data: event.data}', () => {
    const charge = event('coworking.charge.generated');
    const body = webhookBodyFor(connection({ eventTypes: ['coworking.charge.*'] }).filter, charge);
    expect(body).toStrictEqual({
      type: 'coworking.charge.generated',
      timestamp: '2026-11-23T13:15:00.000Z',
      data: charge.data,
    });
    expect(body).toStrictEqual({ type: charge.type, timestamp: charge.time, data: charge.data });
    expect(Object.keys(body ?? {})).toEqual(['type', 'timestamp', 'data']);
  });

  it('accounting events reach an event-type connection in the Standard Webhooks shape, with before and after', () => {
    const update = event('accounting.invoice.updated');
    const body = webhookBodyFor(connection({ eventTypes: ['accounting.*'] }).filter, update);
    expect(body).toStrictEqual({ type: 'accounting.invoice.updated', timestamp: update.time, data: update.data });
    expect((body as { data: { before: Invoice; after: Invoice } }).data.after.partner_id).toBe(218);
  });

  it('matchConnections gives each match that body', () => {
    const charge = event('coworking.charge.generated');
    const [match] = matchConnections([connection({ eventTypes: ['*'] })], charge);
    expect(match?.body).toStrictEqual({ type: charge.type, timestamp: charge.time, data: charge.data });
  });
});

describe('Robolabs record callbacks', () => {
  const watch = (operations: Array<'create' | 'update' | 'delete'>, fields: string[], model = 'account.invoice') =>
    connection({ record: { model: model as 'account.invoice', operations, fields } });

  it('a partner_id change reaches the connection watching partner_id with the old and the new value', () => {
    const update = event('accounting.invoice.updated'); // the document's example: buyer 215 → 218
    const body = webhookBodyFor(watch(['update'], ['partner_id']).filter, update);
    expect(body).toStrictEqual({
      object: 'account.invoice',
      operation: 'update',
      id: 4812,
      values: { partner_id: 218 },
      previous_values: { partner_id: 215 },
    });
    expect(robolabsCallbackBody.safeParse(body).success).toBe(true);
  });

  it('an update that changed only state sends nothing to a connection watching partner_id', () => {
    const before = draftInvoice();
    const after = { ...before, state: 'open' };
    const update = invoiceUpdate(before, after, ['state']);
    const partnerWatcher = watch(['update'], ['partner_id']);
    expect(webhookBodyFor(partnerWatcher.filter, update)).toBeNull();
    expect(matchConnections([partnerWatcher], update)).toEqual([]);

    // …while a connection watching state does get it.
    expect(webhookBodyFor(watch(['update'], ['state']).filter, update)).toStrictEqual({
      object: 'account.invoice',
      operation: 'update',
      id: 4812,
      values: { state: 'open' },
      previous_values: { state: 'draft' },
    });
  });

  it('two connections watching different fields of the same record get different bodies', () => {
    const update = event('accounting.invoice.updated');
    const partnerOnly = watch(['update'], ['partner_id']);
    const wider = watch(['create', 'update'], ['partner_id', 'state', 'amount_total']);
    const stateOnly = watch(['update'], ['state']);
    const matches = matchConnections([partnerOnly, wider, stateOnly], update);

    expect(ids(matches)).toEqual([partnerOnly._id, wider._id]);
    expect(matches[0]?.body).toStrictEqual({
      object: 'account.invoice',
      operation: 'update',
      id: 4812,
      values: { partner_id: 218 },
      previous_values: { partner_id: 215 },
    });
    // Every selected field is reported, changed or not, in the order the connection lists them.
    expect(matches[1]?.body).toStrictEqual({
      object: 'account.invoice',
      operation: 'update',
      id: 4812,
      values: { partner_id: 218, state: 'draft', amount_total: 2517.51 },
      previous_values: { partner_id: 215, state: 'draft', amount_total: 2517.51 },
    });
    expect(Object.keys((matches[1]?.body as { values: object }).values)).toEqual([
      'partner_id',
      'state',
      'amount_total',
    ]);
  });

  it('create carries the selected fields of the new record and no previous_values', () => {
    const create = event('accounting.invoice.created');
    const body = webhookBodyFor(watch(['create'], ['partner_id', 'invoice_lines', 'state']).filter, create);
    expect(body).toStrictEqual({
      object: 'account.invoice',
      operation: 'create',
      id: 4812,
      values: { partner_id: 215, invoice_lines: draftInvoice().invoice_lines, state: 'draft' },
    });
    expect(body).not.toHaveProperty('previous_values');
    expect(robolabsCallbackBody.safeParse(body).success).toBe(true);
  });

  it('delete carries the selected fields of the record as last stored and no previous_values', () => {
    const remove = event('accounting.invoice.deleted'); // deleted after the buyer became 218
    const body = webhookBodyFor(watch(['delete'], ['partner_id', 'state']).filter, remove);
    expect(body).toStrictEqual({
      object: 'account.invoice',
      operation: 'delete',
      id: 4812,
      values: { partner_id: 218, state: 'draft' },
    });
    expect(body).not.toHaveProperty('previous_values');
  });

  it('other record models work the same way (res.partner update)', () => {
    const update = event('accounting.partner.updated'); // email and phone changed
    const body = webhookBodyFor(watch(['update'], ['email', 'name'], 'res.partner').filter, update);
    expect(body).toStrictEqual({
      object: 'res.partner',
      operation: 'update',
      id: 215,
      values: { email: 'saskaitos@balmed.lt', name: 'UAB "Baltijos medienos prekyba"' },
      previous_values: { email: 'buhalterija@balmed.lt', name: 'UAB "Baltijos medienos prekyba"' },
    });
    expect(webhookBodyFor(watch(['update'], ['vat'], 'res.partner').filter, update)).toBeNull();
  });

  it('another model gets nothing', () => {
    const partnerWatcher = watch(['create', 'update', 'delete'], ['name'], 'res.partner');
    for (const type of ['accounting.invoice.created', 'accounting.invoice.updated', 'accounting.invoice.deleted']) {
      expect(webhookBodyFor(partnerWatcher.filter, event(type))).toBeNull();
    }
    expect(matchConnections([partnerWatcher], event('accounting.invoice.updated'))).toEqual([]);
  });

  it('an operation not selected gets nothing', () => {
    const createOnly = watch(['create'], ['partner_id']);
    const noUpdate = watch(['create', 'delete'], ['partner_id']);
    expect(webhookBodyFor(createOnly.filter, event('accounting.invoice.updated'))).toBeNull();
    expect(webhookBodyFor(createOnly.filter, event('accounting.invoice.deleted'))).toBeNull();
    expect(webhookBodyFor(noUpdate.filter, event('accounting.invoice.updated'))).toBeNull();
    expect(webhookBodyFor(noUpdate.filter, event('accounting.invoice.deleted'))).not.toBeNull();
  });

  it('a record connection receives no non-record events', () => {
    const invoiceWatcher = watch(['create', 'update', 'delete'], ['partner_id']);
    expect(webhookBodyFor(invoiceWatcher.filter, event('coworking.charge.generated'))).toBeNull();
    expect(webhookBodyFor(invoiceWatcher.filter, event('coworking.customer.created'))).toBeNull();
  });

  describe('invoice_lines: diffed as one top-level field', () => {
    const linesWatcher = () => watch(['update'], ['invoice_lines']);

    it('a change inside one line reports the whole list, old and new', () => {
      const before = draftInvoice();
      const after = structuredClone(before);
      after.invoice_lines[1] = {
        ...after.invoice_lines[1]!,
        product_id: 62,
        name: 'Grindų montavimo ir apdailos paslauga',
      };
      const body = webhookBodyFor(linesWatcher().filter, invoiceUpdate(before, after, ['invoice_lines']));

      expect(body).toStrictEqual({
        object: 'account.invoice',
        operation: 'update',
        id: 4812,
        values: { invoice_lines: after.invoice_lines },
        previous_values: { invoice_lines: before.invoice_lines },
      });
      const { values, previous_values } = body as {
        values: { invoice_lines: unknown[] };
        previous_values: { invoice_lines: unknown[] };
      };
      expect(values.invoice_lines).toHaveLength(2);
      expect(previous_values.invoice_lines).toHaveLength(2);
      // The untouched first line is repeated on both sides.
      expect(values.invoice_lines[0]).toStrictEqual(previous_values.invoice_lines[0]);
      expect(values.invoice_lines[1]).toMatchObject({ id: 9932, product_id: 62 });
      expect(previous_values.invoice_lines[1]).toMatchObject({ id: 9932, product_id: 61 });

      // A line change is not a partner_id change.
      expect(
        webhookBodyFor(watch(['update'], ['partner_id']).filter, invoiceUpdate(before, after, ['invoice_lines'])),
      ).toBeNull();
    });

    it('reordering the lines counts as a change', () => {
      const before = draftInvoice();
      const after = { ...before, invoice_lines: [...before.invoice_lines].reverse() };
      const body = webhookBodyFor(linesWatcher().filter, invoiceUpdate(before, after, ['invoice_lines']));
      expect(body).toMatchObject({
        values: { invoice_lines: [{ id: 9932 }, { id: 9931 }] },
        previous_values: { invoice_lines: [{ id: 9931 }, { id: 9932 }] },
      });
    });

    it('the same lines with their keys in another order are no change', () => {
      const before = draftInvoice();
      const reKeyed = before.invoice_lines.map((line) => Object.fromEntries(Object.entries(line).reverse()));
      // changedFields would be empty, which the catalog rejects, so the envelope is built by hand.
      const valid = invoiceUpdate(before, { ...before, state: 'open' }, ['state']);
      const sameLines: HooklineEvent = {
        ...valid,
        data: {
          object: 'account.invoice',
          operation: 'update',
          id: 4812,
          before,
          after: { ...before, invoice_lines: reKeyed },
          changedFields: [],
        },
      };
      expect(webhookBodyFor(linesWatcher().filter, sameLines)).toBeNull();
    });
  });
});

describe('Conexa charge reminders', () => {
  const rule1 = () => connection({ eventTypes: ['coworking.charge.reminder'], reminderRuleId: 'r1' });
  const rule2 = () => connection({ eventTypes: ['coworking.charge.reminder'], reminderRuleId: 'r2' });
  const anyRule = () => connection({ eventTypes: ['coworking.charge.reminder'] });

  it("a connection linked to rule r1 gets r1's reminders, not r2's", () => {
    const r1 = rule1();
    expect(webhookBodyFor(r1.filter, event('coworking.charge.reminder', { reminderRule: 'r1' }))).not.toBeNull();
    expect(webhookBodyFor(r1.filter, event('coworking.charge.reminder', { reminderRule: 'r2' }))).toBeNull();
  });

  it('a connection without a rule gets every reminder', () => {
    const all = anyRule();
    for (const rule of ['r1', 'r2', undefined]) {
      const reminder = event('coworking.charge.reminder', rule === undefined ? {} : { reminderRule: rule });
      expect(webhookBodyFor(all.filter, reminder)).toStrictEqual({
        type: reminder.type,
        timestamp: reminder.time,
        data: reminder.data,
      });
    }
  });

  it('a reminder without a rule reaches only connections without a rule', () => {
    const [r1, all] = [rule1(), anyRule()];
    expect(ids(matchConnections([r1, all], event('coworking.charge.reminder')))).toEqual([all._id]);
  });

  it('matchConnections routes each reminder to its rule', () => {
    const [r1, r2, all] = [rule1(), rule2(), anyRule()];
    const wildcardR1 = connection({ eventTypes: ['coworking.charge.*'], reminderRuleId: 'r1' });
    const connections = [r1, r2, all, wildcardR1];
    expect(ids(matchConnections(connections, event('coworking.charge.reminder', { reminderRule: 'r1' })))).toEqual([
      r1._id,
      all._id,
      wildcardR1._id,
    ]);
    expect(ids(matchConnections(connections, event('coworking.charge.reminder', { reminderRule: 'r2' })))).toEqual([
      r2._id,
      all._id,
    ]);
  });

  it('the rule filters reminders only: other charge events still reach a wildcard connection linked to a rule', () => {
    const wildcardR1 = connection({ eventTypes: ['coworking.charge.*'], reminderRuleId: 'r1' });
    expect(webhookBodyFor(wildcardR1.filter, event('coworking.charge.generated'))).not.toBeNull();
  });

  it('the reminder body is the Standard Webhooks body (the rule id is not in it)', () => {
    const reminder = event('coworking.charge.reminder', { reminderRule: 'r1' });
    expect(webhookBodyFor(rule1().filter, reminder)).toStrictEqual({
      type: 'coworking.charge.reminder',
      timestamp: reminder.time,
      data: reminder.data,
    });
  });
});
