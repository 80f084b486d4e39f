// Bad HTTP input against the whole platform in one process (every service's
// routes, on the shared Kafka and FerretDB servers of the run): oversized
// bodies, deeply nested JSON, invalid UTF-8 and huge headers answer 4xx, never
// 5xx, and the server still answers afterwards; then a schemathesis fuzz run
// over the OpenAPI document (/docs/json) must find no server error.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startPlatform } from '@hookline/platform';
import { testPlatformEnv } from '@hookline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './lib/processes.js';
import { ensureSchemathesis, runSchemathesis } from './lib/schemathesis.js';

const id = randomUUID().slice(0, 8);
const adminKey = `fuzz-admin-${randomUUID()}`;
const serviceKey = `fuzz-service-${randomUUID()}`;
const reportDir = join(repoRoot, 'test', 'reports', 'faults');
const serviceHar = join(reportDir, 'schemathesis-service.har');
const log = (line: string) => process.stderr.write(`[bad-input-http] ${line}\n`);
let platform: Awaited<ReturnType<typeof startPlatform>>;
let tenantKey = '';
let tenantId = '';
const schemathesis = ensureSchemathesis(log);
// Installed while the platform starts; a failed install is reported by the fuzz test.
schemathesis.catch(() => undefined);

beforeAll(async () => {
  platform = await startPlatform({
    installSignals: false,
    env: {
      ...testPlatformEnv({ name: 'fuzz', id, adminKey, serviceKey, topics: [`fuzz-${id}.none`] }),
      HOOKLINE_RATE_LIMIT_PER_MINUTE: '1000000',
    },
  });
  const created = await fetch(`${platform.url}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'fuzz' }),
  });
  expect(created.status).toBe(201);
  const tenant = (await created.json()) as { id: string; apiKey: string };
  tenantKey = tenant.apiKey;
  tenantId = tenant.id;
}, 180_000);
afterAll(async () => {
  await platform?.stop();
});

/** One raw HTTP/1.1 exchange (bytes as given: nothing is re-encoded); resolves with the status, or 0 when the server closed without one. */
function rawRequest(request: Buffer): Promise<{ status: number; head: string }> {
  const url = new URL(platform.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('latin1');
      if (text.includes('\r\n\r\n')) socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    );
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: text.split('\r\n\r\n')[0] ?? '' });
    });
    socket.write(request);
  });
}

function httpRequest(method: string, path: string, headers: Record<string, string>, body: Buffer = Buffer.alloc(0)) {
  const url = new URL(platform.url);
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `host: ${url.host}`,
    'connection: close',
    `content-length: ${body.length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return rawRequest(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}

const json = { 'content-type': 'application/json' };
const tenantHeaders = () => ({ ...json, authorization: `Bearer ${tenantKey}` });
const adminHeaders = () => ({ ...json, authorization: `Bearer ${adminKey}` });
/** The products' back ends' calls: the service credential, the tenant and who acts. */
const domainHeaders = {
  ...json,
  authorization: `Bearer ${serviceKey}`,
  'hookline-tenant': 'tenant-fuzz',
  'hookline-actor': 'user:1',
  'hookline-actor-role': 'seller',
  'hookline-actor-id': 'seller-1',
};

/** Routes that take a JSON body, one per service, with the headers they need. */
const bodyRoutes = (): { method: string; path: string; headers: Record<string, string> }[] => [
  { method: 'POST', path: '/v1/connections', headers: tenantHeaders() },
  { method: 'PATCH', path: '/v1/connections/con_missing', headers: tenantHeaders() },
  { method: 'POST', path: '/v1/event-types', headers: adminHeaders() },
  { method: 'POST', path: '/v1/tenants', headers: adminHeaders() },
  { method: 'POST', path: '/accounting/partners', headers: domainHeaders },
  { method: 'POST', path: '/accounting/invoices', headers: domainHeaders },
  { method: 'POST', path: '/marketplace/projects', headers: domainHeaders },
  { method: 'POST', path: '/coworking/customer/1/create-customer', headers: domainHeaders },
];

function nested(depth: number, kind: 'object' | 'array', leaf = '1'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

async function expectStillAnswering() {
  const health = await fetch(`${platform.url}/health`);
  expect(health.status).toBe(200);
}

interface Probe {
  what: string;
  status: number;
}
const probes: Probe[] = [];

describe('bad HTTP input answers 4xx, never 5xx', () => {
  it('oversized bodies: 413 on every service, declared or streamed', async () => {
    const big = Buffer.from(JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }));
    for (const route of bodyRoutes()) {
      const { status } = await httpRequest(route.method, route.path, route.headers, big);
      probes.push({ what: `${route.method} ${route.path} with a 1 MiB + body`, status });
      expect(status, `${route.method} ${route.path}`).toBe(413);
    }
    // Chunked, no content-length: the limit holds while streaming.
    const url = new URL(platform.url);
    const head = `POST /v1/connections HTTP/1.1\r\nhost: ${url.host}\r\nconnection: close\r\ntransfer-encoding: chunked\r\ncontent-type: application/json\r\nauthorization: Bearer ${tenantKey}\r\n\r\n`;
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const opening = Buffer.from('{"name":"');
    const chunks = [Buffer.from(head), Buffer.from(`${opening.length.toString(16)}\r\n`), opening, Buffer.from('\r\n')];
    for (let n = 0; n < 6; n++)
      chunks.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    chunks.push(Buffer.from('0\r\n\r\n'));
    const streamed = await rawRequest(Buffer.concat(chunks));
    probes.push({ what: 'POST /v1/connections, 1.5 MiB chunked', status: streamed.status });
    expect(streamed.status).toBe(413);
    await expectStillAnswering();
  });

  it('deeply nested JSON: 4xx on every service', async () => {
    const bodies = {
      'array nested 100,000 deep': nested(100_000, 'array'),
      'object nested 50,000 deep': nested(50_000, 'object'),
    };
    for (const route of bodyRoutes()) {
      for (const [what, body] of Object.entries(bodies)) {
        const { status } = await httpRequest(route.method, route.path, route.headers, Buffer.from(body));
        probes.push({ what: `${route.method} ${route.path}: ${what}`, status });
        expect(status, `${route.method} ${route.path}: ${what}`).toBeGreaterThanOrEqual(400);
        expect(status, `${route.method} ${route.path}: ${what}`).toBeLessThan(500);
      }
    }
    // Deep values in the connection's free-form field (headers: a record).
    for (const depth of [200, 5000]) {
      for (const route of bodyRoutes().filter((r) => r.path.startsWith('/v1/connections'))) {
        const body = `{"name":"deep","url":"http://127.0.0.1:9/x","filter":{"eventTypes":["*"]},"headers":${nested(depth, 'object', '"v"')}}`;
        const { status } = await httpRequest(route.method, route.path, route.headers, Buffer.from(body));
        probes.push({ what: `${route.method} ${route.path}: headers nested ${depth} deep`, status });
        expect(status, `${route.method} ${route.path}: headers nested ${depth} deep`).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }
    }
    // Custom event types take a JSON Schema and an example: deep ones too.
    const custom = (schema: string, example: string) =>
      `{"type":"fuzz.deep.created","description":"deep","schema":${schema},"example":${example}}`;
    const deepSchemas = {
      'a JSON Schema nested 5,000 deep': custom(nested(5000, 'object', '{}').replaceAll('"a"', '"not"'), '{}'),
      'a JSON Schema of properties nested 2,000 deep': custom(
        `${'{"type":"object","properties":{"a":'.repeat(2000)}{}${'}}'.repeat(2000)}`,
        '{}',
      ),
      'an example nested 5,000 deep': custom('{"type":"object"}', nested(5000, 'object')),
      'an example nested 150 deep (past BSON limits)': custom('{"type":"object"}', nested(150, 'object')),
    };
    for (const [what, body] of Object.entries(deepSchemas)) {
      const { status } = await httpRequest('POST', '/v1/event-types', adminHeaders(), Buffer.from(body));
      probes.push({ what: `POST /v1/event-types: ${what}`, status });
      expect(status, what).toBeLessThan(500);
      expect(status, what).not.toBe(0);
    }
    await expectStillAnswering();
  });

  it('invalid UTF-8: never a 5xx nor a dropped connection, on every service', async () => {
    const invalid = [
      { what: 'a lone continuation byte', bytes: Buffer.from([0x80]) },
      { what: 'an overlong encoding', bytes: Buffer.from([0xc0, 0xaf]) },
      { what: 'a truncated sequence', bytes: Buffer.from([0xe2, 0x82]) },
      { what: 'a UTF-16 surrogate encoded in UTF-8', bytes: Buffer.from([0xed, 0xa0, 0x80]) },
      { what: 'bytes 0xff 0xfe', bytes: Buffer.from([0xff, 0xfe]) },
    ];
    for (const route of bodyRoutes()) {
      for (const { what, bytes } of invalid) {
        const body = Buffer.concat([Buffer.from('{"name":"'), bytes, Buffer.from('","description":"x"}')]);
        const { status } = await httpRequest(route.method, route.path, route.headers, body);
        probes.push({ what: `${route.method} ${route.path}: ${what}`, status });
        expect(status, `${route.method} ${route.path}: ${what}`).toBeLessThan(500);
        expect(status, `${route.method} ${route.path}: ${what}`).not.toBe(0);
      }
    }
    // In the URL and in a header too.
    // The platform's own host name: another one would be stopped by the Host guard before routing.
    const host = new URL(platform.url).host;
    const inPath = await rawRequest(
      Buffer.concat([
        Buffer.from('GET /v1/connections/'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`x HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\nauthorization: Bearer ${tenantKey}\r\n\r\n`),
      ]),
    );
    probes.push({ what: 'GET /v1/connections/<0xff 0xfe>', status: inPath.status });
    expect(inPath.status).toBeGreaterThanOrEqual(400);
    expect(inPath.status).toBeLessThan(500);
    const inHeader = await rawRequest(
      Buffer.concat([
        Buffer.from(
          `POST /accounting/partners HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 13\r\nauthorization: Bearer ${serviceKey}\r\nhookline-tenant: `,
        ),
        Buffer.from([0xff, 0xfe, 0x80]),
        Buffer.from('\r\n\r\n{"name":"x"}\n'),
      ]),
    );
    probes.push({
      what: 'POST /accounting/partners, hookline-tenant header with invalid UTF-8',
      status: inHeader.status,
    });
    expect(inHeader.status).toBeLessThan(500);
    expect(inHeader.status).not.toBe(0);
    await expectStillAnswering();
  });

  // Decoding with replacement would store U+FFFD where the client sent other bytes.
  it('invalid UTF-8 in an otherwise valid body answers 400', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"utf8-'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    for (const route of [
      { path: '/v1/tenants', headers: adminHeaders() },
      { path: '/accounting/partners', headers: domainHeaders },
    ]) {
      const { status } = await httpRequest('POST', route.path, route.headers, body);
      probes.push({ what: `POST ${route.path}: invalid UTF-8 in a valid body`, status });
      expect(status, route.path).toBe(400);
    }
  });

  it('huge headers: 431, and the server still answers', async () => {
    const cases = {
      'one 64 KiB header': { 'x-big': 'a'.repeat(64 * 1024) },
      'a 1 MiB authorization header': { authorization: `Bearer ${'k'.repeat(1024 * 1024)}` },
      '3,000 headers (60 KB)': Object.fromEntries(
        Array.from({ length: 3000 }, (_, n) => [`x-header-${n}`, 'value-value']),
      ),
    };
    for (const [what, headers] of Object.entries(cases)) {
      const { status } = await httpRequest('GET', '/v1/connections', { ...tenantHeaders(), ...headers });
      probes.push({ what: `GET /v1/connections with ${what}`, status });
      expect(status, what).toBeGreaterThanOrEqual(400);
      expect(status, what).toBeLessThan(500);
    }
    // Just under Node's 16 KiB header limit, in the headers the routes read: 4xx, not 5xx.
    for (const header of ['authorization', 'hookline-tenant', 'hookline-actor', 'traceparent', 'content-type']) {
      const headers: Record<string, string> = { ...domainHeaders, [header]: 'z'.repeat(15 * 1024) };
      const { status } = await httpRequest('POST', '/accounting/partners', headers, Buffer.from('{"name":"x"}'));
      probes.push({ what: `POST /accounting/partners, 15 KiB ${header}`, status });
      expect(status, header).toBeLessThan(500);
      expect(status, header).not.toBe(0);
    }
    await expectStillAnswering();
  });
});

