// The end of a project: support_finished (+ project_finished), and the clean-up of its files: files_deleted,
// files_not_deleted. All three are the platform's timers: idempotent, a no-op when their moment has passed.
import type { CommandOf } from '../commands.js';
import type { ProjectEvent } from './events.js';
import { admitUnlessIdle, Emitter, inTime, refuse, systemActor } from './rules.js';
import type { ProjectState } from './state.js';

/** finish_support → support_finished + project_finished, once the support period has ended. */
export function finishSupport(command: CommandOf<'finish_support'>, state: ProjectState): ProjectEvent[] {
  const idle =
    state.status === 'finished' || (state.status === 'support' && !inTime('finish_support', state, command.now));
  const project = admitUnlessIdle(command, state, idle);
  if (project === null) return [];
  const period = state.supportPeriod;
  if (period === null) throw refuse(state, command.actor.role, 'the support period has not started');
  const out = new Emitter(state).emit('marketplace.project.support_finished', {
    project: { ...project, status: 'finished' },
    occurredAt: command.now,
    actor: systemActor,
    supportPeriod: period,
  });
  return out.emit('marketplace.project.project_finished', {
    project: out.project,
    occurredAt: command.now,
    actor: systemActor,
  }).events;
}

/** record_files_deleted → files_deleted: the clean-up deleted an ended project's files (once). */
export function recordFilesDeleted(command: CommandOf<'record_files_deleted'>, state: ProjectState): ProjectEvent[] {
  const project = admitUnlessIdle(command, state, state.files.deleted);
  if (project === null) return [];
  return new Emitter(state).emit('marketplace.project.files_deleted', {
    project,
    occurredAt: command.now,
    actor: systemActor,
    files: {
      outcome: 'deleted',
      fileCount: command.fileCount,
      totalBytes: command.totalBytes,
      scheduledAt: command.scheduledAt,
      deletedAt: command.now,
      reason: null,
    },
  }).events;
}

/** record_files_not_deleted → files_not_deleted: the clean-up kept them, saying why. */
export function recordFilesNotDeleted(
  command: CommandOf<'record_files_not_deleted'>,
  state: ProjectState,
): ProjectEvent[] {
  const project = admitUnlessIdle(command, state, state.files.deleted);
  if (project === null) return [];
  return new Emitter(state).emit('marketplace.project.files_not_deleted', {
    project,
    occurredAt: command.now,
    actor: systemActor,
    files: {
      outcome: 'not_deleted',
      fileCount: command.fileCount,
      totalBytes: command.totalBytes,
      scheduledAt: command.scheduledAt,
      deletedAt: null,
      reason: command.reason,
    },
  }).events;
}
