// Faults while events flow, on a Kafka broker and a FerretDB server of this
// test's own (the shared ones are never touched): two dispatcher processes,
// one killed with SIGKILL and restarted; the broker restarted; FerretDB killed
// and restarted; receivers answering 500, hanging past the timeout, resetting
// the connection, answering slowly, or failing until their connection is
// blocked. After recovery every event must be accounted for (see
// lib/accounting.ts); the counts are printed and written to
// test/reports/faults/faults.{json,md}.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent, deadLetterTopic, domainTopics, findEventType, toKafkaMessage } from '@hookline/events';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restartServer, startInstance, stopInstance, type InfraInstance } from '../infra/infra.js';
import { account, formatTable, writeReport, type DeliveryRow, type ExpectedPair } from './lib/accounting.js';
import { repoRoot, startDispatcherProcess, type DispatcherProcess } from './lib/processes.js';
import { startFaultReceiver, type FaultReceiver } from './lib/receiver.js';

const instance: InfraInstance = {
  stateDir: join(repoRoot, '.hookline', 'infra-faults'),
  kafkaPort: Number(process.env.HOOKLINE_FAULTS_KAFKA_PORT ?? 39192),
  mongoPort: Number(process.env.HOOKLINE_FAULTS_MONGO_PORT ?? 37117),
};
const reportDir = join(repoRoot, 'test', 'reports', 'faults');
/** At least this many events; publishing goes on until the last fault is over. */
const EVENTS = Number(process.env.HOOKLINE_FAULTS_EVENTS ?? 60);
const INTERVAL_MS = Number(process.env.HOOKLINE_FAULTS_INTERVAL_MS ?? 500);
const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);

const runId = randomUUID().slice(0, 8);
const adminKey = `faults-admin-${randomUUID()}`;
const types = [
  'coworking.person.created',
  'coworking.lead.created',
  'coworking.booking.created',
  'coworking.charge.generated',
] as const;
/** Which connections each type reaches (the filters below, restated independently of the dispatcher). */
const receivesType: Record<string, string[]> = {
  'coworking.person.created': ['healthy', 'error500', 'slow'],
  'coworking.lead.created': ['healthy', 'reset', 'slow'],
  'coworking.booking.created': ['healthy', 'hang', 'slow'],
  'coworking.charge.generated': ['healthy', 'down'],
};
const filters: Record<string, string[]> = {
  healthy: ['coworking.*'],
  error500: ['coworking.person.*'],
  hang: ['coworking.booking.*'],
  reset: ['coworking.lead.*'],
  slow: ['coworking.person.*', 'coworking.lead.*', 'coworking.booking.*'],
  down: ['coworking.charge.*'],
};
// Short enough for a test, long enough that nothing is exhausted: the faults
// must end in deliveries, not in failed ones.
const retry = { maxAttempts: 20, windowSeconds: 900, timeoutMs: 1000, backoffSeconds: [0.2, 0.5, 1] };

let brokers = '';
let mongodbUri = '';
const dispatchers: DispatcherProcess[] = [];
const receivers: Record<string, FaultReceiver> = {};

beforeAll(async () => {
  // A clean instance of our own each run (stopping a leftover one first).
  await stopInstance(instance, log);
  rmSync(instance.stateDir, { recursive: true, force: true });
  // Only this file's reports: the other files of the project write beside them.
  mkdirSync(reportDir, { recursive: true });
  for (const name of ['faults.json', 'faults.md', 'dispatcher-a.log', 'dispatcher-b.log'])
    rmSync(join(reportDir, name), { force: true });
  const servers = await startInstance(instance, log);
  brokers = servers.kafkaBrokers;
  mongodbUri = servers.mongodbUri;
}, 180_000);

afterAll(async () => {
  for (const receiver of Object.values(receivers)) await receiver.close();
  await Promise.all(dispatchers.map((d) => d.stop(10_000)));
  if (process.env.HOOKLINE_KEEP_INFRA !== '1') await stopInstance(instance, log);
}, 120_000);

