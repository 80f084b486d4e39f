// What the project's domain tests share: the given/when/then specification of the aggregate (every event
// checked against the catalog by @hookline/eventsourcing/testing; here, that a command which emits was one
// `allowedCommands` lists for the caller at that time), a timeline that stamps the commands, the parties of
// the catalog's example project, the usual histories (drafted … working), and the scenarios that together
// emit every one of the 35 BIYRO codes.
import { AssertionError } from 'node:assert';
import { catalogExample, DeciderSpecification, type Decision, type Given } from '@hookline/eventsourcing/testing';
import {
  projectCommand,
  type CommandActor,
  type CommandName,
  type CommandOf,
  type ProjectCommand,
} from './commands.js';
import { freePlan, type Plan } from './plans.js';
import { allowedCommands, projectDecider, type ProjectEvent, type ProjectState } from './project/index.js';

export type Project = Given<ProjectCommand, ProjectEvent, ProjectState>;

type ProjectDecision = Decision<ProjectCommand, ProjectEvent, ProjectState>;
const observers = new Set<(decision: ProjectDecision) => void>();

/** given(events) for the project: a command that emits must be one the caller may send in the state, at that time. */
export const givenProject = DeciderSpecification.for(projectDecider, {
  invariant: (decision) => {
    const { command, state, events } = decision;
    const allowed = allowedCommands(state, command.actor.role, command.now);
    if (events.length > 0 && !allowed.includes(command.type)) {
      throw new AssertionError({
        message: `${command.type} emitted events but allowedCommands(${state.status}, ${command.actor.role}) = [${allowed.join(', ')}]`,
      });
    }
    for (const observe of observers) observe(decision);
  },
});

/** The decisions taken while `run` runs. */
export function decisionsOf(run: () => void): ProjectDecision[] {
  const seen: ProjectDecision[] = [];
  const observe = (decision: ProjectDecision) => seen.push(decision);
  observers.add(observe);
  try {
    run();
  } finally {
    observers.delete(observe);
  }
  return seen;
}

const example =
  catalogExample<Extract<ProjectEvent, { type: 'marketplace.project.new_sent' }>>('marketplace.project.new_sent').data
    .project;

/** The parties of the catalog's example project: the seller (SIA "Koka Darbnīca") and the buyer (Ilze Kalniņa). */
export const SELLER = example.seller;
export const BUYER = example.buyer!;
export const STRANGER = { id: 'usr_9Zz0xX', name: 'Jānis Bērziņš' } as const;
export const sellerActor: CommandActor = { role: 'seller', id: SELLER.id };
export const buyerActor: CommandActor = { role: 'buyer', id: BUYER.id };
export const systemActor: CommandActor = { role: 'system', id: 'scheduler' };

/** A paid plan: more of everything, 10% commission. */
export const proPlan: Plan = {
  name: 'pro',
  activeProjects: 5,
  addonsPerProject: 3,
  stagesPerProject: 4,
  commissionRate: 0.1,
};
/** A plan with no limits at all. */
export const unlimitedPlan: Plan = {
  name: 'business',
  activeProjects: null,
  addonsPerProject: null,
  stagesPerProject: null,
  commissionRate: 0.05,
};

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

type Fields<N extends CommandName> = Omit<CommandOf<N>, 'type' | 'actor' | 'now'>;
type FieldsArg<N extends CommandName> = object extends Fields<N> ? [fields?: Fields<N>] : [fields: Fields<N>];

/** The clock of one test: each command it builds carries its time, then the clock moves an hour on. */
export class Timeline {
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

  /** The command as the API would build it (validated by its schema), at the timeline's time. */
  command<N extends CommandName>(type: N, actor: CommandActor, fields?: Fields<N>): CommandOf<N> {
    const command = projectCommand.parse({ ...fields, type, actor, now: this.now }) as CommandOf<N>;
    this.advance(HOUR);
    return command;
  }

  seller<N extends CommandName>(type: N, ...[fields]: FieldsArg<N>): CommandOf<N> {
    return this.command(type, sellerActor, fields);
  }

  buyer<N extends CommandName>(type: N, ...[fields]: FieldsArg<N>): CommandOf<N> {
    return this.command(type, buyerActor, fields);
  }

  system<N extends CommandName>(type: N, ...[fields]: FieldsArg<N>): CommandOf<N> {
    return this.command(type, systemActor, fields);
  }
}

/** The emitted codes of a history (the types without `marketplace.project.`). */
export function codes(history: readonly ProjectEvent[]): string[] {
  return history.map((event) => event.type.replace('marketplace.project.', ''));
}

// --- the usual histories ----------------------------------------------------

