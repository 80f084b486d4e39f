/**
 * What firing a timer means: the command sent to the owning service, and what its
 * answer makes of the timer. Pure.
 */
import type { TimerKind, TimerParamsByKind } from './timers.js';

export type OwningService = 'marketplace' | 'coworking';

/** A system command to the owning service: `POST <base URL><path>` with a JSON body. */
export interface OwnerRequest {
  service: OwningService;
  path: string;
  body: Record<string, unknown>;
}

/** What the clean-up knows about a project's files when it runs. */
export interface FilesFacts {
  fileCount: number;
  totalBytes: number;
  /** An operator's hold on the files (the reason), or null. */
  hold: string | null;
}

type FiringTimer = { [K in TimerKind]: { kind: K; params: TimerParamsByKind[K]; dueAt: Date } }[TimerKind];

const project = (projectId: string, command: string) =>
  `/marketplace/projects/${encodeURIComponent(projectId)}/${command}`;

/** The command a due timer sends. The files clean-up needs the `files` facts. */
export function requestFor(timer: FiringTimer, facts: { files?: FilesFacts } = {}): OwnerRequest {
  switch (timer.kind) {
    case 'marketplace.offer_expiry':
      return { service: 'marketplace', path: project(timer.params.projectId, 'expire-offer'), body: {} };
    case 'marketplace.addon_expiry':
      return {
        service: 'marketplace',
        path: project(timer.params.projectId, 'expire-addon'),
        body: { addonId: timer.params.addonId },
      };
    case 'marketplace.support_end':
      return { service: 'marketplace', path: project(timer.params.projectId, 'finish-support'), body: {} };
    case 'marketplace.files_cleanup': {
      const files = facts.files ?? { fileCount: 0, totalBytes: 0, hold: null };
      const body = { fileCount: files.fileCount, totalBytes: files.totalBytes, scheduledAt: timer.dueAt.toISOString() };
      return files.hold === null
        ? { service: 'marketplace', path: project(timer.params.projectId, 'record-files-deleted'), body }
        : {
            service: 'marketplace',
            path: project(timer.params.projectId, 'record-files-not-deleted'),
            body: { ...body, reason: files.hold },
          };
    }
    case 'coworking.reminder':
      return {
        service: 'coworking',
        path: `/coworking/charge/${timer.params.chargeId}/send-reminder`,
        body: { ruleId: timer.params.ruleId },
      };
  }
}

/**
 * What an answer makes of the timer:
 * - `fired`: 2xx, the service handled the command (it may have found nothing to do);
 * - `skipped`: 404 / 409 / 410, the command does not apply to the aggregate (any more);
 * - `retry`: no answer, a timeout, 408 / 425 / 429 or 5xx;
 * - `failed`: any other answer (a bad request, no permission): retrying would not help.
 */
export type CallVerdict = 'fired' | 'skipped' | 'retry' | 'failed';

export function verdictFor(status: number | undefined): CallVerdict {
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'fired';
  if (status === 404 || status === 409 || status === 410) return 'skipped';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'failed';
}

/** Exponential back-off after the `failures`-th failed call: base, 2 × base, 4 × base, … capped at max. */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}