async function api(base: string, method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Sends until the broker acknowledges (through its restart); the same event id every time. */
async function sendAcked(
  producer: Producer,
  topic: string,
  message: { key: string; value: string; headers?: Record<string, string> },
) {
  for (let attempt = 1; ; attempt++) {
    try {
      await producer.send({ topic, acks: -1, messages: [message] });
      return;
    } catch (error) {
      if (attempt > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

async function readDeadLetters(wanted: Set<string>, timeoutMs: number): Promise<Map<string, string>> {
  const kafka = new Kafka({ clientId: `faults-dlq-${runId}`, brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `faults-dlq-${runId}-${randomUUID().slice(0, 4)}` });
  const found = new Map<string, string>();
  await consumer.connect();
  await consumer.subscribe({ topic: deadLetterTopic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const reason = String(message.headers?.['hookline-dead-letter-reason'] ?? '');
        const key = message.key ? String(message.key) : '';
        let id = '';
        try {
          id = String((JSON.parse(String(message.value)) as { id?: unknown }).id ?? '');
        } catch {
          // unparsable: the key names it
        }
        for (const name of [key, id]) if (name && reason) found.set(name, reason);
        if ([...wanted].every((name) => found.has(name))) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return found;
}

/**
 * kafkajs logs "Consumer: Crash: …" when a consumer's run loop dies, then
 * "Restarting the consumer" when it restarts itself; after an error it deems
 * non-retriable (e.g. "Failed to find group coordinator" while the broker
 * restarts) the bus starts a new consumer and logs "a new one starts in". A
 * crash followed by neither leaves the dispatcher consuming nothing for good.
 */
function consumerCrashesWithoutRestart(name: string, logFile: string): string[] {
  let lines: string[] = [];
  try {
    lines = readFileSync(logFile, 'utf8').split('\n');
  } catch {
    return [];
  }
  const crashes: string[] = [];
  lines.forEach((line, n) => {
    if (!line.includes('Consumer: Crash')) return;
    const restarted = lines
      .slice(n + 1, n + 20)
      .some((next) => next.includes('Restarting the consumer') || next.includes('a new one starts in'));
    const message = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 200);
    if (!restarted) crashes.push(`${name}: ${message}`);
  });
  return crashes;
}

describe('faults while events flow', () => {
  it('accounts for every event after a dispatcher kill -9, a broker restart, a FerretDB restart and misbehaving receivers', async () => {
    const t0 = Date.now();
    const faults: { at: number; what: string; tookMs: number }[] = [];
    const env = {
      KAFKA_BROKERS: brokers,
      MONGODB_URI: mongodbUri,
      MONGODB_DB: `faults_${runId}`,
      HOOKLINE_ADMIN_KEY: adminKey,
      HOOKLINE_URL_ALLOWLIST: '127.0.0.1',
      DISPATCHER_GROUP_ID: `faults-${runId}`,
      DISPATCHER_TOPICS: domainTopics.coworking,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      HOOKLINE_RATE_LIMIT_PER_MINUTE: '100000',
    };
    dispatchers.push(
      ...(await Promise.all(
        ['dispatcher-a', 'dispatcher-b'].map((name) =>
          startDispatcherProcess(name, env, join(reportDir, `${name}.log`)),
        ),
      )),
    );
    const [a] = dispatchers as [DispatcherProcess, DispatcherProcess];

    Object.assign(receivers, {
      healthy: await startFaultReceiver('healthy', () => ({ kind: 'answer', status: 200 })),
      error500: await startFaultReceiver('error500', (n) => ({ kind: 'answer', status: n % 3 === 0 ? 500 : 200 })),
      hang: await startFaultReceiver('hang', (n) => (n % 6 === 0 ? { kind: 'hang' } : { kind: 'answer', status: 200 })),
      reset: await startFaultReceiver('reset', (n) =>
        n % 4 === 0 ? { kind: 'reset' } : { kind: 'answer', status: 200 },
      ),
      slow: await startFaultReceiver('slow', (n) => ({
        kind: 'answer',
        status: 200,
        delayMs: 100 + ((n * 137) % 600),
      })),
      down: await startFaultReceiver('down', () => ({ kind: 'answer', status: 503 })),
    });
    const tenant = await api(a.url, 'POST', '/v1/tenants', adminKey, { name: `faults-${runId}` });
    const connectionIds: Record<string, string> = {};
    for (const [name, eventTypes] of Object.entries(filters)) {
      const created = await api(a.url, 'POST', '/v1/connections', String(tenant.apiKey), {
        name,
        url: receivers[name]!.url,
        filter: { eventTypes },
        retry,
      });
      connectionIds[name] = String(created.id);
    }

    // The stream: valid catalog events, a bad message every 20th.
    const kafka = new Kafka({
      clientId: `faults-producer-${runId}`,
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 200 },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const validEvents: string[] = [];
    const badEvents: string[] = [];
    const expected: ExpectedPair[] = [];
    let chaosDone = false;
    const publishing = (async () => {
      const started = Date.now();
      // At least EVENTS events, and on until the last fault is over.
      for (let i = 0; i < EVENTS || !chaosDone; i++) {
        const type = types[i % types.length]!;
        const event = createEvent({
          id: `${runId}-${i}`,
          type,
          subject: `${type.split('.')[1]}-${i % 10}`,
          tenant: String(tenant.id),
          data: structuredClone(findEventType(type)!.example),
        });
        const message = toKafkaMessage(event);
        await sendAcked(producer, domainTopics.coworking, {
          key: message.key,
          value: message.value,
          headers: message.headers,
        });
        validEvents.push(event.id);
        for (const connection of receivesType[type]!) expected.push({ eventId: event.id, connection });
        if (i % 20 === 10) {
          const id = `${runId}-bad-${i}`;
          const bad =
            i % 40 === 10
              ? {
                  key: id,
                  value: JSON.stringify({ ...event, id, subject: id, type: 'coworking.spaceship.launched' }),
                  headers: { 'content-type': 'application/cloudevents+json' },
                }
              : {
                  key: id,
                  value: `{"id": "${id}", not json`,
                  headers: { 'content-type': 'application/cloudevents+json' },
                };
          await sendAcked(producer, domainTopics.coworking, bad);
          badEvents.push(id);
        }
        const due = started + (i + 1) * INTERVAL_MS;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      }
    })();

    const fault = async (atMs: number, what: string, action: () => Promise<unknown>) => {
      const wait = t0 + atMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const started = Date.now();
      log(`${((started - t0) / 1000).toFixed(1)} s: ${what} (${validEvents.length} events published so far)`);
      await action();
      faults.push({ at: started - t0, what, tookMs: Date.now() - started });
      log(`${((Date.now() - t0) / 1000).toFixed(1)} s: done: ${what}`);
    };
    const base = Date.now() - t0;
    // The faults one after another while events flow: the broker restarts, then
    // FerretDB, then dispatcher-a is killed and started again (its start waits
    // until it joined the consumer group, ~30 s: the group waits for the dead
    // member's session to time out; its lease shards are taken over when the
    // leases expire, 30 s). HOOKLINE_FAULTS_OVERLAP=1 restarts the broker during
    // that rebalance instead, which reproduces the known consumer crash (README).
    const overlap = process.env.HOOKLINE_FAULTS_OVERLAP === '1';
    const restartKafka = () => restartServer(instance, 'kafka', 'SIGTERM', log);
    const restartFerret = () => restartServer(instance, 'ferretdb', 'SIGKILL', log);
    const restartA = async () => {
      await a.kill9();
      await a.start();
    };
    const chaos = (async () => {
      try {
        if (overlap) {
          const killed = fault(base + 3_000, 'kill -9 dispatcher-a, start it again', restartA);
          await fault(
            base + 9_000,
            'restart the Kafka broker (SIGTERM, start on the same port and data) during the rebalance',
            restartKafka,
          );
          await killed;
        } else {
          await fault(
            base + 5_000,
            'restart the Kafka broker (SIGTERM, start on the same port and data)',
            restartKafka,
          );
          await fault(Date.now() - t0 + 4_000, 'kill -9 FerretDB, start it on the same port and data', restartFerret);
          await fault(Date.now() - t0 + 4_000, 'kill -9 dispatcher-a, start it again', restartA);
        }
        // A little more traffic after the last fault.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      } finally {
        chaosDone = true;
      }
    })();
    await Promise.all([publishing, chaos]);
    await producer.disconnect();
    const publishedAt = Date.now();
    log(
      `published ${validEvents.length} valid + ${badEvents.length} bad events in ${((publishedAt - t0) / 1000).toFixed(1)} s; waiting for the dispatchers to settle`,
    );

    // Settle: every expected delivery exists and none is still pending.
    const mongo = new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 5000 });
    const deliveries = mongo.db(`faults_${runId}`).collection<DeliveryRow>('deliveries');
    let rows: DeliveryRow[] = [];
    const settleDeadline = Date.now() + Number(process.env.HOOKLINE_FAULTS_SETTLE_MS ?? 150_000);
    let last = '';
    let changedAt = Date.now();
    for (;;) {
      rows = await deliveries
        .find(
          { tenantId: String(tenant.id) },
          { projection: { _id: 1, eventId: 1, connectionId: 1, status: 1, reason: 1 } },
        )
        .toArray()
        .catch(() => rows);
      const counts: Record<string, number> = {};
      for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
      const state = `${rows.length}/${expected.length} deliveries ${JSON.stringify(counts)}`;
      if (state !== last) {
        log(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${state}`);
        changedAt = Date.now();
      }
      last = state;
      if (rows.length >= expected.length && !counts.pending) break;
      if (Date.now() > settleDeadline) {
        log('settle deadline passed: accounting as is');
        break;
      }
      // Nothing moved for a minute (longer than a lease takeover): it will not settle.
      if (Date.now() - changedAt > 60_000) {
        log('no progress for 60 s: accounting as is');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await mongo.close();
    // Give a duplicate in flight its chance to land before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const deadLetters = await readDeadLetters(new Set(badEvents), 30_000);

    faults.sort((x, y) => x.at - y.at);
    const result = account({
      validEvents,
      badEvents,
      expected,
      connectionIds,
      receivers,
      deliveries: rows,
      deadLetters,
    });
    const exits = Object.fromEntries(dispatchers.map((d) => [d.name, [...d.exits]]));
    const consumerCrashes = dispatchers.flatMap((d) =>
      consumerCrashesWithoutRestart(d.name, join(reportDir, `${d.name}.log`)),
    );
    const report = {
      runId,
      finishedAt: new Date().toISOString(),
      wallSeconds: Math.round((Date.now() - t0) / 100) / 10,
      settleSeconds: Math.round((Date.now() - publishedAt) / 100) / 10,
      faults,
      retry,
      dispatcherExits: exits,
      dispatchersRunning: Object.fromEntries(dispatchers.map((d) => [d.name, d.running()])),
      consumerCrashes,
      ...result,
    };
    const table = `# Faults run ${runId} (${report.wallSeconds} s)\n\nfaults: ${faults.map((f) => `${(f.at / 1000).toFixed(1)} s ${f.what} (${(f.tookMs / 1000).toFixed(1)} s)`).join('; ')}\n\n${formatTable(result)}\n\nKafka consumers crashed without restart: ${consumerCrashes.length === 0 ? 'none' : consumerCrashes.join('; ')}`;
    writeReport(reportDir, 'faults', report, table);
    process.stderr.write(`\n${table}\n\n`);

    // Nothing was lost, nothing crashed, and the faults ended where they should.
    expect(consumerCrashes, 'a Kafka consumer crashed and was not restarted').toEqual([]);
    expect(result.unaccounted, table).toBe(0);
    expect(result.deadLettered.bad).toBe(badEvents.length);
    expect(result.held, 'the blocked connection holds its events').toBeGreaterThan(0);
    expect(
      dispatchers.every((d) => d.running()),
      `dispatcher exits: ${JSON.stringify(exits)}`,
    ).toBe(true);
    expect(exits['dispatcher-a']).toEqual(['SIGKILL']);
  }, 420_000);
});
