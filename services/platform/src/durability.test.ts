// The platform as `npm start` runs it, in its own process, on the embedded SQLite
// backends: what it acknowledged survives a stop and start, and a kill -9.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  serviceHeaders,
  startPlatformProcess,
  startReceiver,
  until,
  type PlatformProcess,
  type Receiver,
} from '@hookline/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const adminKey = `durability-admin-${process.pid}-0123456789`;
const serviceKey = `durability-service-${process.pid}-0123456789abcdef`;
const dataDirs: string[] = [];
const children = new Set<ChildProcess>();

/** `npm start`'s command line, on `dataDir`; resolves once it listens. */
async function startProcess(dataDir: string): Promise<PlatformProcess> {
  const started = await startPlatformProcess({
    HOOKLINE_DATA_DIR: dataDir,
    HOOKLINE_ADMIN_KEY: adminKey,
    HOOKLINE_SERVICE_KEY: serviceKey,
    HOOKLINE_URL_ALLOWLIST: '127.0.0.1',
  });
  children.add(started.child);
  void started.exited.then(() => children.delete(started.child));
  expect(started.listening.dataDir).toBe(dataDir);
  return started;
}

async function call(url: string, method: string, key: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function newDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-durability-'));
  dataDirs.push(dir);
  return dir;
}

async function tenantAndConnection(platform: PlatformProcess, receiverUrl: string) {
  const tenant = await call(`${platform.url}/v1/tenants`, 'POST', adminKey, { name: 'Durable' });
  expect(tenant.status).toBe(201);
  const apiKey = String(tenant.body.apiKey);
  const connection = await call(`${platform.url}/v1/connections`, 'POST', apiKey, {
    name: 'Receiver',
    url: receiverUrl,
    filter: { eventTypes: ['marketplace.project.*'] },
    retry: { maxAttempts: 20, windowSeconds: 600, backoffSeconds: [1] },
  });
  expect(connection.status).toBe(201);
  return { tenantId: String(tenant.body.id), apiKey, connectionId: String(connection.body.id) };
}

/** A product command (a seller's new draft offer): acknowledged with 201 once its event is stored. */
async function createProject(platform: PlatformProcess, tenantId: string, title: string): Promise<string> {
  const created = await call(
    `${platform.url}/marketplace/projects`,
    'POST',
    serviceKey,
    { title, price: 10, currency: 'EUR', deliveryDeadline: '2027-01-31' },
    {
      ...serviceHeaders(serviceKey, tenantId, { 'hookline-actor-role': 'seller', 'hookline-actor-id': 'usr_durable' }),
    },
  );
  expect(created.status).toBe(201);
  return String(created.body.projectId);
}

const webhooksFor = (receiver: Receiver, projectId: string) =>
  receiver.requests.filter((request) => request.body.includes(projectId));

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
});
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded platform keeps what it acknowledged', () => {
  it('after a stop and start, the tenant key answers and the connection is there', async () => {
    const dataDir = newDataDir();
    const receiver = await startReceiver();
    try {
      const first = await startProcess(dataDir);
      const { apiKey, connectionId } = await tenantAndConnection(first, receiver.url);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = await startProcess(dataDir);
      const connection = await call(`${second.url}/v1/connections/${connectionId}`, 'GET', apiKey);
      expect(connection.status).toBe(200);
      expect(connection.body).toMatchObject({ id: connectionId, name: 'Receiver', url: receiver.url });
      const listed = await call(`${second.url}/v1/connections`, 'GET', apiKey);
      expect((listed.body.data as { id: string }[]).map((c) => c.id)).toEqual([connectionId]);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it("after kill -9 mid-flow, the key works, the connection exists and every acknowledged command's webhook arrives, with the same webhook-id", async () => {
    const dataDir = newDataDir();
    // The first request hangs: the process dies with that attempt in flight.
    let answer: 'hang' | 200 = 'hang';
    const receiver = await startReceiver(() => answer);
    try {
      const first = await startProcess(dataDir);
      const { tenantId, apiKey, connectionId } = await tenantAndConnection(first, receiver.url);
      const inFlight = await createProject(first, tenantId, 'In flight at the kill');
      const before = await until('the first webhook in flight', () => webhooksFor(receiver, inFlight)[0], 30_000);
      // Acknowledged, then killed at once: its event may be anywhere between the store and the receiver.
      const justAcknowledged = await createProject(first, tenantId, 'Acknowledged just before the kill');
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');

      answer = 200;
      const second = await startProcess(dataDir);
      expect((await call(`${second.url}/v1/connections/${connectionId}`, 'GET', apiKey)).status).toBe(200);
      const retried = await until(
        'the in-flight webhook again',
        () => webhooksFor(receiver, inFlight).find((request) => request !== before),
        90_000,
      );
      expect(retried.headers['webhook-id']).toBe(before.headers['webhook-id']);
      const after = await until(
        'the webhook of the command acknowledged before the kill',
        () => webhooksFor(receiver, justAcknowledged)[0],
        90_000,
      );
      expect(after.headers['webhook-id']).toEqual(expect.any(String));
      // At least once, never under two ids.
      expect(
        new Set(webhooksFor(receiver, justAcknowledged).map((request) => request.headers['webhook-id'])).size,
      ).toBe(1);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await receiver.close();
    }
  }, 240_000);
});
