// Test plumbing for the scheduler on the real servers: one injectable clock for
// every service, the real marketplace and coworking services in-process, a
// recording proxy in front of the marketplace, a recording coworking endpoint
// that answers itself (to inject failures and hangs) or forwards to the real
// coworking service, scheduler instances that can be started, stopped and
// killed, and coworking charge events published to a topic of the test's own.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KafkaEventBus } from '@hookline/bus';
import {
  chargeGenerated,
  chargeSettled,
  chargeStatusChanged,
  createEvent,
  toKafkaMessage,
  type HooklineEvent,
} from '@hookline/events';
import { createCoworkingService } from '@hookline/coworking';
import { createMarketplaceService } from '@hookline/marketplace';
import { Kafka, logLevel } from 'kafkajs';
import { runServices, type RunningPlatform } from '@hookline/runtime';
import type { TimerDocument } from '../src/adapters/scheduler-store.js';
import { createSchedulerService, type SchedulerService } from '../src/index.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const LEASE_MS = 60_000;

/** The credentials every service of the world shares: the admin key (timers) and the service credential (the scheduler's calls, the products' back ends). */
export const credentials = {
  admin: `scheduler-test-admin-${randomUUID()}`,
  service: `scheduler-test-service-${randomUUID()}`,
};

/** Headers of a call with the service credential acting for `tenant` (as `actor`, if given). */
export function asService(tenant: string, actor: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${credentials.service}`, 'hookline-tenant': tenant, ...actor };
}

export const asAdmin = { authorization: `Bearer ${credentials.admin}` };

/** The clock every service under test reads. */
export const clock = {
  ms: Date.parse('2026-03-02T08:00:00Z'),
  now: () => new Date(clock.ms),
  set(iso: string | number) {
    const ms = typeof iso === 'number' ? iso : Date.parse(iso);
    if (ms < clock.ms) throw new Error('the test clock only moves forward');
    clock.ms = ms;
  },
  advance(ms: number) {
    clock.ms += ms;
  },
  /** Today (UTC) plus days, as Y-m-d. */
  date(days = 0) {
    return new Date(clock.ms + days * DAY).toISOString().slice(0, 10);
  },
};

export async function until<T>(
  probe: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RecordedCall {
  method: string;
  path: string;
  tenant: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The test clock when the call arrived. */
  at: number;
}

export interface Recorder {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

type Answer = { status: number; body: string } | 'hang';
export type Respond = (call: RecordedCall) => Promise<Answer> | Answer;

/** An HTTP server that records every call and answers as `respond` says ('hang': never). */
export async function startRecorder(respond: Respond): Promise<Recorder & { respond: Respond }> {
  const hanging = new Set<ServerResponse>();
  const recorder = {
    url: '',
    calls: [] as RecordedCall[],
    respond,
    close: async () => undefined,
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const call: RecordedCall = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        tenant: String(request.headers['hookline-tenant'] ?? ''),
        headers: request.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        at: clock.ms,
      };
      recorder.calls.push(call);
      void Promise.resolve(recorder.respond(call)).then(
        (answer) => {
          if (answer === 'hang') {
            hanging.add(response);
            response.on('close', () => hanging.delete(response));
            return;
          }
          response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
        },
        (error: unknown) => response.writeHead(502).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  recorder.close = async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return recorder;
}

/** Forwards to `target()`, recording the call. */
export function forwardTo(target: () => string): Respond {
  return async (call) => {
    const response = await fetch(`${target()}${call.path}`, {
      method: call.method,
      headers: Object.fromEntries(
        Object.entries(call.headers).filter(
          ([name]) => name.startsWith('hookline-') || name === 'content-type' || name === 'authorization',
        ) as [string, string][],
      ),
      body: call.method === 'GET' ? null : JSON.stringify(call.body),
    });
    return { status: response.status, body: await response.text() };
  };
}

/** An isolated world on the real servers: its own database, coworking topic and consumer group. */
export async function createWorld() {
  const id = randomUUID().slice(0, 8);
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const uri = process.env.MONGODB_URI;
  if (brokers.length === 0 || !uri) throw new Error('KAFKA_BROKERS and MONGODB_URI must point at the test servers');
  const coworkingTopic = `test-${id}.coworking`;
  const bus = new KafkaEventBus({ brokers, clientId: `scheduler-test-${id}` });
  await bus.ensureTopics([{ name: coworkingTopic, partitions: 3 }]);
  const baseEnv = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    KAFKA_BROKERS: brokers.join(','),
    MONGODB_URI: uri,
    HOOKLINE_ADMIN_KEY: credentials.admin,
    HOOKLINE_SERVICE_KEY: credentials.service,
  };

  const marketplace = await runServices(
    'marketplace-under-test',
    [(context) => createMarketplaceService(context, { now: clock.now })],
    {
      installSignals: false,
      env: { ...baseEnv, MONGODB_DB: `scheduler_${id}_marketplace` },
    },
  );
  const coworkingService = await runServices(
    'coworking-under-test',
    [(context) => createCoworkingService(context, { now: clock.now })],
    {
      installSignals: false,
      env: { ...baseEnv, MONGODB_DB: `scheduler_${id}_coworking` },
    },
  );
  const marketplaceProxy = await startRecorder(forwardTo(() => marketplace.url));
  const coworking = await startRecorder(() => ({
    status: 200,
    body: JSON.stringify({ events: [{ type: 'coworking.charge.reminder' }] }),
  }));

  // The shared domain topics hold every earlier run's events: this world's group
  // starts at their current end (a new group would otherwise replay them all).
  const groupId = `scheduler-${id}`;
  const admin = new Kafka({ brokers, clientId: `scheduler-test-admin-${id}`, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (const topic of ['hookline.marketplace', 'hookline.coworking']) {
      await bus.ensureTopics([{ name: topic }]);
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
      });
    }
  } finally {
    await admin.disconnect();
  }

  const instances = new Set<SchedulerInstance>();
  const world = {
    id,
    bus,
    marketplace,
    marketplaceProxy,
    /** The real coworking service (publishing to hookline.coworking); `coworking` forwards to it when told to. */
    coworkingService,
    coworking,
    coworkingTopic,
    /** Starts a scheduler instance (same database and group as every other one of this world). */
    async scheduler(env: Record<string, string> = {}): Promise<SchedulerInstance> {
      const platform = await runServices(
        'scheduler-under-test',
        [(context) => createSchedulerService(context, { now: clock.now })],
        {
          installSignals: false,
          env: {
            ...baseEnv,
            MONGODB_DB: `scheduler_${id}`,
            SCHEDULER_TOPICS: `hookline.marketplace,hookline.coworking,${coworkingTopic}`,
            SCHEDULER_GROUP_ID: groupId,
            SCHEDULER_POLL_MS: '50',
            SCHEDULER_LEASE_MS: String(LEASE_MS),
            SCHEDULER_CALL_TIMEOUT_MS: '10000',
            SCHEDULER_RETRY_BASE_MS: '1000',
            SCHEDULER_MARKETPLACE_URL: marketplaceProxy.url,
            SCHEDULER_COWORKING_URL: coworking.url,
            ...env,
          },
        },
      );
      const service = platform.services[0] as SchedulerService;
      const instance: SchedulerInstance = {
        platform,
        service,
        scheduler: service.scheduler,
        stop: async () => {
          instances.delete(instance);
          await platform.stop();
        },
        kill: async () => {
          instances.delete(instance);
          await service.scheduler.kill();
          await platform.stop();
        },
      };
      instances.add(instance);
      return instance;
    },
    /** Publishes a coworking event to this world's coworking topic. */
    async publishCoworking(input: {
      type: string;
      tenant: string;
      subject: string;
      data: unknown;
      id?: string;
    }): Promise<HooklineEvent> {
      const event = createEvent({ ...input, time: clock.now() });
      const message = toKafkaMessage(event);
      await bus.publish(coworkingTopic, [{ key: message.key, value: message.value, headers: message.headers }]);
      return event;
    },
    async close() {
      for (const instance of [...instances]) await instance.stop();
      await marketplace.stop();
      await coworkingService.stop();
      await marketplaceProxy.close();
      await coworking.close();
      await bus.close();
    },
  };
  return world;
}

export type World = Awaited<ReturnType<typeof createWorld>>;

export interface SchedulerInstance {
  platform: RunningPlatform;
  service: SchedulerService;
  scheduler: SchedulerService['scheduler'];
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** The timers of a tenant, through the operators' route. */
export async function timersOf(
  instance: SchedulerInstance,
  query: Record<string, string>,
): Promise<(Omit<TimerDocument, '_id' | 'dueAt'> & { id: string; dueAt: string })[]> {
  const answer = await instance.platform.app.inject({
    method: 'GET',
    url: `/scheduler/timers?${new URLSearchParams({ limit: '1000', ...query })}`,
    headers: asAdmin,
  });
  if (answer.statusCode !== 200) throw new Error(`GET /scheduler/timers: ${answer.statusCode} ${answer.body}`);
  return answer.json<{ data: never[] }>().data;
}

/** The payload of a coworking charge event, from the catalog's example. */
export function chargeData(
  type: 'generated' | 'settled' | 'status_changed',
  chargeId: number,
  dueDate: string,
  unitId = 3,
): unknown {
  const definition = { generated: chargeGenerated, settled: chargeSettled, status_changed: chargeStatusChanged }[type];
  const data = structuredClone(definition.example) as Record<string, unknown>;
  return { ...data, chargeId, dueDate, company: { id: unitId, name: `Unit ${unitId}` } };
}
