// The BIYRO project aggregate (offer → project) as a pure decider: decide only dispatches each of the 28
// commands to its own function; `unknownCommand` makes a command without its case fail the typecheck.
import { unknownCommand, type Decider } from '@hookline/eventsourcing';
import type { ProjectCommand } from '../commands.js';
import {
  acceptAddon,
  addonPaymentSucceeded,
  declineAddon,
  expireAddon,
  proposeAddon,
  withdrawAddon,
} from './addons.js';
import { acceptCancellation, declineCancellation, requestCancellation } from './cancellation.js';
import { approveStage, deliver, requestRevisions, startWork } from './delivery.js';
import type { ProjectEvent } from './events.js';
import { acceptExtension, declineExtension, requestExtension } from './extension.js';
import { createDraft, declineOffer, deleteDraft, expireOffer, sendOffer, signOffer, withdrawOffer } from './offers.js';
import { projectPaymentFailed, projectPaymentSucceeded } from './purchase.js';
import { evolve, initialState, type ProjectState } from './state.js';
import { finishSupport, recordFilesDeleted, recordFilesNotDeleted } from './support.js';

export function decide(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  const { type } = command;
  switch (type) {
    case 'create_draft':
      return createDraft(command, state);
    case 'send_offer':
      return sendOffer(command, state);
    case 'delete_draft':
      return deleteDraft(command, state);
    case 'withdraw_offer':
      return withdrawOffer(command, state);
    case 'decline_offer':
      return declineOffer(command, state);
    case 'expire_offer':
      return expireOffer(command, state);
    case 'sign_offer':
      return signOffer(command, state);
    case 'project_payment_failed':
      return projectPaymentFailed(command, state);
    case 'project_payment_succeeded':
      return projectPaymentSucceeded(command, state);
    case 'start_work':
      return startWork(command, state);
    case 'request_extension':
      return requestExtension(command, state);
    case 'accept_extension':
      return acceptExtension(command, state);
    case 'decline_extension':
      return declineExtension(command, state);
    case 'propose_addon':
      return proposeAddon(command, state);
    case 'withdraw_addon':
      return withdrawAddon(command, state);
    case 'decline_addon':
      return declineAddon(command, state);
    case 'expire_addon':
      return expireAddon(command, state);
    case 'accept_addon':
      return acceptAddon(command, state);
    case 'addon_payment_succeeded':
      return addonPaymentSucceeded(command, state);
    case 'deliver':
      return deliver(command, state);
    case 'request_revisions':
      return requestRevisions(command, state);
    case 'approve_stage':
      return approveStage(command, state);
    case 'finish_support':
      return finishSupport(command, state);
    case 'record_files_deleted':
      return recordFilesDeleted(command, state);
    case 'record_files_not_deleted':
      return recordFilesNotDeleted(command, state);
    case 'request_cancellation':
      return requestCancellation(command, state);
    case 'accept_cancellation':
      return acceptCancellation(command, state);
    case 'decline_cancellation':
      return declineCancellation(command, state);
    default:
      return unknownCommand(type, 'project');
  }
}

/** The project aggregate. */
export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = { decide, evolve, initialState };