/** The catalog's example project as the seller drafts it. */
export function drafted(t: Timeline, overrides: Partial<Fields<'create_draft'>> = {}): Project {
  return givenProject().when(
    t.seller('create_draft', {
      projectId: example.id,
      sellerName: SELLER.name,
      sellerPlan: freePlan,
      title: example.title,
      price: example.price,
      currency: example.currency,
      deliveryDeadline: example.deliveryDeadline,
      ...overrides,
    }),
  );
}

export function sent(t: Timeline, draft: Partial<Fields<'create_draft'>> = {}): Project {
  return drafted(t, draft).when(
    t.seller('send_offer', { buyer: { ...BUYER }, message: 'Labdien! Pievienoju piedāvājumu.' }),
  );
}

export function signed(
  t: Timeline,
  draft: Partial<Fields<'create_draft'>> = {},
  plan: Plan = draft.sellerPlan ?? freePlan,
): Project {
  return sent(t, draft).when(t.buyer('sign_offer', { sellerPlan: plan, sellerActiveProjects: 0 }));
}

export function paid(t: Timeline, draft: Partial<Fields<'create_draft'>> = {}, plan?: Plan): Project {
  return signed(t, draft, plan).when(t.buyer('project_payment_succeeded', { method: 'card' }));
}

export function working(t: Timeline, draft: Partial<Fields<'create_draft'>> = {}, plan?: Plan): Project {
  return paid(t, draft, plan).when(t.buyer('start_work'));
}

/** An add-on proposed in the running project, valid for 7 days: the project after it, and the add-on's id. */
export function withAddon(
  t: Timeline,
  project: Project,
  plan: Plan = freePlan,
  price = 20,
): { project: Project; addonId: string } {
  const proposed = project.when(
    t.seller('propose_addon', {
      sellerPlan: plan,
      title: 'Papildu augšējie skapīši',
      description: 'Divi augšējie skapīši ar ozolkoka fasādēm.',
      price,
      validUntil: t.at(7 * DAY),
    }),
  );
  const [event] = proposed.events;
  if (event?.type !== 'marketplace.project.new_addon') throw new AssertionError({ message: 'no new_addon' });
  return { project: proposed, addonId: event.data.addon.id };
}

// --- scenarios ---------------------------------------------------------------

export interface Scenario {
  name: string;
  /** The project at the end of the scenario. */
  run(t: Timeline): Project;
  /** The codes the scenario emits, in order. */
  codes: string[];
}

const filesDeleted = (t: Timeline) =>
  t.system('record_files_deleted', { fileCount: 14, totalBytes: 48_213_504, scheduledAt: t.at(-HOUR) });

const start = [
  'new_draft',
  'new_sent',
  'active_signed',
  'purchase_new_invoice',
  'purchase_payment_succeeded',
  'active_prepare',
  'active_work',
];

