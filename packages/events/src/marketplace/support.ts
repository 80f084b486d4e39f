/** BIYRO end-of-project events: support period, project end and the clean-up of its files. */
import { defineEvent } from '../define.js';
import { projectEventData, sampleProject, systemActorSample } from './data.js';
import { filesDeleted, filesNotDeleted, supportPeriod } from './objects.js';

const supportPeriodSample = { startsAt: '2026-04-02T09:00:00Z', endsAt: '2026-05-02T09:00:00Z' } as const;
const ended = { deliveryDeadline: '2026-03-31' } as const;

export const supportStarted = defineEvent({
  type: 'marketplace.project.support_started',
  domain: 'marketplace',
  description: "Fires when all of the project's work is finished and the support period begins.",
  sourceName: 'support_started',
  initiator: 'system',
  data: projectEventData(
    'system',
    { supportPeriod },
    'A project whose work is all finished and whose support period (atbalsta periods) has begun.',
  ),
  example: {
    project: sampleProject('support', ended),
    occurredAt: '2026-04-02T09:00:01Z',
    actor: systemActorSample,
    supportPeriod: supportPeriodSample,
  },
});

export const supportFinished = defineEvent({
  type: 'marketplace.project.support_finished',
  domain: 'marketplace',
  description: 'Fires when the support period has ended.',
  sourceName: 'support_finished',
  initiator: 'system',
  data: projectEventData('system', { supportPeriod }, 'A project whose support period (atbalsta periods) has ended.'),
  example: {
    project: sampleProject('finished', ended),
    occurredAt: '2026-05-02T09:00:01Z',
    actor: systemActorSample,
    supportPeriod: supportPeriodSample,
  },
});

export const projectFinished = defineEvent({
  type: 'marketplace.project.project_finished',
  domain: 'marketplace',
  description: 'Fires as the last notification of a project, when the project is finished.',
  sourceName: 'project_finished',
  initiator: 'system',
  data: projectEventData(
    'system',
    {},
    'A finished project: the last lifecycle notification (only the files clean-up may follow).',
  ),
  example: {
    project: sampleProject('finished', ended),
    occurredAt: '2026-05-02T09:00:02Z',
    actor: systemActorSample,
  },
});

// The document gives files_deleted and files_not_deleted no sentence, only the system as initiator;
// they are read as the outcome of the clean-up of the project's files after the project ended.
export const filesDeletedEvent = defineEvent({
  type: 'marketplace.project.files_deleted',
  domain: 'marketplace',
  description: "Fires when the platform's clean-up has deleted the project's files after the project ended.",
  sourceName: 'files_deleted',
  initiator: 'system',
  data: projectEventData(
    'system',
    { files: filesDeleted },
    "The project's files deleted by the clean-up after the project ended.",
  ),
  example: {
    project: sampleProject('finished', ended),
    occurredAt: '2026-06-01T02:15:37Z',
    actor: systemActorSample,
    files: {
      outcome: 'deleted',
      fileCount: 14,
      totalBytes: 48_213_504,
      scheduledAt: '2026-06-01T02:00:00Z',
      deletedAt: '2026-06-01T02:15:36Z',
      reason: null,
    },
  },
});

export const filesNotDeletedEvent = defineEvent({
  type: 'marketplace.project.files_not_deleted',
  domain: 'marketplace',
  description: "Fires when the platform's clean-up after the project ended did not delete the project's files.",
  sourceName: 'files_not_deleted',
  initiator: 'system',
  data: projectEventData(
    'system',
    { files: filesNotDeleted },
    "The project's files kept by the clean-up after the project ended, with the reason.",
  ),
  example: {
    project: sampleProject('cancelled', ended),
    occurredAt: '2026-06-01T02:15:37Z',
    actor: systemActorSample,
    files: {
      outcome: 'not_deleted',
      fileCount: 9,
      totalBytes: 20_971_520,
      scheduledAt: '2026-06-01T02:00:00Z',
      deletedAt: null,
      reason: 'open_dispute',
    },
  },
});
