// Accounts for every published event after the faults: each (event, connection)
// pair the filters select must be delivered (a 2xx at the receiver, duplicates
// counted by webhook-id), held (the connection is blocked), failed with a
// reason (retries exhausted), or its event dead-lettered with a reason.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultReceiver } from './receiver.js';

export interface DeliveryRow {
  _id: string;
  eventId: string;
  connectionId: string;
  status: string;
  reason?: string;
}

export interface ExpectedPair {
  eventId: string;
  connection: string;
}

export interface Accounting {
  published: { valid: number; bad: number };
  expectedDeliveries: number;
  deliveredUnique: number;
  duplicates: number;
  held: number;
  failedWithReason: number;
  deadLettered: { bad: number; valid: number };
  unaccounted: number;
  /** 2xx answers for webhook-ids no expected pair has (should be none). */
  unexpected: number;
  perConnection: Record<
    string,
    {
      expected: number;
      delivered: number;
      duplicates: number;
      held: number;
      failed: number;
      unaccounted: number;
      requests: Record<string, number>;
    }
  >;
  unaccountedSamples: string[];
}

export function account(input: {
  validEvents: string[];
  badEvents: string[];
  expected: ExpectedPair[];
  connectionIds: Record<string, string>;
  receivers: Record<string, FaultReceiver>;
  deliveries: DeliveryRow[];
  /** Event id or key → dead-letter reason. */
  deadLetters: Map<string, string>;
}): Accounting {
  const byPair = new Map(input.deliveries.map((d) => [`${d.eventId}|${d.connectionId}`, d]));
  const acknowledged = Object.fromEntries(
    Object.entries(input.receivers).map(([name, receiver]) => [name, receiver.acknowledged()]),
  );
  const result: Accounting = {
    published: { valid: input.validEvents.length, bad: input.badEvents.length },
    expectedDeliveries: input.expected.length,
    deliveredUnique: 0,
    duplicates: 0,
    held: 0,
    failedWithReason: 0,
    deadLettered: { bad: 0, valid: 0 },
    unaccounted: 0,
    unexpected: 0,
    perConnection: {},
    unaccountedSamples: [],
  };
  for (const [name, receiver] of Object.entries(input.receivers)) {
    const requests: Record<string, number> = {};
    for (const r of receiver.requests) requests[String(r.outcome)] = (requests[String(r.outcome)] ?? 0) + 1;
    result.perConnection[name] = {
      expected: 0,
      delivered: 0,
      duplicates: 0,
      held: 0,
      failed: 0,
      unaccounted: 0,
      requests,
    };
  }
  const lost = (line: string, name?: string) => {
    result.unaccounted++;
    if (name) result.perConnection[name]!.unaccounted++;
    if (result.unaccountedSamples.length < 20) result.unaccountedSamples.push(line);
  };
  const claimed = new Set<string>();
  for (const pair of input.expected) {
    const row = result.perConnection[pair.connection]!;
    row.expected++;
    if (input.deadLetters.has(pair.eventId)) {
      result.deadLettered.valid++;
      continue;
    }
    const delivery = byPair.get(`${pair.eventId}|${input.connectionIds[pair.connection]}`);
    const acks = delivery ? (acknowledged[pair.connection]!.get(delivery._id) ?? 0) : 0;
    if (delivery) claimed.add(`${pair.connection}|${delivery._id}`);
    if (acks > 0) {
      result.deliveredUnique++;
      result.duplicates += acks - 1;
      row.delivered++;
      row.duplicates += acks - 1;
    } else if (delivery?.status === 'held') {
      result.held++;
      row.held++;
    } else if (delivery?.status === 'failed' && delivery.reason) {
      result.failedWithReason++;
      row.failed++;
    } else {
      lost(
        `${pair.eventId} → ${pair.connection}: ${delivery ? `delivery ${delivery._id} ${delivery.status}${delivery.status === 'succeeded' ? ' without a 2xx at the receiver' : ''}` : 'no delivery'}`,
        pair.connection,
      );
    }
  }
  for (const id of input.badEvents) {
    const reason = input.deadLetters.get(id);
    if (reason) result.deadLettered.bad++;
    else lost(`${id}: bad message not dead-lettered`);
  }
  for (const [name, acks] of Object.entries(acknowledged)) {
    for (const id of acks.keys()) if (!claimed.has(`${name}|${id}`)) result.unexpected++;
  }
  return result;
}

export function formatTable(a: Accounting): string {
  const lines = [
    `published events: ${a.published.valid} valid + ${a.published.bad} bad = ${a.published.valid + a.published.bad}`,
    `expected deliveries (event × matching connection): ${a.expectedDeliveries}`,
    '',
    '| outcome | count |',
    '|---|---|',
    `| delivered (unique webhook-id) | ${a.deliveredUnique} |`,
    `| duplicates (same webhook-id acknowledged again) | ${a.duplicates} |`,
    `| held (connection blocked) | ${a.held} |`,
    `| failed with a reason (retries exhausted) | ${a.failedWithReason} |`,
    `| dead-lettered bad messages | ${a.deadLettered.bad} |`,
    `| dead-lettered valid events | ${a.deadLettered.valid} |`,
    `| **unaccounted** | ${a.unaccounted} |`,
    `| 2xx for an unknown webhook-id | ${a.unexpected} |`,
    '',
    '| connection | expected | delivered | duplicates | held | failed | unaccounted | requests by answer |',
    '|---|---|---|---|---|---|---|---|',
    ...Object.entries(a.perConnection).map(
      ([name, r]) =>
        `| ${name} | ${r.expected} | ${r.delivered} | ${r.duplicates} | ${r.held} | ${r.failed} | ${r.unaccounted} | ${Object.entries(
          r.requests,
        )
          .map(([k, v]) => `${k}:${v}`)
          .join(' ')} |`,
    ),
  ];
  if (a.unaccountedSamples.length > 0)
    lines.push('', 'unaccounted (first 20):', ...a.unaccountedSamples.map((s) => `  ${s}`));
  return lines.join('\n');
}

export function writeReport(dir: string, name: string, report: unknown, table: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), `${table}\n`);
}
