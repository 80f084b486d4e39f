// The delivery log's latency once the store holds many deliveries (issue 17:
// the first page of GET /v1/deliveries, with and without connectionId and
// status, in under 500 ms p95 with 100,000 deliveries stored). Times the API
// of a running dispatcher, requests one after another (within a time budget
// per query: a slow one would take hours), and counts what is stored directly
// on the bench's database (not through the counting proxy).
import type { DeliveryStatus } from '@hookline/dispatcher';
import { MongoClient } from 'mongodb';
import type { DeliveryLogResult } from './types.js';

export interface LogTenant {
  /** Its name in the results: `quiet`, `noisy`. */
  label: string;
  tenantId: string;
  apiKey: string;
  /** The connection the `connectionId` filter names. */
  connectionId: string;
}

const statuses: readonly DeliveryStatus[] = ['pending', 'held', 'succeeded', 'failed', 'discarded'];
const PAGE = 50;
/** A request slower than this is given up (an error; its time counts as this). */
const REQUEST_TIMEOUT_MS = 300_000;

/** Nearest rank. */
const percentile = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
const round = (value: number) => Math.round(value * 10) / 10;

/** Deliveries stored, by tenant, status and connection: one pass over the collection; undefined when it took longer than `timeoutMs`. */
async function storedCounts(mongodbUri: string, database: string, timeoutMs: number) {
  const client = new MongoClient(mongodbUri, { directConnection: true });
  await client.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    const counting = client
      .db(database)
      .collection('deliveries')
      .aggregate<{ _id: { tenantId: string; status: string; connectionId: string }; n: number }>(
        [
          {
            $group: {
              _id: { tenantId: '$tenantId', status: '$status', connectionId: '$connectionId' },
              n: { $sum: 1 },
            },
          },
        ],
        { maxTimeMS: timeoutMs },
      )
      .toArray();
    counting.catch(() => undefined);
    const groups = await Promise.race([
      counting,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs))),
    ]);
    return groups?.map(({ _id, n }) => ({ ..._id, n }));
  } finally {
    clearTimeout(timer);
    await client.close(true);
  }
}

