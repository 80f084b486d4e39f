// The console in a real headless Chromium (test/infra/browser.ts), against the
// platform in this process on the real Kafka broker and MongoDB-compatible
// server: sign-in, connections (create, edit, secret, test), the blocked
// banner and unblock flow, the delivery log and a delivery's detail.
// HOOKLINE_SCREENSHOTS=1 also writes the screenshots of docs/console.md.
import { createHmac, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcherService } from '@hookline/dispatcher';
import { createEvent, findEventType, toKafkaMessage } from '@hookline/events';
import { runServices, type RunningPlatform } from '@hookline/runtime';
import { testPlatformEnv } from '@hookline/testkit';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../../test/infra/browser.js';
import { createConsoleService } from '../src/index.js';

const id = randomUUID().slice(0, 8);
const adminKey = `admin-${randomUUID()}`;
const topic = `console-${id}.coworking`;
const screenshots =
  process.env.HOOKLINE_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../../docs/console/', import.meta.url)) : null;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver: records every request, answers with `status()` and a JSON body naming itself. */
async function startReceiver(name: string) {
  const receiver = { name, url: '', status: 200, requests: [] as Received[], close: async () => undefined as void };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.requests.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response
        .writeHead(receiver.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ receiver: name, answered: receiver.status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${name}`;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Standard Webhooks verification, as docs/dispatcher.md tells receivers to do it. */
function signedWith(secret: string, request: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${String(request.headers['webhook-id'])}.${String(request.headers['webhook-timestamp'])}.${request.body}`)
    .digest('base64');
  return String(request.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

async function until<T>(what: string, check: () => Promise<T> | T, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

let platform: RunningPlatform;
let browser: Browser;
let consoleUrl: string;
let tenant: { id: string; apiKey: string };
let ok: Receiver;
let flaky: Receiver;
let flaky2: Receiver;

async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  key = tenant.apiKey,
): Promise<T> {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

beforeAll(async () => {
  platform = await runServices('console-test', [createDispatcherService, createConsoleService], {
    installSignals: false,
    env: testPlatformEnv({ name: 'console', id, adminKey, topics: [topic] }),
  });
  consoleUrl = `${platform.url}/console/`;
  tenant = await api('POST', '/v1/tenants', { name: 'Acme Coworking' }, adminKey);
  [ok, flaky, flaky2] = await Promise.all([startReceiver('crm'), startReceiver('erp'), startReceiver('billing')]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const receiver of [ok, flaky, flaky2]) await receiver?.close();
  // The test's own database goes (the MongoDB backend can drop it; the port has no such call).
  await (platform?.context.store as { dropDatabase?: () => Promise<void> } | undefined)
    ?.dropDatabase?.()
    .catch(() => undefined);
  await platform?.stop();
});

// Every page's script errors and refused resources (a CSP violation shows here) fail the test.
let context: BrowserContext | undefined;
let problems: string[] = [];

async function newPage(): Promise<Page> {
  context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'],
    locale: 'en-GB',
  });
  const page = await context.newPage();
  watch(page);
  return page;
}

function watch(page: Page) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The API's 4xx answers (a refused key, a refused URL) are logged by the browser and shown by the page.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
}

afterEach(async () => {
  await context?.close();
  context = undefined;
  const found = problems;
  problems = [];
  expect(found).toEqual([]);
});

