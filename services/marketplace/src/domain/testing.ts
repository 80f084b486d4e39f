/**
 * Test support for the project aggregate (no test runner inside, so scenarios can be shared):
 * a harness that runs commands through the decider with a clock, checks every emitted event
 * against its catalog schema and folds the parsed data (what the event store keeps), and the
 * scenarios the tests replay.
 */
import { findEventType } from '@hookline/events';
import { projectCommand, type CommandActor, type CommandName, type CommandOf } from './commands.js';
import { freePlan, type Plan } from './plans.js';
import { allowedCommands, decide, evolve, initialState, type ProjectEvent, type ProjectEventType, type ProjectState } from './project.js';

export const SELLER = { id: 'usr_7Kq2mD', name: 'SIA "Koka Darbnīca"' } as const;
export const BUYER = { id: 'usr_3Fh8sL', name: 'Ilze Kalniņa' } as const;
export const STRANGER = { id: 'usr_9Zz0xX', name: 'Jānis Bērziņš' } as const;
export const sellerActor: CommandActor = { role: 'seller', id: SELLER.id };
export const buyerActor: CommandActor = { role: 'buyer', id: BUYER.id };
export const systemActor: CommandActor = { role: 'system', id: 'scheduler' };

/** A paid plan: more of everything, 10% commission. */
export const proPlan: Plan = { name: 'pro', activeProjects: 5, addonsPerProject: 3, stagesPerProject: 4, commissionRate: 0.1 };
/** A plan with no limits at all. */
export const unlimitedPlan: Plan = { name: 'business', activeProjects: null, addonsPerProject: null, stagesPerProject: null, commissionRate: 0.05 };

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

type Fields<N extends CommandName> = Omit<CommandOf<N>, 'type' | 'actor' | 'now'>;
type FieldsArg<N extends CommandName> = object extends Fields<N> ? [fields?: Fields<N>] : [fields: Fields<N>];

/** Asserts that an event's data is valid for its catalog type and returns the parsed data. */
export function parseCatalogData(event: { type: string; data: unknown }): unknown {
  const definition = findEventType(event.type);
  if (definition === undefined) throw new Error(`${event.type} is not in the catalog`);
  return definition.data.parse(event.data);
}

export class ProjectHarness {
  state: ProjectState = initialState();
  /** Every event emitted so far, as the decider emitted it. */
  readonly events: ProjectEvent[] = [];
  /** Which command emitted each event. */
  readonly emittedBy: Array<{ command: CommandName; type: ProjectEventType }> = [];
  private clock: number;

  constructor(start = '2026-02-01T09:00:00.000Z') {
    this.clock = Date.parse(start);
  }

  /** The time the next command will carry. */
  get now(): string {
    return new Date(this.clock).toISOString();
  }

  /** An ISO time `ms` from now. */
  at(ms: number): string {
    return new Date(this.clock + ms).toISOString();
  }

  advance(ms: number): this {
    this.clock += ms;
    return this;
  }

  /** The command as it would be sent now (validated against its schema, as the API will). */
  command<N extends CommandName>(type: N, actor: CommandActor, fields?: Fields<N>): CommandOf<N> {
    return projectCommand.parse({ ...fields, type, actor, now: this.now }) as CommandOf<N>;
  }

  /**
   * Runs a command: validates every event against the catalog, checks that a command that
   * emits was among the allowed ones, folds the parsed data, and moves the clock one hour on.
   */
  run<N extends CommandName>(type: N, actor: CommandActor, fields?: Fields<N>): ProjectEvent[] {
    const command = this.command(type, actor, fields);
    const allowed = allowedCommands(this.state, actor.role, command.now);
    const emitted = decide(command, this.state);
    if (emitted.length > 0 && !allowed.includes(type)) {
      throw new Error(`${type} emitted events but allowedCommands(${this.state.status}, ${actor.role}) = [${allowed.join(', ')}]`);
    }
    for (const event of emitted) {
      const data = parseCatalogData(event);
      this.state = evolve(this.state, { type: event.type, data } as ProjectEvent);
      this.events.push(event);
      this.emittedBy.push({ command: type, type: event.type });
    }
    this.advance(HOUR);
    return emitted;
  }

  seller<N extends CommandName>(type: N, ...[fields]: FieldsArg<N>): ProjectEvent[] {
    return this.run(type, sellerActor, fields);
  }

  buyer<N extends CommandName>(type: N, ...[fields]: FieldsArg<N>): ProjectEvent[] {
    return this.run(type, buyerActor, fields);
  }

