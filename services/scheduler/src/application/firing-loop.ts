// The firing loop: every pending timer whose time has come (however long ago:
// that is the catch-up after downtime) is claimed, sent to its owning service,
// and marked with the answer.
//
// Two instances never fire one timer twice: an instance calls only once it has
// won the timer's claim (claims.ts) and read the timer again, still pending and
// due — a timer fired meanwhile by someone else is left alone. A holder that dies
// between the call and the mark leaves its claim; when the lease ends another
// instance supersedes it and calls again, which the owning services answer
// idempotently. A call is cut at half the lease, so a live holder always
// finishes before its claim can be superseded.
import type { ServiceContext } from '@hookline/runtime';
import { createNoopMeter, inSpan, SpanStatusCode, type Meter } from '@hookline/telemetry';
import type { OwnerAnswer, OwnerClient } from '../adapters/owner-client.js';
import type { ClaimDocument, SchedulerCollections, TimerDocument } from '../adapters/scheduler-store.js';
import type { Claims } from './claims.js';
import {
  requestFor,
  retryDelayMs,
  verdictFor,
  type FilesFacts,
  type OwnerRequest,
  type OwningService,
} from '../domain/index.js';

export interface FiringOptions {
  collections: SchedulerCollections;
  claims: Claims;
  client: OwnerClient;
  logger: ServiceContext['logger'];
  now: () => Date;
  instanceId: string;
  /** Base URL of each owning service, read at each call. */
  baseUrl: (service: OwningService) => string;
  leaseMs: number;
  callTimeoutMs: number;
  /** Due timers read per query. */
  batchSize: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Calls that may fail (no answer, 5xx, 429) before the timer is `failed`. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  meter?: Meter;
}

export class FiringLoop {
  /** Answers recorded, by what became of the timer (fired, skipped, failed, retried). */
  private readonly calls;
  private halted = false;
  private readonly inFlight = new Set<string>();
  private readonly abort = new AbortController();
  private readonly callTimeoutMs: number;

  constructor(private readonly options: FiringOptions) {
    this.callTimeoutMs = Math.max(1, Math.min(options.callTimeoutMs, Math.floor(options.leaseMs / 2)));
    this.calls = (options.meter ?? createNoopMeter()).createCounter('hookline.scheduler.timer.calls', {
      description: 'Calls to owning services for due timers, by result (fired, skipped, failed, retried)',
      unit: '{call}',
    });
  }

  /** Simulates a crash (tests): calls in flight are cut and nothing more is written. */
  halt(): void {
    this.halted = true;
    this.abort.abort();
  }

  /** Fires everything due now; returns how many timers got an answer recorded. */
  async runDue(): Promise<number> {
    const { collections, batchSize } = this.options;
    let handled = 0;
    for (;;) {
      if (this.halted) return handled;
      const now = this.options.now();
      const due = await collections.timers.find(
        { status: 'pending', nextAttemptAt: { $lte: now } },
        { sort: { nextAttemptAt: 1 }, limit: batchSize },
      );
      // In a random order, so that instances polling together mostly claim different timers.
      const candidates = shuffle(due.filter((timer) => !this.inFlight.has(timer._id)));
      let progressed = 0;
      await eachLimit(candidates, this.options.concurrency, async (timer) => {
        if (await this.fire(timer._id)) progressed++;
      });
      handled += progressed;
      if (due.length < batchSize || progressed === 0) return handled;
    }
  }

  /** Claims, calls and records one timer; false when someone else has it or it is not due any more. */
  private async fire(timerId: string): Promise<boolean> {
    if (this.halted || this.inFlight.has(timerId)) return false;
    this.inFlight.add(timerId);
    const { claims } = this.options;
    let claim: ClaimDocument | null = null;
    let called = false;
    try {
      claim = await claims.tryClaim(timerId);
      if (!claim) return false;
      const timer = await this.options.collections.timers.findOne({ _id: timerId });
      if (!timer || timer.status !== 'pending' || timer.nextAttemptAt.getTime() > this.options.now().getTime()) {
        await claims.release(claim);
        return false;
      }
      const request = requestFor(
        timer,
        timer.kind === 'marketplace.files_cleanup' ? { files: await this.filesFacts(timer) } : {},
      );
      called = true;
      // A trace per firing: the owner's command, its events and their webhooks follow on from it.
      return await inSpan(
        `timer ${timer.kind}`,
        {
          attributes: {
            'hookline.timer.id': timerId,
            'hookline.timer.kind': timer.kind,
            'hookline.tenant': timer.tenant,
          },
        },
        async (span) => {
          const answer = await this.options.client.call({
            url: `${this.options.baseUrl(request.service).replace(/\/+$/, '')}${request.path}`,
            tenant: timer.tenant,
            body: request.body,
            timerId,
            timeoutMs: this.callTimeoutMs,
            signal: this.abort.signal,
          });
          if (answer.status !== undefined) span.setAttribute('http.response.status_code', answer.status);
          if (answer.error) span.setStatus({ code: SpanStatusCode.ERROR, message: answer.error });
          // Killed meanwhile: the claim stays until its lease ends, and the timer is fired again then.
          if (this.halted) return false;
          await this.record(timer, claim!, request, answer);
          return true;
        },
      );
    } catch (error) {
      if (this.halted) return false;
      this.options.logger.error({ err: error, timerId }, 'firing failed');
      // Before the call, nothing happened: let the timer go. After it, the claim's lease
      // runs out and the timer is fired again (the owner answers idempotently).
      if (claim && !called) await claims.release(claim).catch(() => undefined);
      return false;
    } finally {
      this.inFlight.delete(timerId);
    }
  }

