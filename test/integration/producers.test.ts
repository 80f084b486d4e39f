// docs/producers.md, run as written: its kcat commands and Python scripts are
// read out of the page (the blocks marked `<!-- run: name -->`) and run against
// the real broker and a dispatcher of this test's own, with kcat from Debian's
// packages (test/infra/kcat.ts), jq likewise, and confluent-kafka from PyPI
// (test/infra/python.ts). The page cannot drift from what is tested.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcherService } from '@hookline/dispatcher';
import { startReceiver, startWebhookPlatform, until, type Receiver, type WebhookPlatform } from '@hookline/testkit';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianCommand } from '../infra/debian.js';
import { ensureKcat } from '../infra/kcat.js';
import { ensurePythonPackages, type Python } from '../infra/python.js';

const CONFLUENT_KAFKA = 'confluent-kafka==2.16.2';
const PARTITIONS = 6;
const KEYS = 2_000;
const EXAMPLE_TENANT = 'ten_0c5a4e1f9b2d47c8a3e6f1b9d2c7a4e5';

const docPath = fileURLToPath(new URL('../../docs/producers.md', import.meta.url));
const id = randomUUID().slice(0, 8);
const topic = `producers-${id}.accounting`;
const brokers = () => (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const log = (line: string) => process.stderr.write(`[producers] ${line}\n`);

let blocks: Map<string, string>;
let world: WebhookPlatform;
let receiver: Receiver;
let secret: string;
let python: Python;
let work: string;
let env: NodeJS.ProcessEnv;

/** The code blocks of the page marked `<!-- run: name -->`, by name. */
function runnableBlocks(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of markdown.matchAll(/^<!-- run: (\S+) -->\n```\w*\n([\s\S]*?)\n```$/gm))
    found.set(match[1]!, `${match[2]!}\n`);
  return found;
}

function block(name: string): string {
  const code = blocks.get(name);
  if (!code) throw new Error(`docs/producers.md has no block marked <!-- run: ${name} -->`);
  return code;
}

/** Runs a command in the work directory with the page's environment; resolves with stdout, fails with stderr. */
function run(cmd: string, args: string[], timeout = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: work, env, timeout, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${cmd} ${args.join(' ').slice(0, 200)} failed: ${error.message}\n${stderr}`.slice(0, 6000)));
      else resolve(stdout);
    });
  });
}
const sh = (name: string) => run('bash', ['-euo', 'pipefail', '-c', block(name)]);
const py = async (name: string) => {
  const script = join(work, name);
  await writeFile(script, block(name));
  return run(python.python, [script]);
};

interface PartnerEvent extends Record<string, unknown> {
  id: string;
  subject: string;
  data: Record<string, unknown> & { id: number; after: Record<string, unknown> };
}

/** The page's event.json for this run's tenant, as partner `n` (its own id and subject). */
function partnerEvent(n: number): PartnerEvent {
  const example = JSON.parse(block('event.json').replaceAll(EXAMPLE_TENANT, world.tenant)) as PartnerEvent;
  return {
    ...example,
    id: `${id}-partner-${n}`,
    subject: `${world.tenant}/res.partner:${n}`,
    data: { ...example.data, id: n, after: { ...example.data.after, id: n } },
  };
}

interface Delivered {
  partnerId: number;
  webhookId: string;
}

/** The webhooks received so far, each checked against the connection's secret (Standard Webhooks). */
function delivered(): Delivered[] {
  return receiver.requests.map((request) => {
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    const body = new Webhook(secret).verify(request.body, headers) as { type: string; data: { id: number } };
    expect(body.type).toBe('accounting.partner.created');
    return { partnerId: body.data.id, webhookId: headers['webhook-id']! };
  });
}

/** Key → partition of every message of `name` with a key starting with `prefix`, read with a plain kafkajs consumer. */
async function partitionsOf(name: string, prefix: string, count: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const consumer = new Kafka({ clientId: `producers-${id}`, brokers: brokers(), logLevel: logLevel.NOTHING }).consumer({
    groupId: `producers-${id}-${randomUUID().slice(0, 8)}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = message.key?.toString() ?? '';
        if (key.startsWith(prefix)) seen.set(key, partition);
      },
    });
    await until(`${count} keys read back from ${name}`, () => seen.size >= count, 60_000);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** The partition kafkajs' producer (murmur2, as Hookline's services use it) gives `key` on a topic of PARTITIONS partitions. */
const kafkajsPartition = (() => {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  return (key: string) => partitioner({ topic, partitionMetadata, message: { key, value: null } });
})();

