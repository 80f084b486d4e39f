// Child process: the floor. The same events consumed with plain kafkajs (a
// consumer group of its own) and POSTed as they are, with undici, to the same
// receivers as the dispatcher's connections (the same fan-out per topic): no
// parsing, matching, signing nor stored state. A failed request is tried again
// after the same backoff as the connections' retry policy, from memory.
import { Kafka, logLevel } from 'kafkajs';
import { Agent, request } from 'undici';
import type { FloorConfig, FloorReply } from './protocol.js';

const config = JSON.parse(process.env.BENCH_FLOOR_CONFIG ?? '{}') as FloorConfig;
const agent = new Agent({ connections: config.connectionsPerOrigin, keepAliveTimeout: 30_000, pipelining: 1 });
let inFlight = 0;
let posted = 0;
let failed = 0;
let gaveUp = 0;
const waiting: (() => void)[] = [];

async function post(url: string, id: string, body: Buffer, attempt = 0): Promise<void> {
  inFlight++;
  let ok = false;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id },
      body,
      dispatcher: agent,
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
    await response.body.dump();
    ok = response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    ok = false;
  } finally {
    inFlight--;
    posted++;
    for (const resolve of waiting.splice(0)) resolve();
  }
  if (ok) return;
  failed++;
  const wait = config.backoffMs[Math.min(attempt, config.backoffMs.length - 1)];
  if (attempt + 1 >= config.backoffMs.length + 1 || wait === undefined) {
    gaveUp++;
    return;
  }
  setTimeout(() => void post(url, id, body, attempt + 1), wait);
}

const kafka = new Kafka({ clientId: 'hookline-bench-floor', brokers: config.brokers, logLevel: logLevel.WARN });
const consumer = kafka.consumer({ groupId: config.groupId, maxWaitTimeInMs: 1_000 });
consumer.on(consumer.events.GROUP_JOIN, () => process.send?.({ type: 'ready' } satisfies FloorReply));
await consumer.connect();
await consumer.subscribe({ topics: config.topics, fromBeginning: true });
await consumer.run({
  partitionsConsumedConcurrently: 12,
  eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
    const urls = config.routes[batch.topic] ?? [];
    for (const message of batch.messages) {
      if (message.value) {
        const id = `${batch.topic}/${batch.partition}/${message.offset}`;
        for (const url of urls) void post(url, id, message.value);
      }
      resolveOffset(message.offset);
      // Back-pressure: no more than maxInFlight requests at once.
      while (inFlight >= config.maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
    }
    await heartbeat();
  },
});

process.on('message', (message: { type: 'stats' }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', posted, failed, gaveUp } satisfies FloorReply);
});
const stop = async () => {
  await consumer.disconnect().catch(() => undefined);
  await agent.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