export async function timeDeliveryLog(input: {
  baseUrl: string;
  mongodbUri: string;
  database: string;
  tenants: LogTenant[];
  /** Requests per query, one after another: at most `requests`, no more once `budgetMs` is spent on the query (at least one). */
  requests: number;
  budgetMs: number;
  log: (line: string) => void;
}): Promise<DeliveryLogResult> {
  const counted = Date.now();
  const groups = await storedCounts(input.mongodbUri, input.database, REQUEST_TIMEOUT_MS);
  const countSeconds = Math.round((Date.now() - counted) / 100) / 10;
  input.log(
    `  delivery log: ${groups ? `${groups.reduce((sum, g) => sum + g.n, 0)} deliveries stored` : 'deliveries stored not counted (no answer)'} in ${countSeconds} s`,
  );
  const matching = (filter: { tenantId: string; status?: string; connectionId?: string }) =>
    groups
      ? groups
          .filter(
            (g) =>
              g.tenantId === filter.tenantId &&
              (!filter.status || g.status === filter.status) &&
              (!filter.connectionId || g.connectionId === filter.connectionId),
          )
          .reduce((sum, g) => sum + g.n, 0)
      : null;
  const byTenant: DeliveryLogResult['stored']['byTenant'] = {};
  for (const tenant of input.tenants) {
    const byStatus: Record<string, number> = {};
    for (const status of statuses) {
      const n = matching({ tenantId: tenant.tenantId, status }) ?? 0;
      if (n > 0) byStatus[status] = n;
    }
    byTenant[tenant.label] = { total: matching({ tenantId: tenant.tenantId }), byStatus };
  }
  // A request with no answer in REQUEST_TIMEOUT_MS: the store is stuck, the queries after it are not made.
  let stuck = false;

  const timed = async (tenant: LogTenant, query: string, path: string, expected: number | null) => {
    const times: number[] = [];
    const errors = new Set<string>();
    let rows = 0;
    const began = performance.now();
    for (let i = 0; i < input.requests && (i === 0 || performance.now() - began < input.budgetMs); i++) {
      const started = performance.now();
      try {
        const response = await fetch(`${input.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${tenant.apiKey}` },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = await response.text();
        times.push(performance.now() - started);
        if (!response.ok) errors.add(`${response.status} ${body.slice(0, 200)}`);
        else {
          const parsed = JSON.parse(body) as { data?: unknown[] };
          rows = Array.isArray(parsed.data) ? parsed.data.length : 1;
        }
      } catch (error) {
        times.push(performance.now() - started);
        errors.add(error instanceof Error ? error.message : String(error));
        if (error instanceof Error && error.name === 'TimeoutError') {
          stuck = true;
          break;
        }
      }
    }
    times.sort((a, b) => a - b);
    const row = {
      tenant: tenant.label,
      query,
      matching: expected,
      rows,
      requests: times.length,
      p50Ms: round(percentile(times, 0.5)),
      p95Ms: round(percentile(times, 0.95)),
      maxMs: round(times.at(-1) ?? 0),
      errors: [...errors],
    };
    input.log(
      `  delivery log: ${tenant.label} ${query}: p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms over ${times.length} requests (${rows} rows of ${expected ?? '?'} matching)${row.errors.length > 0 ? `; errors: ${row.errors.join('; ')}` : ''}`,
    );
    return row;
  };

  const queries: DeliveryLogResult['queries'] = [];
  const skipped: string[] = [];
  for (const tenant of input.tenants) {
    const counts = byTenant[tenant.label]!.byStatus;
    const ranked = [...statuses].sort(
      (a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || statuses.indexOf(a) - statuses.indexOf(b),
    );
    // Uncounted: the usual guesses (a tenant's deliveries mostly succeed; few fail).
    const common = groups ? ranked[0]! : 'succeeded';
    // The rarest status the tenant has, else one it has none of (the filter then reads everything and finds nothing).
    const rare =
      [...ranked].reverse().find((status) => status !== common && (counts[status] ?? 0) > 0) ??
      (common === 'failed' ? 'held' : 'failed');
    const list = `/v1/deliveries?limit=${PAGE}`;
    const plan: [string, string, number | null][] = [
      ['first page', list, byTenant[tenant.label]!.total],
      [
        'connectionId',
        `${list}&connectionId=${encodeURIComponent(tenant.connectionId)}`,
        matching({ tenantId: tenant.tenantId, connectionId: tenant.connectionId }),
      ],
      [`status=${common} (common)`, `${list}&status=${common}`, groups ? (counts[common] ?? 0) : null],
      [`status=${rare} (rare)`, `${list}&status=${rare}`, groups ? (counts[rare] ?? 0) : null],
    ];
    for (const [query, path, expected] of plan) {
      if (stuck) skipped.push(`${tenant.label} ${query}`);
      else queries.push(await timed(tenant, query, path, expected));
    }
    if (stuck) {
      skipped.push(`${tenant.label} GET /v1/deliveries/:id`);
      continue;
    }
    // One delivery with its attempts: the newest of the first page.
    const first = await fetch(`${input.baseUrl}${list}`, {
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
      .then(async (response) => (await response.json()) as { data?: { id: string }[] })
      .catch(() => ({ data: [] }));
    const id = first.data?.[0]?.id;
    if (id) queries.push(await timed(tenant, 'GET /v1/deliveries/:id', `/v1/deliveries/${encodeURIComponent(id)}`, 1));
    else skipped.push(`${tenant.label} GET /v1/deliveries/:id (no delivery on the first page)`);
  }
  if (skipped.length > 0) input.log(`  delivery log: not made: ${skipped.join(', ')}`);
  return {
    stored: { total: groups ? groups.reduce((sum, g) => sum + g.n, 0) : null, countSeconds, byTenant },
    requestsPerQuery: input.requests,
    queries,
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}