  private async filesFacts(timer: TimerDocument): Promise<FilesFacts> {
    const { projectFiles, fileHolds } = this.options.collections;
    const deliveries = await projectFiles.find({ tenant: timer.tenant, subject: timer.subject });
    const projectId = (timer.params as { projectId: string }).projectId;
    const hold = await fileHolds.findOne({ _id: `${timer.tenant}/${projectId}` });
    // The catalog gives the number of files a delivery attached, not their sizes.
    return {
      fileCount: deliveries.reduce((sum, delivery) => sum + delivery.filesCount, 0),
      totalBytes: 0,
      hold: hold?.reason ?? null,
    };
  }

  private async record(
    timer: TimerDocument,
    claim: ClaimDocument,
    request: OwnerRequest,
    answer: OwnerAnswer,
  ): Promise<void> {
    const { collections, logger } = this.options;
    const now = this.options.now();
    const verdict = verdictFor(answer.status);
    const described = `POST ${request.service} ${request.path}`;
    const problem =
      answer.error ??
      (answer.status !== undefined && (answer.status < 200 || answer.status >= 300)
        ? `HTTP ${answer.status}: ${(answer.body ?? '').slice(0, 500)}`
        : undefined);
    const failures = timer.failures + (verdict === 'retry' ? 1 : 0);
    if (verdict === 'retry' && failures < this.options.maxAttempts) {
      const nextAttemptAt = new Date(
        now.getTime() + retryDelayMs(failures, this.options.retryBaseMs, this.options.retryMaxMs),
      );
      await collections.timers.updateOne(
        { _id: timer._id, status: 'pending' },
        { $set: { failures, nextAttemptAt, lastError: problem ?? 'no answer', updatedAt: now }, $inc: { calls: 1 } },
      );
      await this.options.claims.release(claim);
      this.calls.add(1, { result: 'retried', 'hookline.timer.kind': timer.kind });
      logger.warn({ timerId: timer._id, failures, nextAttemptAt, error: problem }, 'timer call failed: retrying later');
      return;
    }
    const status = verdict === 'retry' ? 'failed' : verdict;
    const result = {
      request: described,
      ...(answer.status === undefined ? {} : { httpStatus: answer.status }),
      ...eventsOf(answer),
    };
    await collections.timers.updateOne(
      { _id: timer._id, status: 'pending' },
      {
        $set: {
          status,
          failures,
          firedAt: now,
          firedBy: this.options.instanceId,
          result,
          updatedAt: now,
          ...(problem ? { lastError: problem } : {}),
        },
        $inc: { calls: 1 },
      },
    );
    await this.options.claims.releaseAll(timer._id);
    this.calls.add(1, { result: status, 'hookline.timer.kind': timer.kind });
    const log = status === 'failed' ? logger.error.bind(logger) : logger.info.bind(logger);
    log(
      {
        timerId: timer._id,
        kind: timer.kind,
        status,
        httpStatus: answer.status,
        events: result.events,
        error: problem,
      },
      `timer ${status}`,
    );
  }
}

/** The event types the owning service says it appended (`events: [{ type }]`), when it says so. */
function eventsOf(answer: OwnerAnswer): { events?: string[] } {
  if (!answer.body) return {};
  try {
    const parsed = JSON.parse(answer.body) as { events?: { type?: unknown }[] };
    if (!Array.isArray(parsed.events)) return {};
    return { events: parsed.events.map((event) => String(event?.type ?? '')).slice(0, 20) };
  } catch {
    return {};
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

async function eachLimit<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]!);
  });
  await Promise.all(workers);
}
