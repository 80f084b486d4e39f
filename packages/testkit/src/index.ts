// Test plumbing shared by the services' integration tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runServices, type RunningPlatform, type ServiceFactory } from '@hookline/runtime';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status to answer with, at once or after a delay (a slow receiver), or 'hang' to never answer. */
  respond: (request: ReceivedRequest) => number | 'hang' | { status: number; afterMs: number };
  close(): Promise<void>;
}

/** A local webhook receiver that records what it gets. */
export async function startReceiver(respond: Receiver['respond'] = () => 200, host = '127.0.0.1'): Promise<Receiver> {
  const hanging = new Set<() => void>();
  const receiver: Receiver = { url: '', requests: [], respond, close: async () => undefined };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const received = { headers: request.headers, body, json, at: Date.now() };
      receiver.requests.push(received);
      const answer = receiver.respond(received);
      if (answer === 'hang') {
        hanging.add(() => response.destroy());
        return;
      }
      const send = (status: number) =>
        response.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status}`);
      if (typeof answer === 'number') return send(answer);
      const timer = setTimeout(() => {
        hanging.delete(cancel);
        send(answer.status);
      }, answer.afterMs);
      const cancel = () => {
        clearTimeout(timer);
        response.destroy();
      };
      hanging.add(cancel);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  receiver.url = `http://${host}:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = async () => {
    for (const end of hanging) end();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** The headers of a call with the service credential, acting for `tenant` as `actor` (`hookline-actor`, `hookline-actor-role`, `hookline-actor-id`). */
export function serviceHeaders(
  serviceKey: string,
  tenant: string,
  actor: Record<string, string> = {},
): Record<string, string> {
  return { authorization: `Bearer ${serviceKey}`, 'hookline-tenant': tenant, ...actor };
}

/** Polls until `check` returns a truthy value, or fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export interface PlatformProcess {
  child: ChildProcess;
  url: string;
  /** The platform's `hookline listening` log entry (url, dataDir, tracing, …). */
  listening: Record<string, unknown>;
  /** The exit code, or the signal that ended the process. */
  exited: Promise<number | string | null>;
}

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The platform as `npm start` runs it, in its own process on a free loopback port, with `env` added (PATH and
 * nothing else of this process's environment); resolves once it logs `hookline listening`. A process that exits
 * first rejects; one that does not listen within `timeoutMs` is killed and rejects.
 */
export async function startPlatformProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<PlatformProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@hookline/source', '--import', 'tsx', 'services/platform/src/main.ts'],
    {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let listening: Record<string, unknown> | undefined;
  let buffered = '';
  // Read until it listens; then stdout is only drained, so the process never blocks on a full pipe.
  child.stdout!.on('data', (chunk: Buffer) => {
    if (listening) return;
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === 'hookline listening') listening = entry;
      } catch {
        // not a log line
      }
    }
  });
  try {
    const started = await Promise.race([
      until('the platform listening', () => listening, timeoutMs),
      exited.then((code) => Promise.reject(new Error(`the platform exited (${code}) before listening`))),
    ]);
    return { child, url: String(started.url), listening: started, exited };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

export interface WebhookPlatform {
  platform: RunningPlatform;
  adminKey: string;
  /** The service credential the platform's services accept (HOOKLINE_SERVICE_KEY). */
  serviceKey: string;
  tenant: string;
  apiKey: string;
  /** Headers of a product call as the products' back end makes it: the service credential, the tenant, who acts. */
  asService(tenant: string, actor?: Record<string, string>): Record<string, string>;
  /** A recording receiver subscribed to `filter` (a connection's filter). */
  connect(filter: object, respond?: Receiver['respond']): Promise<Receiver>;
  stop(): Promise<void>;
}

/**
 * The environment of an in-process test platform on the run's real servers
 * (KAFKA_BROKERS, MONGODB_URI): any free port, quiet logs, a database and a
 * dispatcher consumer group of its own, local receivers admitted.
 */
export function testPlatformEnv(options: {
  name: string;
  id: string;
  adminKey: string;
  topics: string[];
  serviceKey?: string;
}): NodeJS.ProcessEnv {
  return {
    ...(options.serviceKey ? { HOOKLINE_SERVICE_KEY: options.serviceKey } : {}),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    MONGODB_URI: process.env.MONGODB_URI,
    MONGODB_DB: `${options.name.replace(/[^A-Za-z0-9_-]/g, '_')}_${options.id}`,
    HOOKLINE_ADMIN_KEY: options.adminKey,
    HOOKLINE_URL_ALLOWLIST: '127.0.0.1',
    DISPATCHER_TOPICS: options.topics.join(','),
    DISPATCHER_GROUP_ID: `${options.name}-${options.id}`,
  };
}

/**
 * The services under test, the dispatcher among them (it serves /v1), on the
 * real servers (the test run's KAFKA_BROKERS and MONGODB_URI), with a
 * database and consumer group of their own, and one tenant.
 */
export async function startWebhookPlatform(options: {
  name: string;
  services: ServiceFactory[];
  topics: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<WebhookPlatform> {
  const id = randomUUID().slice(0, 8);
  const adminKey = `admin-${randomUUID()}`;
  const serviceKey = `service-${randomUUID()}`;
  const platform = await runServices(options.name, options.services, {
    installSignals: false,
    env: {
      ...testPlatformEnv({ name: options.name, id, adminKey, serviceKey, topics: options.topics }),
      ...options.env,
    },
  });
  const created = await platform.app.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: { authorization: `Bearer ${adminKey}` },
    payload: { name: options.name },
  });
  if (created.statusCode !== 201) throw new Error(`could not create a tenant: ${created.body}`);
  const { id: tenant, apiKey } = created.json<{ id: string; apiKey: string }>();
  const receivers: Receiver[] = [];
  return {
    platform,
    adminKey,
    serviceKey,
    tenant,
    apiKey,
    asService: (actingFor, actor = {}) => serviceHeaders(serviceKey, actingFor, actor),
    async connect(filter, respond) {
      const receiver = await startReceiver(respond);
      receivers.push(receiver);
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/connections',
        headers: { authorization: `Bearer ${apiKey}` },
        payload: { name: `receiver ${receivers.length}`, url: receiver.url, filter },
      });
      if (response.statusCode !== 201) throw new Error(`could not create a connection: ${response.body}`);
      return receiver;
    },
    async stop() {
      for (const receiver of receivers) await receiver.close();
      await platform.stop();
    },
  };
}