async function signIn(page: Page) {
  await page.goto(consoleUrl);
  await page.getByLabel('Tenant API key').fill(tenant.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}

async function shot(page: Page, name: string, target?: Locator | 'full page') {
  if (!screenshots) return;
  await mkdir(screenshots, { recursive: true });
  await page.evaluate("document.getElementById('toasts')?.replaceChildren()");
  const options = { path: join(screenshots, `${name}.png`), animations: 'disabled' as const };
  await (target === undefined || target === 'full page'
    ? page.screenshot({ ...options, fullPage: target === 'full page' })
    : target.screenshot(options));
}

/** Waits until the page shown is the one of the current address (the console renders after fetching). */
async function settled(page: Page) {
  await until(`the page of ${page.url()}`, () =>
    page.evaluate("document.getElementById('main').dataset.rendered === location.hash"),
  );
}

/** Picks a filter of the delivery log and waits for the page of the new address. */
async function choose(page: Page, label: string, option: string | { label: string }) {
  await page.getByLabel(label, { exact: true }).selectOption(option);
  await settled(page);
}

/** The rows of the first table on the page, as text. */
async function rows(page: Page): Promise<string[]> {
  return page.locator('main table tbody tr').allInnerTexts();
}

describe('sign-in', () => {
  it('refuses a wrong key, lets nothing through without one, and keeps the key in this tab only', async () => {
    const page = await newPage();
    const unauthenticated: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/') && !request.headers().authorization) unauthenticated.push(request.url());
    });

    // Any page asks for the key first; no navigation is offered.
    await page.goto(`${consoleUrl}#/connections`);
    await page.getByRole('heading', { name: 'Sign in to the Hookline console' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    await shot(page, 'sign-in');

    await page.getByLabel('Tenant API key').fill('hk_not-a-key-of-anyone');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This API key was refused' }).waitFor();
    await page.getByLabel('Tenant API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not a tenant API key' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.goto(`${consoleUrl}#/deliveries`);
    await page.getByRole('heading', { name: 'Sign in to the Hookline console' }).waitFor();

    // The right key opens the page that was asked for.
    await page.getByLabel('Tenant API key').fill(tenant.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Delivery log', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([tenant.apiKey]);
    expect(await page.evaluate('[localStorage.length, document.cookie]')).toEqual([0, '']);
    expect(await context!.cookies()).toEqual([]);

    // Another tab does not share it.
    const other = await context!.newPage();
    watch(other);
    await other.goto(`${consoleUrl}#/connections`);
    await other.getByRole('heading', { name: 'Sign in to the Hookline console' }).waitFor();

    // Signing out forgets it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.goto(`${consoleUrl}#/connections/new`);
    await page.getByRole('heading', { name: 'Sign in to the Hookline console' }).waitFor();

    // The only calls made without a key were none; the refused ones carried the typed key.
    expect(unauthenticated).toEqual([]);
  }, 60_000);

  it('serves the console with a strict Content-Security-Policy', async () => {
    const response = await fetch(consoleUrl);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    const page = await newPage();
    await page.goto(consoleUrl);
    // An inline script injected into the page is refused by the browser.
    // (Page code is given as text: it runs in the browser, where the DOM is.)
    const ran = await page.evaluate(`(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return window.injected === true;
    })()`);
    expect(ran).toBe(false);
    problems = problems.filter((problem) => !/Content Security Policy/.test(problem));
  });
});

describe('connections', () => {
  it('creates a connection with event types picked from the catalog, edits it, reveals and rotates its secret, and tests it', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('link', { name: 'New connection' }).click();
    await page.getByRole('heading', { name: 'New connection', level: 1 }).waitFor();

    // Nothing to receive yet: refused in the page.
    await page.getByLabel('Name', { exact: true }).fill('CRM sync');
    await page.getByLabel('URL', { exact: true }).fill(ok.url);
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('alert').filter({ hasText: 'Choose at least one event type' }).waitFor();

    // Types from the catalog search, and a wildcard pattern.
    await page.getByLabel('Search the event catalog').fill('lead created');
    const results = page.getByRole('list', { name: 'Matching event types' });
    expect(await results.getByRole('checkbox').count()).toBe(1);
    await results.getByLabel('coworking.lead.created').check();
    await page.getByLabel('Search the event catalog').fill('lead edited');
    await results.getByLabel('coworking.lead.edited').check();
    await page.getByLabel('Add a pattern').fill('coworking.charge.*');
    await page.getByRole('button', { name: 'Add pattern' }).click();
    const selected = page.getByRole('list', { name: 'Selected event types' });
    expect((await selected.getByRole('listitem').allInnerTexts()).map((text) => text.replace(/\s*×$/, ''))).toEqual([
      'coworking.lead.created',
      'coworking.lead.edited',
      'coworking.charge.*',
    ]);
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Header 1 name').fill('X-Api-Key');
    await page.getByLabel('Header 1 value').fill('receiver-token-42');
    await page.getByLabel('Attempts per round').fill('2');
    await page.getByLabel('Waits between attempts (seconds)').fill('5, 60');
    await page.getByLabel('Search the event catalog').fill('charge');
    await shot(page, 'connection-form', page.locator('fieldset').filter({ hasText: 'Search the event catalog' }));

    // A receiver inside the network is refused by the API, and the page says why.
    await page.getByLabel('URL', { exact: true }).fill('http://10.1.2.3/hook');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /10\.1\.2\.3|private|internal|not allowed|refused/i })
      .waitFor();
    await page.getByLabel('URL', { exact: true }).fill(ok.url);
    await page.getByRole('button', { name: 'Create connection' }).click();

    await page.getByRole('heading', { name: 'CRM sync', level: 1 }).waitFor();
    const connectionId = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
    const stored = await api<{
      uniqueKey: string;
      filter: unknown;
      headers: unknown;
      retry: { maxAttempts: number; backoffSeconds: number[] };
    }>('GET', `/v1/connections/${connectionId}`);
    expect(stored.filter).toEqual({
      eventTypes: ['coworking.lead.created', 'coworking.lead.edited', 'coworking.charge.*'],
    });
    expect(stored.headers).toEqual({ 'X-Api-Key': 'receiver-token-42' });
    expect(stored.retry).toMatchObject({ maxAttempts: 2, backoffSeconds: [5, 60] });

    // The secret is shown once, masked until revealed; the unique key too.
    const secretInput = page.getByRole('textbox', { name: 'Signing secret', exact: true });
    expect(await secretInput.getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Reveal signing secret' }).click();
    expect(await secretInput.getAttribute('type')).toBe('text');
    const secret = await secretInput.inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Copy signing secret' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    await page.getByRole('button', { name: 'Reveal unique key' }).click();
    expect(await page.getByRole('textbox', { name: 'Unique key', exact: true }).inputValue()).toBe(stored.uniqueKey);

    // Test: the receiver's answer is shown; the request was signed with that secret and carried the header.
    await page.getByLabel('Event type to send').selectOption('coworking.lead.edited');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Receiver answered 200').waitFor();
    expect(await page.locator('.test-result pre').innerText()).toContain('"receiver":"crm"');
    const tested = ok.requests.at(-1)!;
    expect(JSON.parse(tested.body)).toMatchObject({ type: 'coworking.lead.edited' });
    expect(tested.headers['x-api-key']).toBe('receiver-token-42');
    expect(tested.headers['hookline-unique-key']).toBe(stored.uniqueKey);
    expect(signedWith(secret, tested)).toBe(true);
    await shot(page, 'connection');

    // A receiver that fails shows its answer too.
    ok.status = 503;
    try {
      await page.getByRole('button', { name: 'Send test' }).click();
      await page.getByText('Receiver answered 503').waitFor();
    } finally {
      ok.status = 200;
    }

    // Rotate: a new secret, shown once; both sign for a day.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page
      .getByRole('dialog', { name: 'Rotate the signing secret?' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    await until(
      'a new secret',
      async () => (await page.getByRole('textbox', { name: 'Signing secret', exact: true }).inputValue()) !== secret,
    );
    const rotated = await page.getByRole('textbox', { name: 'Signing secret', exact: true }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Send test' }).click();
    await until('the test after rotation', () => ok.requests.length >= 3);
    await page.getByText('Receiver answered 200').waitFor();
    expect(signedWith(rotated, ok.requests.at(-1)!)).toBe(true);
    expect(signedWith(secret, ok.requests.at(-1)!)).toBe(true);

    // After a reload the secret is not shown again.
    await page.reload();
    await page.getByRole('heading', { name: 'CRM sync', level: 1 }).waitFor();
    await page.getByText('Hidden: Hookline shows a signing secret only once').waitFor();
    expect(await page.getByRole('textbox', { name: 'Signing secret', exact: true }).count()).toBe(0);

    // Edit: rename, switch off, drop a type, add a Robolabs record callback.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit CRM sync', level: 1 }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('CRM sync');
    expect(await page.getByLabel('Header 1 value').inputValue()).toBe('receiver-token-42');
    await page.getByLabel('Name', { exact: true }).fill('CRM sync (EU)');
    await page.getByRole('switch', { name: 'Active' }).uncheck();
    await page.getByRole('button', { name: 'Remove coworking.lead.edited' }).click();
    await page.getByLabel('Send Robolabs record callbacks').check();
    await page.getByLabel('Record model').selectOption('account.invoice');
    await page.getByLabel('create', { exact: true }).uncheck();
    await page.getByLabel('delete', { exact: true }).uncheck();
    await page.getByLabel('Filter fields').fill('partner');
    await page.getByLabel('partner_id', { exact: true }).check();
    await page.getByLabel('Filter fields').fill('state');
    await page.getByLabel('state', { exact: true }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.getByRole('heading', { name: 'CRM sync (EU)', level: 1 }).waitFor();
    expect(await page.locator('h1 .badge').innerText()).toBe('Inactive');
    const edited = await api<Record<string, unknown>>('GET', `/v1/connections/${connectionId}`);
    expect(edited).toMatchObject({
      name: 'CRM sync (EU)',
      active: false,
      status: 'inactive',
      filter: {
        eventTypes: ['coworking.lead.created', 'coworking.charge.*'],
        record: { model: 'account.invoice', operations: ['update'], fields: ['partner_id', 'state'] },
      },
      headers: { 'X-Api-Key': 'receiver-token-42' },
    });

    // The list shows it as inactive, with its failure count.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('link', { name: /^Inactive/ }).click();
    await page.waitForURL(/status=inactive$/);
    await settled(page);
    expect(await rows(page)).toEqual([
      expect.stringMatching(/^CRM sync \(EU\)\s+http:\/\/127\.0\.0\.1:\d+\/hooks\/crm\s+Inactive\s+0\s/),
    ]);
  }, 90_000);
});

describe('blocked connections', () => {
  it('warns with the count of blocked connections, and unblocks them releasing or discarding the held deliveries', async () => {
    // Two receivers answer 500: five failed requests block each connection, later events are held.
    flaky.status = 500;
    flaky2.status = 500;
    const retry = { maxAttempts: 1, windowSeconds: 60, timeoutMs: 2000, backoffSeconds: [1] };
    const erp = await api<{ id: string }>('POST', '/v1/connections', {
      name: 'Legacy ERP',
      url: flaky.url,
      filter: { eventTypes: ['coworking.lead.*'] },
      retry,
    });
    const billing = await api<{ id: string }>('POST', '/v1/connections', {
      name: 'Billing bridge',
      url: flaky2.url,
      filter: { eventTypes: ['coworking.lead.created'] },
      retry,
    });
    const data = structuredClone(findEventType('coworking.lead.created')!.example);
    const messages = Array.from({ length: 7 }, (_, n) =>
      toKafkaMessage(
        createEvent({ type: 'coworking.lead.created', subject: `lead-${id}-${n}`, tenant: tenant.id, data }),
      ),
    );
    await platform.context.bus.publish(
      topic,
      messages.map(({ key, value, headers }) => ({ key, value, headers })),
    );
    for (const connection of [erp, billing]) {
      await until('blocked, 2 held', async () => {
        const held = await api<{ data: unknown[] }>('GET', `/v1/deliveries?connectionId=${connection.id}&status=held`);
        const found = await api<{ status: string }>('GET', `/v1/connections/${connection.id}`);
        return found.status === 'blocked' && held.data.length === 2;
      });
    }
    expect(flaky.requests).toHaveLength(5);

    const page = await newPage();
    await signIn(page);
    const banner = page.getByRole('alert').filter({ hasText: 'blocked' });
    await banner.filter({ hasText: '2 connections are blocked.' }).waitFor();
    // The overview counts the last 24 hours by outcome.
    const legend = page.getByRole('list', { name: 'Deliveries in the last 24 hours by outcome' });
    expect(await legend.getByRole('listitem').filter({ hasText: 'Held' }).innerText()).toMatch(/Held\s*4/);
    expect(
      Number((await legend.getByRole('listitem').filter({ hasText: 'Failed' }).innerText()).replace(/\D/g, '')),
    ).toBeGreaterThanOrEqual(10);
    expect(
      await page
        .getByRole('img', { name: /^Deliveries per hour over the last 24 hours: \d+ succeeded, \d+ failed, 4 held/ })
        .count(),
    ).toBe(1);
    await shot(page, 'overview');

    // The banner's link opens the blocked connections, each with Unblock.
    await banner.getByRole('link', { name: 'Review blocked connections' }).click();
    await page.waitForURL(/#\/connections\?status=blocked$/);
    await settled(page);
    const blockedRows = await rows(page);
    expect(blockedRows).toHaveLength(2);
    expect(blockedRows.join('\n')).toMatch(/Legacy ERP[\s\S]*Blocked[\s\S]*5/);
    await shot(page, 'blocked');

    // Unblock Legacy ERP, releasing its two held deliveries (the receiver answers again).
    flaky.status = 200;
    await page.getByRole('button', { name: 'Unblock Legacy ERP' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unblock Legacy ERP' });
    await dialog.getByText('2 deliveries are held for it').waitFor();
    expect(await dialog.getByLabel(/Release the held deliveries/).isChecked()).toBe(true);
    await shot(page, 'unblock', dialog);
    await dialog.getByRole('button', { name: 'Unblock' }).click();
    await page.getByText('Legacy ERP is unblocked: 2 held deliveries released.').waitFor();
    await banner.filter({ hasText: '1 connection is blocked.' }).waitFor();
    await until('one blocked row', async () => (await rows(page)).length === 1);
    await until('released deliveries delivered', () => flaky.requests.length === 7);

    // Unblock Billing bridge, discarding.
    await page.getByRole('button', { name: 'Unblock Billing bridge' }).click();
    const second = page.getByRole('dialog', { name: 'Unblock Billing bridge' });
    await second.getByLabel(/Discard the held deliveries/).check();
    await second.getByRole('button', { name: 'Unblock' }).click();
    await page.getByText('Billing bridge is unblocked: 2 held deliveries discarded.').waitFor();
    await page.getByText('No blocked connections.').waitFor();
    await until('no banner', async () => (await banner.count()) === 0);
    expect(
      (await api<{ data: unknown[] }>('GET', `/v1/deliveries?connectionId=${billing.id}&status=discarded`)).data,
    ).toHaveLength(2);
    expect(flaky2.requests).toHaveLength(5);

    // Recover: the five failed deliveries of Legacy ERP are sent again.
    await page.goto(`${consoleUrl}#/deliveries?connectionId=${erp.id}`);
    await page.getByRole('heading', { name: 'Delivery log: Legacy ERP' }).waitFor();
    await page.getByRole('button', { name: 'Recover failed…' }).click();
    const recover = page.getByRole('dialog', { name: 'Recover failed deliveries of Legacy ERP' });
    await recover.getByRole('button', { name: 'Recover' }).click();
    await page.getByText('5 failed deliveries queued again.').waitFor();
    await until('recovered deliveries delivered', () => flaky.requests.length === 12);
    await until(
      'all succeeded',
      async () =>
        (await api<{ data: unknown[] }>('GET', `/v1/deliveries?connectionId=${erp.id}&status=succeeded`)).data
          .length === 7,
    );
  }, 90_000);
});

describe('delivery log', () => {
  it('filters the log by status and event type, shows a delivery with its headers, body and attempts, and redelivers it', async () => {
    const good = await api<{ id: string }>('POST', '/v1/connections', {
      name: 'Reporting',
      url: ok.url,
      filter: { eventTypes: ['coworking.charge.*'] },
    });
    const bad = await api<{ id: string }>('POST', '/v1/connections', {
      name: 'Data lake',
      url: flaky2.url,
      filter: { eventTypes: ['coworking.charge.*'] },
    });
    flaky2.status = 502;
    for (const type of ['coworking.charge.generated', 'coworking.charge.settled', 'coworking.charge.generated']) {
      await api('POST', `/v1/connections/${good.id}/test`, { eventType: type });
    }
    const failedTest = await api<{ deliveryId: string }>('POST', `/v1/connections/${bad.id}/test`, {
      eventType: 'coworking.charge.settled',
    });

    const page = await newPage();
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Delivery log' }).click();
    await page.getByRole('heading', { name: 'Delivery log', level: 1 }).waitFor();

    // By status.
    await choose(page, 'Status', 'failed');
    expect(page.url()).toMatch(/status=failed/);
    const failedRows = await rows(page);
    expect(failedRows.length).toBeGreaterThan(0);
    for (const row of failedRows) expect(row).toContain('Failed');
    expect(failedRows.filter((row) => row.includes('Data lake'))).toHaveLength(1);

    // By status and event type, for one connection.
    await choose(page, 'Connection', { label: 'Reporting' });
    await choose(page, 'Status', 'succeeded');
    await choose(page, 'Event type', 'coworking.charge.generated');
    const query = Object.fromEntries(new URLSearchParams(new URL(page.url()).hash.split('?')[1]));
    expect(query).toEqual({ connectionId: good.id, status: 'succeeded', eventType: 'coworking.charge.generated' });
    expect(await rows(page)).toHaveLength(2);
    for (const row of await rows(page))
      expect(row).toMatch(/coworking\.charge\.generated[\s\S]*Reporting[\s\S]*Succeeded/);
    await choose(page, 'Event type', 'coworking.charge.settled');
    expect(await rows(page)).toHaveLength(1);
    await choose(page, 'Event type', '');
    expect(await rows(page)).toHaveLength(3);
    await choose(page, 'Status', '');
    await choose(page, 'Connection', '');
    expect((await rows(page)).length).toBeGreaterThanOrEqual(4);
    await shot(page, 'delivery-log');

    // The failed one in detail: request headers, body, each attempt.
    await page
      .getByRole('link', { name: /^Delivery coworking\.charge\.settled/ })
      .and(page.locator(`[href="#/deliveries/${failedTest.deliveryId}"]`))
      .click();
    await page.getByRole('heading', { name: 'coworking.charge.settled', level: 1 }).waitFor();
    const headers = page.getByRole('table', { name: 'Request headers' });
    expect(await headers.getByRole('row').filter({ hasText: 'webhook-id' }).innerText()).toContain(
      failedTest.deliveryId,
    );
    expect(await headers.getByRole('row').filter({ hasText: 'hookline-event-type' }).innerText()).toContain(
      'coworking.charge.settled',
    );
    expect(await headers.getByRole('row').filter({ hasText: 'webhook-signature' }).innerText()).toMatch(/v1,/);
    expect(
      JSON.parse(await page.getByRole('region', { name: 'Request body' }).locator('pre').innerText()),
    ).toMatchObject({ type: 'coworking.charge.settled', data: expect.any(Object) });
    const attempts = page.getByRole('table', { name: 'Attempts' });
    expect(await attempts.locator('tbody tr').count()).toBe(1);
    expect(await attempts.locator('tbody tr').first().innerText()).toMatch(
      /502[\s\S]*\d+ ms[\s\S]*"receiver":"billing"/,
    );

    // Redeliver once the receiver is back: a second attempt, succeeded, same webhook-id.
    flaky2.status = 200;
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByRole('heading', { name: 'Attempts (2)' }).waitFor({ timeout: 20_000 });
    await until('succeeded', async () => (await page.locator('h1 .badge').innerText()) === 'Succeeded');
    expect(await attempts.locator('tbody tr').nth(1).innerText()).toMatch(/200[\s\S]*"answered":200/);
    const redelivered = flaky2.requests.at(-1)!;
    expect(redelivered.headers['webhook-id']).toBe(failedTest.deliveryId);
    await shot(page, 'delivery', 'full page');
  }, 90_000);
});

describe('event catalog', () => {
  it('lists each type with its description, initiator, schema and example', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Event catalog' }).click();
    await page.getByLabel('Search event types').fill('charge generated');
    const cards = page.locator('details.type-card');
    await until('one type', async () => (await cards.count()) === 1);
    const card = cards.first();
    expect(await card.locator('summary').innerText()).toMatch(/coworking\.charge\.generated[\s\S]*by /);
    await card.locator('summary').click();
    const example = JSON.parse(
      await card.getByRole('region', { name: 'Example of coworking.charge.generated' }).locator('pre').innerText(),
    );
    expect(example).toEqual(findEventType('coworking.charge.generated')!.example);
    expect(
      await card.getByRole('region', { name: 'Schema of coworking.charge.generated' }).locator('pre').innerText(),
    ).toContain('"properties"');
    await shot(page, 'catalog');
  }, 60_000);
});

describe('many connections', () => {
  it('lists every connection of a tenant with more than a page of them (the list API is paged: issue 18)', async () => {
    const many = await api<{ id: string; apiKey: string }>(
      'POST',
      '/v1/tenants',
      { name: 'Many connections' },
      adminKey,
    );
    for (let n = 0; n < 103; n++) {
      await api(
        'POST',
        '/v1/connections',
        {
          name: `receiver ${String(n).padStart(3, '0')}`,
          url: `${ok.url}/${n}`,
          filter: { eventTypes: ['coworking.lead.*'] },
        },
        many.apiKey,
      );
    }
    const firstPage = await api<{ data: unknown[]; nextCursor: string | null }>(
      'GET',
      '/v1/connections',
      undefined,
      many.apiKey,
    );
    expect(firstPage.data).toHaveLength(50);
    expect(firstPage.nextCursor).not.toBeNull();
    const page = await newPage();
    await page.goto(consoleUrl);
    await page.getByLabel('Tenant API key').fill(many.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.goto(`${consoleUrl}#/connections`);
    await settled(page);
    const listed = await rows(page);
    expect(listed).toHaveLength(103);
    expect(listed[0]).toContain('receiver 000');
    expect(listed[102]).toContain('receiver 102');
  }, 60_000);
});
