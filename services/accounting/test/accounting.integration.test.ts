// Robolabs end to end on the real servers: accounting API → event store →
// relay → Kafka → dispatcher → receiver, with the callback body
// { object, operation, id, values, previous_values }.
import { createDispatcherService } from '@hookline/dispatcher';
import { startWebhookPlatform, until as untilTrue, type Receiver, type WebhookPlatform } from '@hookline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountingService } from '../src/index.js';

let world: WebhookPlatform;
let tenant: string;
const receivers = new Map<string, Receiver>();
/** What the receiver named `path` got, as parsed bodies. */
const received = { get: (path: string) => receivers.get(path)?.requests.map((request) => request.json) } as const;

beforeAll(async () => {
  world = await startWebhookPlatform({
    name: 'accounting-test',
    services: [createAccountingService, createDispatcherService],
    topics: ['hookline.accounting'],
  });
  tenant = world.tenant;
});
afterAll(() => world.stop());

const books = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  world.platform.app.inject({
    method,
    url: `/accounting${url}`,
    headers: world.asService(tenant, { 'hookline-actor': 'user:15' }),
    ...(payload ? { payload } : {}),
  });

async function callback(path: string, record: { model: string; operations: string[]; fields: string[] }) {
  receivers.set(path, await world.connect({ record }));
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000) {
  await untilTrue(what, check, timeoutMs);
}

const line = (product_id: number | null, quantity: number) => ({
  product_id,
  name: 'Ąžuolinės grindų lentos 14 mm',
  quantity,
  price_unit: 38.9,
  discount: 5,
  taxes: [{ id: 1, name: 'PVM1', amount: 21 }],
});

describe('Robolabs callbacks end to end', () => {
  it('sends each callback the diff of the fields it watches, for the model and operations it names', async () => {
    await callback('/partner-watch', { model: 'account.invoice', operations: ['update'], fields: ['partner_id'] });
    await callback('/state-watch', { model: 'account.invoice', operations: ['update'], fields: ['state'] });
    await callback('/lines-watch', {
      model: 'account.invoice',
      operations: ['update'],
      fields: ['invoice_lines', 'amount_total'],
    });
    await callback('/create-delete', {
      model: 'account.invoice',
      operations: ['create', 'delete'],
      fields: ['partner_id', 'amount_total'],
    });
    await callback('/partners-created', { model: 'res.partner', operations: ['create'], fields: ['name', 'vat'] });

    const buyer = (
      await books('POST', '/partners', { name: 'UAB Statyba', is_company: true, vat: 'LT100004567812' })
    ).json<{ id: number }>();
    const other = (await books('POST', '/partners', { name: 'UAB Remontas', is_company: true })).json<{ id: number }>();
    const boards = (
      await books('POST', '/products', { name: 'Grindų lentos', type: 'product', list_price: 38.9 })
    ).json<{ id: number }>();
    const created = await books('POST', '/invoices', {
      partner_id: buyer.id,
      invoice_lines: [line(boards.id, 42.5)],
      date_invoice: '2026-02-16',
      date_due: '2026-03-02',
    });
    expect(created.statusCode).toBe(201);
    const invoice = created.json<{ id: number; amount_total: number; invoice_lines: { id: number }[] }>();

    // partner_id changes: one callback to the partner watcher, none to the state watcher.
    const patched = await books('PATCH', `/invoices/${invoice.id}`, { partner_id: other.id });
    expect(patched.statusCode, patched.body).toBe(200);
    await until('partner callback', () => (received.get('/partner-watch') ?? []).length === 1);
    expect(received.get('/partner-watch')![0]).toEqual({
      object: 'account.invoice',
      operation: 'update',
      id: invoice.id,
      values: { partner_id: other.id },
      previous_values: { partner_id: buyer.id },
    });

    // A change inside a line: the whole list, old and new, with the recomputed total.
    const lineId = invoice.invoice_lines[0]!.id;
    const changed = (
      await books('PATCH', `/invoices/${invoice.id}`, { invoice_lines: [{ id: lineId, quantity: 50 }] })
    ).json<{ amount_total: number; invoice_lines: unknown[] }>();
    await until('lines callback', () => (received.get('/lines-watch') ?? []).length === 1);
    const linesCallback = received.get('/lines-watch')![0] as {
      values: { invoice_lines: { quantity: number }[]; amount_total: number };
      previous_values: { invoice_lines: { quantity: number }[]; amount_total: number };
    };
    expect(linesCallback.values.invoice_lines.map((l) => l.quantity)).toEqual([50]);
    expect(linesCallback.previous_values.invoice_lines.map((l) => l.quantity)).toEqual([42.5]);
    expect(linesCallback.values.amount_total).toBe(changed.amount_total);
    expect(linesCallback.previous_values.amount_total).toBe(invoice.amount_total);

    // State changes reach the state watcher only.
    await books('POST', `/invoices/${invoice.id}/cancel`, {});
    await until('state callback', () => (received.get('/state-watch') ?? []).length === 1);
    expect(received.get('/state-watch')![0]).toMatchObject({
      operation: 'update',
      values: { state: 'cancel' },
      previous_values: { state: 'draft' },
    });
    expect((await books('DELETE', `/invoices/${invoice.id}`)).statusCode).toBe(204);

    await until('create and delete callbacks', () => (received.get('/create-delete') ?? []).length === 2);
    const [onCreate, onDelete] = received.get('/create-delete') as {
      operation: string;
      values: object;
      previous_values?: object;
    }[];
    expect(onCreate).toEqual({
      object: 'account.invoice',
      operation: 'create',
      id: invoice.id,
      values: { partner_id: buyer.id, amount_total: invoice.amount_total },
    });
    expect(onDelete).toMatchObject({ operation: 'delete', id: invoice.id, values: { partner_id: other.id } });
    expect(onDelete!.previous_values).toBeUndefined();

    await until('partner created callbacks', () => (received.get('/partners-created') ?? []).length === 2);
    expect(received.get('/partners-created')).toEqual([
      {
        object: 'res.partner',
        operation: 'create',
        id: buyer.id,
        values: { name: 'UAB Statyba', vat: 'LT100004567812' },
      },
      { object: 'res.partner', operation: 'create', id: other.id, values: { name: 'UAB Remontas', vat: null } },
    ]);
    // Give stray callbacks time to show up: exactly one each.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.get('/partner-watch')).toHaveLength(1);
    expect(received.get('/state-watch')).toHaveLength(1);
    expect(received.get('/lines-watch')).toHaveLength(1);
  });
});

