import { describe, expect, it } from 'vitest';
import { requestFor, retryDelayMs, verdictFor } from './firing.js';

const dueAt = new Date('2026-06-01T02:00:00Z');

describe('firing', () => {
  it('sends each kind to its owning service as a system command', () => {
    expect(requestFor({ kind: 'marketplace.offer_expiry', params: { projectId: 'prj_1' }, dueAt })).toEqual({
      service: 'marketplace',
      path: '/marketplace/projects/prj_1/expire-offer',
      body: {},
    });
    expect(
      requestFor({ kind: 'marketplace.addon_expiry', params: { projectId: 'prj_1', addonId: 'prj_1-a1' }, dueAt }),
    ).toEqual({
      service: 'marketplace',
      path: '/marketplace/projects/prj_1/expire-addon',
      body: { addonId: 'prj_1-a1' },
    });
    expect(requestFor({ kind: 'marketplace.support_end', params: { projectId: 'prj 1' }, dueAt }).path).toBe(
      '/marketplace/projects/prj%201/finish-support',
    );
    expect(
      requestFor({ kind: 'coworking.reminder', params: { chargeId: 55120, ruleId: 3, dueDate: '2026-12-10' }, dueAt }),
    ).toEqual({
      service: 'coworking',
      path: '/coworking/charge/55120/send-reminder',
      body: { ruleId: 3 },
    });
  });

  it('records the files as deleted, or as kept with the hold reason', () => {
    const timer = { kind: 'marketplace.files_cleanup' as const, params: { projectId: 'prj_1' }, dueAt };
    expect(requestFor(timer, { files: { fileCount: 6, totalBytes: 0, hold: null } })).toEqual({
      service: 'marketplace',
      path: '/marketplace/projects/prj_1/record-files-deleted',
      body: { fileCount: 6, totalBytes: 0, scheduledAt: '2026-06-01T02:00:00.000Z' },
    });
    expect(requestFor(timer, { files: { fileCount: 6, totalBytes: 0, hold: 'open_dispute' } })).toEqual({
      service: 'marketplace',
      path: '/marketplace/projects/prj_1/record-files-not-deleted',
      body: { fileCount: 6, totalBytes: 0, scheduledAt: '2026-06-01T02:00:00.000Z', reason: 'open_dispute' },
    });
  });

  it('reads answers: 2xx fired, 404/409/410 skipped, no answer/408/429/5xx retried, other 4xx failed', () => {
    expect([200, 201, 204].map(verdictFor)).toEqual(['fired', 'fired', 'fired']);
    expect([404, 409, 410].map(verdictFor)).toEqual(['skipped', 'skipped', 'skipped']);
    expect([undefined, 408, 425, 429, 500, 503].map(verdictFor)).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
    expect([400, 401, 403, 422].map(verdictFor)).toEqual(['failed', 'failed', 'failed', 'failed']);
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4, 10, 100].map((failures) => retryDelayMs(failures, 5_000, 60_000))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
  });
});