beforeAll(async () => {
  blocks = runnableBlocks(await readFile(docPath, 'utf8'));
  const [kcat, jq] = await Promise.all([
    ensureKcat(log),
    ensureDebianCommand({ package: 'jq', neededBy: 'The producer guide tests (docs/producers.md)' }, log),
  ]);
  python = await ensurePythonPackages(`python-${CONFLUENT_KAFKA.replace('==', '-')}`, [CONFLUENT_KAFKA], log);
  const admin = new Kafka({ clientId: `producers-${id}`, brokers: brokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: PARTITIONS },
      { topic: `${topic}-default-partitioner`, numPartitions: PARTITIONS },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  world = await startWebhookPlatform({ name: `producers-${id}`, services: [createDispatcherService], topics: [topic] });
  receiver = await startReceiver();
  const created = await world.platform.app.inject({
    method: 'POST',
    url: '/v1/connections',
    headers: { authorization: `Bearer ${world.apiKey}` },
    payload: { name: 'partners', url: receiver.url, filter: { eventTypes: ['accounting.partner.*'] } },
  });
  expect(created.statusCode, created.body).toBe(201);
  secret = created.json<{ secret: string }>().secret;
  work = await mkdtemp(join(tmpdir(), `hookline-producers-${id}-`));
  env = {
    ...python.env,
    PATH: [kcat.binDir, jq.binDir, python.env.PATH ?? process.env.PATH ?? ''].join(':'),
    BROKERS: brokers().join(','),
    TENANT: world.tenant,
    TOPIC: topic,
    GROUP: `producers-${id}-dead-letters`,
  };
}, 600_000);

afterAll(async () => {
  await receiver?.close();
  await world?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('docs/producers.md, run against the real broker', () => {
  it("the page's kcat command sends its event.json; sent twice, it is one signed delivery", async () => {
    const event = partnerEvent(215);
    await writeFile(join(work, 'event.json'), JSON.stringify(event, null, 2));
    await sh('kcat-one');
    await sh('kcat-one');
    await until('the partner webhook', () => receiver.requests.length >= 1, 30_000);
    // Give a second delivery time to show up.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(delivered()).toEqual([{ partnerId: 215, webhookId: expect.any(String) }]);
    const partitions = await partitionsOf(topic, `${world.tenant}/res.partner:215`, 1);
    expect(partitions.get(`${world.tenant}/res.partner:215`)).toBe(kafkajsPartition(`${world.tenant}/res.partner:215`));
  });

  it(`${KEYS} events from the bulk kcat command land on kafkajs' partition for each key and are delivered once each`, async () => {
    const first = 10_000;
    const events = Array.from({ length: KEYS }, (_, i) => partnerEvent(first + i));
    await writeFile(
      join(work, 'events.tsv'),
      events.map((event) => `${event.subject}\t${JSON.stringify(event)}\n`).join(''),
    );
    const before = receiver.requests.length;
    await sh('kcat-many');

    const partitions = await partitionsOf(topic, `${world.tenant}/res.partner:1`, KEYS);
    const misplaced = events.filter((event) => partitions.get(event.subject) !== kafkajsPartition(event.subject));
    expect(misplaced.map((event) => event.subject)).toEqual([]);
    expect(new Set(partitions.values()).size).toBe(PARTITIONS);

    // Control: the same keys with librdkafka's default partitioner (the same command without the setting) mostly land elsewhere.
    const withDefault = block('kcat-many')
      .replace(/-X partitioner=murmur2_random\s*/, '')
      .replaceAll('"$TOPIC"', `"${topic}-default-partitioner"`);
    expect(withDefault).not.toContain('murmur2');
    await run('bash', ['-euo', 'pipefail', '-c', withDefault]);
    const elsewhere = await partitionsOf(`${topic}-default-partitioner`, `${world.tenant}/res.partner:1`, KEYS);
    const differing = events.filter((event) => elsewhere.get(event.subject) !== kafkajsPartition(event.subject)).length;
    log(
      `librdkafka's default partitioner: ${differing} of ${KEYS} keys on another partition than kafkajs' murmur2 (${PARTITIONS} partitions); with murmur2_random: ${misplaced.length}`,
    );
    expect(differing).toBeGreaterThan(KEYS / 2);

    await until(`${KEYS} deliveries`, () => receiver.requests.length - before >= KEYS, 180_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const bulk = delivered().slice(before);
    expect(bulk).toHaveLength(KEYS);
    expect(new Set(bulk.map((delivery) => delivery.partnerId))).toEqual(new Set(events.map((event) => event.data.id)));
    expect(new Set(bulk.map((delivery) => delivery.webhookId)).size).toBe(KEYS);
  }, 300_000);

  it("the page's Python producer sends an event that is delivered once, on kafkajs' partition", async () => {
    const before = receiver.requests.length;
    const event = JSON.parse(await py('produce.py')) as {
      id: string;
      subject: string;
      tenant: string;
      data: { id: number };
    };
    expect(event.tenant).toBe(world.tenant);
    // Its id is stable: sent again, it is not delivered again.
    await py('produce.py');
    await until('the Python event delivered', () => receiver.requests.length > before, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(delivered().slice(before)).toEqual([{ partnerId: event.data.id, webhookId: expect.any(String) }]);
    const partitions = await partitionsOf(topic, event.subject, 1);
    expect(partitions.get(event.subject)).toBe(kafkajsPartition(event.subject));
  });

  it('an event naming the tenant by its name instead of its id is delivered to nobody and counted as unmatched, as the page says', async () => {
    const before = receiver.requests.length;
    const unmatchedBefore = await unmatched();
    const named = partnerEvent(401);
    const tenantName = `producers-${id}`; // the name startWebhookPlatform created the tenant with
    const event = { ...named, tenant: tenantName, subject: `${tenantName}/res.partner:401` };
    await writeFile(join(work, 'event.json'), JSON.stringify(event));
    await run('bash', [
      '-euo',
      'pipefail',
      '-c',
      block('kcat-one').replace('"$TENANT/res.partner:215"', `"${event.subject}"`),
    ]);
    await until('the event counted as unmatched', async () => (await unmatched()) > unmatchedBefore, 30_000);
    expect(receiver.requests.length).toBe(before);
  });

  it("a keyless message and an invalid one are dead-lettered with their codes, and the page's kcat and Python readers show code, reason and issues", async () => {
    const before = receiver.requests.length;
    // Keyless: the page's one-event command without its -k line.
    const keyless = partnerEvent(301);
    await writeFile(join(work, 'event.json'), JSON.stringify(keyless));
    const withoutKey = block('kcat-one').replace(/ *-k "[^"]*" *\\\n/, '');
    expect(withoutKey).not.toContain(' -k ');
    await run('bash', ['-euo', 'pipefail', '-c', withoutKey]);
    // Invalid: the partner's name a number, with commas in the reason to come.
    const invalid = partnerEvent(302);
    invalid.data = { ...invalid.data, after: { ...invalid.data.after, name: 302, email: 'not, an email' } };
    await writeFile(join(work, 'event.json'), JSON.stringify(invalid));
    await run('bash', ['-euo', 'pipefail', '-c', block('kcat-one').replace('res.partner:215', 'res.partner:302')]);

    type Shown = {
      key: string | null;
      code: string;
      reason: string;
      issues: { path: string; rule: string; message: string }[];
      partition: string;
      offset: string;
    };
    const parse = (output: string) =>
      output
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Shown);
    const fromKcat = await until(
      'both dead letters shown by kcat',
      async () => {
        const shown = parse(await sh('kcat-dead-letters'));
        return shown.length >= 2 ? shown : null;
      },
      30_000,
    );
    expect(fromKcat).toHaveLength(2);
    const missingKey = fromKcat.find((entry) => entry.code === 'missing_key');
    const invalidData = fromKcat.find((entry) => entry.code === 'invalid_data');
    expect(missingKey).toMatchObject({ key: null, issues: [] });
    expect(missingKey!.reason).toContain(keyless.subject);
    expect(invalidData).toMatchObject({ key: `${world.tenant}/res.partner:302` });
    expect(invalidData!.reason).toContain('data.after.name');
    expect(invalidData!.issues.map((issue) => issue.path)).toContain('data.after.name');
    for (const issue of invalidData!.issues) expect(Object.keys(issue).sort()).toEqual(['message', 'path', 'rule']);

    // The Python reader shows the same (the dead-letter topic's partitions interleave in any order).
    const byCode = (shown: Shown[]) => [...shown].sort((a, b) => a.code.localeCompare(b.code));
    expect(byCode(parse(await py('dead_letters.py')))).toEqual(byCode(fromKcat));
    // Neither was delivered.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.requests.length).toBe(before);
  }, 120_000);
});

/** The dispatcher's unmatched-events counter on /metrics. */
async function unmatched(): Promise<number> {
  const text = await (await fetch(`${world.platform.url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(/^hookline_dispatcher_events_unmatched(?:_total)?(?:\{[^}]*\})? ([0-9.e+]+)$/gm))
    total += Number(match[1]);
  return total;
}
