// The BIYRO project aggregate: its events (events.ts), state and evolve (state.ts), who may send what when
// (rules.ts), one function per command grouped as the catalog groups the codes (offers, purchase, delivery,
// extension, addons, support, cancellation), and decide (decide.ts).
export { decide, projectDecider } from './decide.js';
export { projectEventTypes, type ProjectEvent, type ProjectEventData, type ProjectEventType } from './events.js';
export {
  allowedCommands,
  DEFAULT_OFFER_VALIDITY_DAYS,
  DEFAULT_SUPPORT_PERIOD_DAYS,
  INVOICE_DUE_DAYS,
  QUOTA_RATE,
} from './rules.js';
export {
  activeProjectStatuses,
  endedProjectStatuses,
  evolve,
  initialState,
  type AddonState,
  type ProjectState,
  type ProjectStatus,
  type StageState,
} from './state.js';
