// The work, stage by stage: active_work, active_delivered, active_revisions, quotas_assigned (+ support_started
// after the last stage).
import { round2 } from '@hookline/events';
import type { CommandOf } from '../commands.js';
import type { ProjectEvent } from './events.js';
import {
  addDays,
  admit,
  buyerActor,
  DEFAULT_SUPPORT_PERIOD_DAYS,
  Emitter,
  QUOTA_RATE,
  refuse,
  sellerActor,
  systemActor,
} from './rules.js';
import { currentStage, type ProjectState } from './state.js';

/** The first stage not approved yet; illegal_transition once every stage is. */
function stageOf(
  command: CommandOf<'start_work' | 'deliver' | 'request_revisions' | 'approve_stage'>,
  state: ProjectState,
) {
  const entry = currentStage(state);
  if (entry === undefined) throw refuse(state, command.actor.role, 'every stage is approved');
  return entry;
}

/** start_work → active_work: the buyer lets the first stage start after payment, or the next one after an approval. */
export function startWork(command: CommandOf<'start_work'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const { stage } = stageOf(command, state);
  return new Emitter(state).emit('marketplace.project.active_work', {
    project: { ...project, status: 'work' },
    occurredAt: command.now,
    actor: buyerActor(command.actor),
    stage: { ...stage, status: 'in_progress' },
  }).events;
}

/** deliver → active_delivered: the seller delivers the current stage. */
export function deliver(command: CommandOf<'deliver'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const { stage } = stageOf(command, state);
  return new Emitter(state).emit('marketplace.project.active_delivered', {
    project: { ...project, status: 'delivered' },
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    stage: { ...stage, status: 'delivered' },
    message: command.message ?? null,
    filesCount: command.filesCount ?? 0,
  }).events;
}

/** request_revisions → active_revisions: the buyer asks for changes to the delivered stage. */
export function requestRevisions(command: CommandOf<'request_revisions'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const entry = stageOf(command, state);
  return new Emitter(state).emit('marketplace.project.active_revisions', {
    project: { ...project, status: 'revisions' },
    occurredAt: command.now,
    actor: buyerActor(command.actor),
    stage: { ...entry.stage, status: 'revisions' },
    revisions: { round: entry.revisionRounds + 1, comment: command.comment },
  }).events;
}

/**
 * approve_stage → quotas_assigned (2% of the stage to the buyer), and after the last stage support_started
 * (30 days unless the command says otherwise).
 */
export function approveStage(command: CommandOf<'approve_stage'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const { stage } = stageOf(command, state);
  const assigned = Math.max(0.01, round2(stage.amount * QUOTA_RATE));
  const out = new Emitter(state).emit('marketplace.project.quotas_assigned', {
    project,
    occurredAt: command.now,
    actor: systemActor,
    stage: { ...stage, status: 'approved' },
    quotas: { assigned, balance: round2(command.buyerQuotaBalance + assigned) },
  });
  if (currentStage(out.state) !== undefined) return out.events;
  const days = command.supportPeriodDays ?? DEFAULT_SUPPORT_PERIOD_DAYS;
  return out.emit('marketplace.project.support_started', {
    project: { ...out.project, status: 'support' },
    occurredAt: command.now,
    actor: systemActor,
    supportPeriod: { startsAt: command.now, endsAt: addDays(command.now, days) },
  }).events;
}