describe('API fuzz (schemathesis)', () => {
  it('finds no server error in any operation of the OpenAPI document', async () => {
    const python = await schemathesis;
    const maxExamples = process.env.HOOKLINE_FUZZ_EXAMPLES ?? '3';
    const common = [
      'run',
      `${platform.url}/docs/json`,
      '--url',
      platform.url,
      '--checks',
      'not_a_server_error',
      '--phases',
      'examples,fuzzing',
      '--workers',
      '2',
      '--no-shrink',
      '--request-timeout',
      '20',
      '--seed',
      process.env.HOOKLINE_FUZZ_SEED ?? String(Math.floor(Math.random() * 1_000_000)),
      '--output-truncate',
      'false',
      '--suppress-health-check',
      'all',
      '--warnings',
      'off',
    ];
    const runs = [
      // Every operation with a tenant key (the admin-only ones answer 403 to it).
      {
        name: 'tenant key, every operation',
        args: [...common, '--max-examples', maxExamples, '-H', `Authorization: Bearer ${tenantKey}`],
      },
      // The admin-only operations with the admin key.
      {
        name: 'admin key, admin operations',
        args: [
          ...common,
          '--max-examples',
          process.env.HOOKLINE_FUZZ_ADMIN_EXAMPLES ?? '30',
          '-H',
          `Authorization: Bearer ${adminKey}`,
          '--include-path-regex',
          '^/(v1/(tenants|event-types)|scheduler/timers)',
        ],
      },
      // The product and scheduler routes as the products' back ends call them: the service credential naming a tenant and a user.
      {
        name: 'service credential, product and scheduler operations',
        args: [
          ...common,
          '--max-examples',
          process.env.HOOKLINE_FUZZ_SERVICE_EXAMPLES ?? maxExamples,
          '-H',
          `Authorization: Bearer ${serviceKey}`,
          '-H',
          `hookline-tenant: ${tenantId}`,
          '-H',
          'hookline-actor-role: seller',
          '-H',
          'hookline-actor-id: seller-fuzz',
          '-H',
          'hookline-actor: user:fuzz',
          '--include-path-regex',
          '^/(marketplace|accounting|coworking|scheduler)/',
          // Every exchange, to check below that the credential got the requests past authentication.
          '--report',
          'har',
          '--report-har-path',
          serviceHar,
        ],
      },
    ];
    const failures: string[] = [];
    mkdirSync(reportDir, { recursive: true });
    rmSync(serviceHar, { force: true });
    for (const [n, run] of runs.entries()) {
      const t0 = Date.now();
      const result = await runSchemathesis(
        python,
        run.args,
        Number(process.env.HOOKLINE_FUZZ_TIMEOUT_MS ?? 150_000),
        reportDir,
      );
      const summary = result.output
        .split('\n')
        .filter((line) => /test cases|generated|found|passed|failed|Seed:|====/i.test(line))
        .slice(-6)
        .join('\n');
      log(
        `${run.name}: exit ${result.code}${result.timedOut ? ' (timed out)' : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n${summary}`,
      );
      writeFileSync(
        join(reportDir, `schemathesis-${n + 1}.log`),
        result.output
          .replaceAll(tenantKey, '<tenant key>')
          .replaceAll(adminKey, '<admin key>')
          .replaceAll(serviceKey, '<service key>'),
      );
      // Exit 1 means failures (what the API did) or errors (schemathesis's own, e.g.
      // a Hypothesis internal error): only the first fail the test; the second are
      // logged, as long as the run still generated test cases.
      const generated = Number(/(\d+) generated/.exec(result.output)?.[1] ?? 0);
      const apiFailures = /^Failures:\s*$/m.test(result.output);
      if (result.timedOut)
        failures.push(`${run.name}: schemathesis did not finish in time\n${result.output.slice(-4000)}`);
      else if (apiFailures || generated === 0 || (result.code !== 0 && result.code !== 1)) {
        const from = result.output.indexOf('FAILURES');
        failures.push(
          `${run.name}: exit ${result.code}, ${generated} test cases\n${result.output.slice(from === -1 ? -8000 : from).slice(0, 12_000)}`,
        );
      } else if (result.code !== 0)
        log(`${run.name}: schemathesis reported errors of its own (not API failures); see schemathesis-${n + 1}.log`);
    }
    // The service credential's run reached the product and scheduler routes themselves: none was refused for
    // want of a credential, and each prefix was answered past authentication (validated, read, created, or
    // refused by the domain: the credential check comes before all of these).
    const har = JSON.parse(readFileSync(serviceHar, 'utf8')) as {
      log: { entries: { request: { url: string }; response: { status: number } }[] };
    };
    const statuses = har.log.entries.map((entry) => ({
      path: new URL(entry.request.url).pathname,
      status: entry.response.status,
    }));
    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.filter((entry) => entry.status === 401)).toEqual([]);
    expect(statuses.some((entry) => entry.status >= 200 && entry.status < 300)).toBe(true);
    for (const prefix of [
      '/marketplace/',
      '/accounting/',
      '/coworking/',
      '/scheduler/reminder-rules',
      '/scheduler/file-holds',
    ]) {
      expect(
        statuses.some(
          (entry) => entry.path.startsWith(prefix) && entry.status < 500 && ![401, 403, 429].includes(entry.status),
        ),
        `an answer past authentication under ${prefix}`,
      ).toBe(true);
    }
    // A tenant made by the fuzz's POST /v1/tenants never shows up as ours.
    expect(tenantId).toMatch(/^ten_/);
    expect(failures.join('\n\n')).toBe('');
    await expectStillAnswering();
  }, 400_000);
});

afterAll(() => {
  mkdirSync(reportDir, { recursive: true });
  writeFileSync(join(reportDir, 'bad-input-http.json'), `${JSON.stringify(probes, null, 2)}\n`);
});