  system<N extends CommandName>(type: N, ...[fields]: FieldsArg<N>): ProjectEvent[] {
    return this.run(type, systemActor, fields);
  }

  /** The emitted event types, without the `marketplace.project.` prefix. */
  codes(): string[] {
    return this.events.map((event) => event.type.replace('marketplace.project.', ''));
  }

  /** The last emitted event of a type. */
  last<K extends ProjectEventType>(type: K): Extract<ProjectEvent, { type: K }> {
    const found = this.events.findLast((event) => event.type === type);
    if (found === undefined) throw new Error(`no ${type} emitted`);
    return found as Extract<ProjectEvent, { type: K }>;
  }

  // --- the usual steps -----------------------------------------------------

  draft(overrides: Partial<Fields<'create_draft'>> = {}): this {
    this.seller('create_draft', {
      projectId: 'prj_01J9ZK4T7M',
      sellerName: SELLER.name,
      sellerPlan: freePlan,
      title: 'Virtuves skapju izgatavošana un uzstādīšana',
      price: 1250,
      currency: 'EUR',
      deliveryDeadline: '2026-03-20',
      ...overrides,
    });
    return this;
  }

  sent(draft: Partial<Fields<'create_draft'>> = {}): this {
    this.draft(draft).seller('send_offer', { buyer: { ...BUYER }, message: 'Labdien! Pievienoju piedāvājumu.' });
    return this;
  }

  signed(draft: Partial<Fields<'create_draft'>> = {}, plan: Plan = draft.sellerPlan ?? freePlan): this {
    this.sent(draft).buyer('sign_offer', { sellerPlan: plan, sellerActiveProjects: 0 });
    return this;
  }

  paid(draft: Partial<Fields<'create_draft'>> = {}, plan?: Plan): this {
    this.signed(draft, plan).buyer('project_payment_succeeded', { method: 'card' });
    return this;
  }

  working(draft: Partial<Fields<'create_draft'>> = {}, plan?: Plan): this {
    this.paid(draft, plan).buyer('start_work');
    return this;
  }

  /** An add-on proposed in the running project, valid for 7 days. */
  addon(plan: Plan = freePlan, price = 20): string {
    const [event] = this.seller('propose_addon', {
      sellerPlan: plan,
      title: 'Papildu augšējie skapīši',
      description: 'Divi augšējie skapīši ar ozolkoka fasādēm.',
      price,
      validUntil: this.at(7 * DAY),
    });
    if (event?.type !== 'marketplace.project.new_addon') throw new Error('no new_addon');
    return event.data.addon.id;
  }
}

export interface Scenario {
  name: string;
  run(h: ProjectHarness): void;
  /** The codes the scenario emits, in order. */
  codes: string[];
}

const filesDeleted = (h: ProjectHarness) =>
  h.system('record_files_deleted', { fileCount: 14, totalBytes: 48_213_504, scheduledAt: h.at(-HOUR) });

