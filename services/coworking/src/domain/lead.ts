// The lead (cliente potencial) aggregate of the CRM: created, edited, deleted — one catalog event each.
import { applyPatch, illegalTransition, recordNotFound, unknownCommand, type Decider } from '@hookline/eventsourcing';
import type { CommandName, CommandOf, LeadCommand } from './commands/index.js';
import { event, type CoworkingEvent, type CoworkingEventData } from './shared.js';

export type LeadRecord = CoworkingEventData<'coworking.lead.created'>;
export interface LeadState {
  status: 'none' | 'registered' | 'deleted';
  lead: LeadRecord | null;
}
export type LeadEvent = CoworkingEvent<'coworking.lead.created' | 'coworking.lead.edited' | 'coworking.lead.deleted'>;

export function initialLeadState(): LeadState {
  return { status: 'none', lead: null };
}

export function allowedLeadCommands(state: LeadState): CommandName[] {
  return state.status === 'none' ? ['create_lead'] : state.status === 'registered' ? ['edit_lead', 'delete_lead'] : [];
}

function createLead(command: CommandOf<'create_lead'>, state: LeadState): LeadEvent[] {
  if (state.status !== 'none')
    throw illegalTransition(
      `Lead ${state.lead?.potentialCustomerId} already exists`,
      state.status,
      allowedLeadCommands(state),
    );
  const { type: _type, now, potentialCustomerId, company, ...fields } = command;
  return [event('coworking.lead.created', { potentialCustomerId, company, ...fields, createdAt: now })];
}

/** The lead of a record that exists and is not deleted. */
function existingLead(state: LeadState): LeadRecord {
  const lead = state.lead;
  if (lead === null || state.status !== 'registered')
    throw recordNotFound('lead', state.status, lead?.potentialCustomerId);
  return lead;
}

function editLead(command: CommandOf<'edit_lead'>, state: LeadState): LeadEvent[] {
  const { type: _type, now: _now, ...patch } = command;
  return [event('coworking.lead.edited', applyPatch(existingLead(state), patch))];
}

function deleteLead(_command: CommandOf<'delete_lead'>, state: LeadState): LeadEvent[] {
  const lead = existingLead(state);
  return [
    event('coworking.lead.deleted', {
      potentialCustomerId: lead.potentialCustomerId,
      company: lead.company,
      customerName: lead.customerName,
    }),
  ];
}

export function decideLead(command: LeadCommand, state: LeadState): LeadEvent[] {
  const { type } = command;
  switch (type) {
    case 'create_lead':
      return createLead(command, state);
    case 'edit_lead':
      return editLead(command, state);
    case 'delete_lead':
      return deleteLead(command, state);
    default:
      return unknownCommand(type, 'lead');
  }
}

export function evolveLead(state: LeadState, e: LeadEvent): LeadState {
  switch (e.type) {
    case 'coworking.lead.created':
    case 'coworking.lead.edited':
      return { status: 'registered', lead: e.data };
    case 'coworking.lead.deleted':
      return { ...state, status: 'deleted' };
  }
}

export const leadDecider: Decider<LeadCommand, LeadEvent, LeadState> = {
  decide: decideLead,
  evolve: evolveLead,
  initialState: initialLeadState,
};