describe('the records API', () => {
  it('refuses what an accountant would: unknown partner, editing a paid invoice, deleting a partner in use', async () => {
    const unknown = await books('POST', '/invoices', { partner_id: 99_999, invoice_lines: [] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ issues: [{ path: 'body.partner_id', rule: 'unknown_partner' }] });

    const partner = (await books('POST', '/partners', { name: 'UAB Klientas' })).json<{ id: number }>();
    const invoice = (
      await books('POST', '/invoices', {
        partner_id: partner.id,
        invoice_lines: [{ ...line(1, 1), product_id: null }],
        date_invoice: '2026-03-01',
        date_due: '2026-03-15',
      })
    ).json<{ id: number }>();
    expect((await books('POST', `/invoices/${invoice.id}/register-payment`, {})).statusCode).toBe(409);
    expect((await books('POST', `/invoices/${invoice.id}/validate`, { number: 'INV/2026/0001' })).json()).toMatchObject(
      { state: 'open', number: 'INV/2026/0001' },
    );
    expect((await books('POST', `/invoices/${invoice.id}/register-payment`, {})).json()).toMatchObject({
      state: 'paid',
    });
    const edit = await books('PATCH', `/invoices/${invoice.id}`, { invoice_lines: [] });
    expect(edit.statusCode).toBe(409);
    expect(edit.json()).toMatchObject({ error: 'illegal_transition', allowed: ['update'] });
    const inUse = await books('DELETE', `/partners/${partner.id}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json<{ message: string }>().message).toContain(String(invoice.id));
    expect((await books('GET', `/invoices/${invoice.id}`)).json()).toMatchObject({
      state: 'paid',
      partner_id: partner.id,
    });
    expect((await world.platform.app.inject({ method: 'GET', url: '/accounting/invoices' })).statusCode).toBe(401);
  });

  it('lists records a page at a time, by id, and refuses a page larger than 1000', async () => {
    const ids: number[] = [];
    for (const name of ['UAB Vienas', 'UAB Du', 'UAB Trys'])
      ids.push((await books('POST', '/products', { name, list_price: 1 })).json<{ id: number }>().id);
    const pages: number[][] = [];
    let after: number | null = null;
    do {
      const page: { data: { id: number }[]; next: number | null } = (
        await books('GET', `/products?limit=2${after === null ? '' : `&after=${after}`}`)
      ).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      pages.push(page.data.map((record) => record.id));
      after = page.next;
    } while (after !== null);
    expect(pages.flat().filter((id) => ids.includes(id))).toEqual(ids);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect((await books('GET', '/products?limit=1001')).statusCode).toBe(400);
  });
});
