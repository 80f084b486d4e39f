// Child process: the local webhook receivers, one HTTP server (own port, so
// each has its own keep-alive pool in the sender) per receiver. Each records
// the first successful receipt of every delivery (deduplicated on the
// `webhook-id` header) with the event time found in the body: `timestamp` of a
// Standard Webhooks body (dispatcher) or `time` of the CloudEvent (floor).
// Driven over IPC by run.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceiverSpec, ReceiversReply, ReceiversRequest } from './protocol.js';

interface Running {
  spec: ReceiverSpec;
  server: Server;
  url: string;
  attempts: number;
  failures: number;
  delivered: number;
  inFlight: number;
  peakInFlight: number;
}

const receivers: Running[] = [];
let seen = new Set<string>();
// First successful receipts: event time, receipt time (ms since the epoch) and receiver index.
let eventTimes: number[] = [];
let receiptTimes: number[] = [];
let receiverIndex: number[] = [];
/** 1 when the receipt came after a failed attempt of the same delivery (a retry). */
let retried: number[] = [];
let failedKeys = new Set<string>();
let unparsable = 0;
// A deterministic share of failures: every n-th request of a flaky receiver fails.
let rng = 0x2545f491;
const random = () => {
  rng ^= rng << 13;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  return (rng >>> 0) / 0x100000000;
};

function eventTimeOf(body: string): number {
  // Cheap: the field is near the start of both bodies; fall back to a full parse.
  const match = /"(?:timestamp|time)":"([^"]+)"/.exec(body.slice(0, 400));
  if (match) return Date.parse(match[1]!);
  try {
    const json = JSON.parse(body) as { timestamp?: string; time?: string };
    return Date.parse(json.timestamp ?? json.time ?? '');
  } catch {
    return Number.NaN;
  }
}

async function start(specs: ReceiverSpec[]): Promise<string[]> {
  for (const [index, spec] of specs.entries()) {
    const running: Running = {
      spec,
      server: createServer(),
      url: '',
      attempts: 0,
      failures: 0,
      delivered: 0,
      inFlight: 0,
      peakInFlight: 0,
    };
    running.server.keepAliveTimeout = 60_000;
    running.server.on('request', (request, response) => {
      const at = Date.now();
      running.inFlight++;
      running.peakInFlight = Math.max(running.peakInFlight, running.inFlight);
      let answered = false;
      const done = () => {
        if (answered) return;
        answered = true;
        running.inFlight--;
      };
      // A request the client gave up on (closed) no longer counts as held.
      response.once('close', done);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        running.attempts++;
        const fail = spec.failRate > 0 && random() < spec.failRate;
        const id = request.headers['webhook-id'];
        const key = `${index}|${Array.isArray(id) ? id[0] : id}`;
        const answer = () => {
          done();
          if (fail) {
            running.failures++;
            failedKeys.add(key);
            response.writeHead(500, { 'content-type': 'text/plain' }).end('simulated failure');
            return;
          }
          if (!seen.has(key)) {
            seen.add(key);
            const eventTime = eventTimeOf(Buffer.concat(chunks).toString('utf8'));
            if (Number.isNaN(eventTime)) unparsable++;
            else {
              running.delivered++;
              eventTimes.push(eventTime);
              receiptTimes.push(at);
              receiverIndex.push(index);
              retried.push(failedKeys.has(key) ? 1 : 0);
            }
          }
          response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        };
        if (spec.delayMs > 0) setTimeout(answer, spec.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => running.server.listen(0, '127.0.0.1', resolve));
    running.url = `http://127.0.0.1:${(running.server.address() as AddressInfo).port}/hook/${spec.name}`;
    receivers.push(running);
  }
  return receivers.map((r) => r.url);
}

function handle(message: ReceiversRequest): ReceiversReply {
  switch (message.type) {
    case 'start':
      throw new Error('start is asynchronous');
    case 'count':
      return {
        type: 'count',
        receivers: receivers.map(({ delivered, attempts, failures, inFlight, peakInFlight }) => ({
          delivered,
          attempts,
          failures,
          inFlight,
          peakInFlight,
        })),
        unparsable,
      };
    case 'records': {
      // Receipts of events whose time lies in [from, to).
      const events: number[] = [];
      const receipts: number[] = [];
      const index: number[] = [];
      const retries: number[] = [];
      for (let i = 0; i < eventTimes.length; i++) {
        const t = eventTimes[i]!;
        if (t >= message.from && t < message.to) {
          events.push(t);
          receipts.push(receiptTimes[i]!);
          index.push(receiverIndex[i]!);
          retries.push(retried[i]!);
        }
      }
      return { type: 'records', eventTimes: events, receiptTimes: receipts, receiverIndex: index, retried: retries };
    }
    case 'reset':
      seen = new Set();
      eventTimes = [];
      receiptTimes = [];
      receiverIndex = [];
      retried = [];
      failedKeys = new Set();
      unparsable = 0;
      for (const r of receivers) {
        r.attempts = 0;
        r.failures = 0;
        r.delivered = 0;
        // Requests still held are not forgotten: they are answered later.
        r.peakInFlight = r.inFlight;
      }
      return { type: 'reset' };
  }
}

process.on('message', (message: ReceiversRequest) => {
  if (message.type === 'start') {
    void start(message.specs).then((urls) => process.send?.({ type: 'started', urls } satisfies ReceiversReply));
    return;
  }
  process.send?.(handle(message));
});
process.on('disconnect', () => process.exit(0));