/** Event-emitting scenarios: together they emit every one of the 35 catalog codes. */
export const scenarios: Scenario[] = [
  {
    name: 'happy path: draft → sent → signed → invoice → paid → prepare → work → delivered → approved (quotas) → support → finished → files deleted',
    run(t) {
      const supported = working(t)
        .when(t.seller('deliver', { message: 'Skapji uzstādīti.', filesCount: 6 }))
        .when(t.buyer('approve_stage', { buyerQuotaBalance: 0 }));
      const finished = supported.when(t.advance(30 * DAY).system('finish_support'));
      return finished.when(filesDeleted(t.advance(30 * DAY)));
    },
    codes: [
      ...start,
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
    run(t) {
      const declined = sent(t).when(t.buyer('decline_offer', { reason: 'Izvēlējāmies citu izpildītāju.' }));
      return declined.when(
        t.system('record_files_not_deleted', {
          fileCount: 2,
          totalBytes: 1024,
          scheduledAt: t.now,
          reason: 'retention_hold',
        }),
      );
    },
    codes: ['new_draft', 'new_sent', 'new_declined', 'files_not_deleted'],
  },
  {
    name: 'the seller withdraws the offer',
    run: (t) => sent(t).when(t.seller('withdraw_offer')),
    codes: ['new_draft', 'new_sent', 'new_withdrawn'],
  },
  {
    name: 'the seller deletes the draft',
    run: (t) => drafted(t).when(t.seller('delete_draft')),
    codes: ['new_draft', 'deleted'],
  },
  {
    name: 'the offer expires (a second expiry is a no-op)',
    run: (t) => {
      const offered = sent(t);
      return offered.when(t.advance(8 * DAY).system('expire_offer')).when(t.system('expire_offer'));
    },
    codes: ['new_draft', 'new_sent', 'expired'],
  },
  {
    name: 'a failed payment, then a successful one',
    run: (t) =>
      signed(t)
        .when(
          t.buyer('project_payment_failed', {
            failureReason: { code: 'insufficient_funds', message: 'Kartē nepietiek līdzekļu.' },
          }),
        )
        .when(t.buyer('project_payment_succeeded', { method: 'bank_transfer' })),
    codes: [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_failed',
      'purchase_payment_succeeded',
      'active_prepare',
    ],
  },
  {
    name: 'revisions, then approval',
    run: (t) =>
      working(t)
        .when(t.seller('deliver', { filesCount: 3 }))
        .when(t.buyer('request_revisions', { comment: 'Lūdzu noregulēt kreisās durvis.' }))
        .when(t.seller('deliver', { filesCount: 1 }))
        .when(t.buyer('approve_stage', { buyerQuotaBalance: 10 })),
    codes: [...start, 'active_delivered', 'active_revisions', 'active_delivered', 'quotas_assigned', 'support_started'],
  },
  {
    name: 'a deadline extension declined, then one accepted',
    run: (t) =>
      working(t)
        .when(t.seller('request_extension', { requestedDeadline: '2026-03-27', reason: 'Fasāžu piegāde aizkavējas.' }))
        .when(t.buyer('decline_extension'))
        .when(
          t.seller('request_extension', {
            requestedDeadline: '2026-03-31',
            reason: 'Fasāžu piegāde aizkavējas par nedēļu.',
          }),
        )
        .when(t.buyer('accept_extension')),
    codes: [
      ...start,
      'request_extension',
      'request_extension_declined',
      'request_extension',
      'request_extension_accepted',
    ],
  },
  {
    name: 'an add-on paid with money',
    run(t) {
      const { project, addonId } = withAddon(t, working(t), freePlan, 180);
      return project
        .when(t.buyer('accept_addon', { addonId, paymentMethod: 'money', sellerPlan: freePlan }))
        .when(t.buyer('addon_payment_succeeded', { addonId, method: 'bank_transfer' }));
    },
    codes: [...start, 'new_addon', 'purchase_new_invoice_addon', 'purchase_addon_payment_succeeded', 'accepted_addon'],
  },
  {
    name: 'an add-on paid with quotas earned on an approved stage',
    run(t) {
      const approved = working(t, { sellerPlan: proPlan, stagesCount: 2 }, proPlan)
        .when(t.seller('deliver'))
        .when(t.buyer('approve_stage', { buyerQuotaBalance: 0 }))
        .when(t.buyer('start_work'));
      const { project, addonId } = withAddon(t, approved, proPlan, 12.5);
      return project.when(
        t.buyer('accept_addon', { addonId, paymentMethod: 'quotas', sellerPlan: proPlan, buyerQuotaBalance: 12.5 }),
      );
    },
    codes: [...start, 'active_delivered', 'quotas_assigned', 'active_work', 'new_addon', 'accepted_addon'],
  },
  {
    name: 'add-ons withdrawn, declined and expired',
    run(t) {
      const first = withAddon(t, working(t, { sellerPlan: proPlan }, proPlan), proPlan);
      const second = withAddon(t, first.project.when(t.seller('withdraw_addon', { addonId: first.addonId })), proPlan);
      const third = withAddon(
        t,
        second.project.when(t.buyer('decline_addon', { addonId: second.addonId, reason: 'Pagaidām neplānojam.' })),
        proPlan,
      );
      return third.project
        .when(t.advance(8 * DAY).system('expire_addon', { addonId: third.addonId }))
        .when(t.system('expire_addon', { addonId: third.addonId }));
    },
    codes: [...start, 'new_addon', 'withdrawn_addon', 'new_addon', 'declined_addon', 'new_addon', 'expired_addon'],
  },
  {
    name: 'the seller asks to cancel, the buyer declines; the buyer asks, the seller declines',
    run: (t) =>
      working(t)
        .when(t.seller('request_cancellation', { reason: 'Saslimšanas dēļ nevaru pabeigt darbu.' }))
        .when(t.buyer('decline_cancellation'))
        .when(t.buyer('request_cancellation', { reason: 'Pārdomājām virtuves plānojumu.' }))
        .when(t.seller('decline_cancellation')),
    codes: [
      ...start,
      'request_cancellation_seller',
      'request_cancellation_declined_buyer',
      'request_cancellation_buyer',
      'request_cancellation_declined_seller',
    ],
  },
  {
    name: 'the buyer asks to cancel and the seller accepts: the project is cancelled',
    run: (t) =>
      working(t)
        .when(t.buyer('request_cancellation', { reason: 'Darbs vairs nav vajadzīgs.' }))
        .when(t.seller('accept_cancellation'))
        .when(filesDeleted(t)),
    codes: [...start, 'request_cancellation_buyer', 'active_cancelled', 'files_deleted'],
  },
];