/** Event-emitting scenarios: together they emit every one of the 35 catalog codes. */
export const scenarios: Scenario[] = [
  {
    name: 'happy path: draft → sent → signed → invoice → paid → prepare → work → delivered → approved (quotas) → support → finished → files deleted',
    run(h) {
      h.working();
      h.seller('deliver', { message: 'Skapji uzstādīti.', filesCount: 6 });
      h.buyer('approve_stage', { buyerQuotaBalance: 0 });
      h.advance(30 * DAY);
      h.system('finish_support');
      h.advance(30 * DAY);
      filesDeleted(h);
    },
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'active_delivered',
      'quotas_assigned',
      'support_started',
      'support_finished',
      'project_finished',
      'files_deleted',
    ],
  },
  {
    name: 'the buyer declines the offer; the clean-up keeps the files',
    run(h) {
      h.sent();
      h.buyer('decline_offer', { reason: 'Izvēlējāmies citu izpildītāju.' });
      h.system('record_files_not_deleted', { fileCount: 2, totalBytes: 1024, scheduledAt: h.now, reason: 'retention_hold' });
    },
    codes: ['new_draft', 'new_sent', 'new_declined', 'files_not_deleted'],
  },
  {
    name: 'the seller withdraws the offer',
    run(h) {
      h.sent();
      h.seller('withdraw_offer');
    },
    codes: ['new_draft', 'new_sent', 'new_withdrawn'],
  },
  {
    name: 'the seller deletes the draft',
    run(h) {
      h.draft();
      h.seller('delete_draft');
    },
    codes: ['new_draft', 'deleted'],
  },
  {
    name: 'the offer expires (a second expiry is a no-op)',
    run(h) {
      h.sent();
      h.advance(8 * DAY);
      h.system('expire_offer');
      h.system('expire_offer');
    },
    codes: ['new_draft', 'new_sent', 'expired'],
  },
  {
    name: 'a failed payment, then a successful one',
    run(h) {
      h.signed();
      h.buyer('project_payment_failed', { failureReason: { code: 'insufficient_funds', message: 'Kartē nepietiek līdzekļu.' } });
      h.buyer('project_payment_succeeded', { method: 'bank_transfer' });
    },
    codes: ['new_draft', 'new_sent', 'active_signed', 'purchase_new_invoice', 'purchase_payment_failed', 'purchase_payment_succeeded', 'active_prepare'],
  },
  {
    name: 'revisions, then approval',
    run(h) {
      h.working();
      h.seller('deliver', { filesCount: 3 });
      h.buyer('request_revisions', { comment: 'Lūdzu noregulēt kreisās durvis.' });
      h.seller('deliver', { filesCount: 1 });
      h.buyer('approve_stage', { buyerQuotaBalance: 10 });
    },
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'active_delivered',
      'active_revisions',
      'active_delivered',
      'quotas_assigned',
      'support_started',
    ],
  },
  {
    name: 'a deadline extension declined, then one accepted',
    run(h) {
      h.working();
      h.seller('request_extension', { requestedDeadline: '2026-03-27', reason: 'Fasāžu piegāde aizkavējas.' });
      h.buyer('decline_extension');
      h.seller('request_extension', { requestedDeadline: '2026-03-31', reason: 'Fasāžu piegāde aizkavējas par nedēļu.' });
      h.buyer('accept_extension');
    },
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'request_extension',
      'request_extension_declined',
      'request_extension',
      'request_extension_accepted',
    ],
  },
  {
    name: 'an add-on paid with money',
    run(h) {
      h.working();
      const addonId = h.addon(freePlan, 180);
      h.buyer('accept_addon', { addonId, paymentMethod: 'money', sellerPlan: freePlan });
      h.buyer('addon_payment_succeeded', { addonId, method: 'bank_transfer' });
    },
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'new_addon',
      'purchase_new_invoice_addon',
      'purchase_addon_payment_succeeded',
      'accepted_addon',
    ],
  },
  {
    name: 'an add-on paid with quotas earned on an approved stage',
    run(h) {
      h.working({ sellerPlan: proPlan, stagesCount: 2 }, proPlan);
      h.seller('deliver');
      h.buyer('approve_stage', { buyerQuotaBalance: 0 });
      h.buyer('start_work');
      const addonId = h.addon(proPlan, 12.5);
      h.buyer('accept_addon', { addonId, paymentMethod: 'quotas', sellerPlan: proPlan, buyerQuotaBalance: 12.5 });
    },
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'active_delivered',
      'quotas_assigned',
      'active_work',
      'new_addon',
      'accepted_addon',
    ],
  },
  {
    name: 'add-ons withdrawn, declined and expired',
    run(h) {
      h.working({ sellerPlan: proPlan }, proPlan);
      const first = h.addon(proPlan);
      h.seller('withdraw_addon', { addonId: first });
      const second = h.addon(proPlan);
      h.buyer('decline_addon', { addonId: second, reason: 'Pagaidām neplānojam.' });
      const third = h.addon(proPlan);
      h.advance(8 * DAY);
      h.system('expire_addon', { addonId: third });
      h.system('expire_addon', { addonId: third });
    },
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'new_addon',
      'withdrawn_addon',
      'new_addon',
      'declined_addon',
      'new_addon',
      'expired_addon',
    ],
  },
  {
    name: 'the seller asks to cancel, the buyer declines; the buyer asks, the seller declines',
    run(h) {
      h.working();
      h.seller('request_cancellation', { reason: 'Saslimšanas dēļ nevaru pabeigt darbu.' });
      h.buyer('decline_cancellation');
      h.buyer('request_cancellation', { reason: 'Pārdomājām virtuves plānojumu.' });
      h.seller('decline_cancellation');
    },
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'request_cancellation_seller',
      'request_cancellation_declined_buyer',
      'request_cancellation_buyer',
      'request_cancellation_declined_seller',
    ],
  },
  {
    name: 'the buyer asks to cancel and the seller accepts: the project is cancelled',
    run(h) {
      h.working();
      h.buyer('request_cancellation', { reason: 'Darbs vairs nav vajadzīgs.' });
      h.seller('accept_cancellation');
      filesDeleted(h);
    },
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'request_cancellation_buyer',
      'active_cancelled',
      'files_deleted',
    ],
  },
];
