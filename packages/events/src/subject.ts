// The subject rule, one form for every producer: an event's `subject` is
// `<tenant id>/<aggregate>`, and it is also its Kafka key (and `partitionkey`)
// and the stream the producing service appends it to. The tenant prefix keeps
// two tenants' records apart (their invoice 4812 are two aggregates, two event
// store streams); the aggregate part is named per domain, below. Whoever
// produces an aggregate's events — its service or another team — uses this
// exact string, so they share one partition and stay in order.
import type { Domain } from './define.js';

/** An event's subject and Kafka key: `<tenant id>/<aggregate>`. */
export function eventSubject(tenant: string, aggregate: string): string {
  return `${tenant}/${aggregate}`;
}

/** The field of a Conexa event's `data` that holds its record's id, per entity (the type's middle segment). */
export const coworkingIdFields = {
  charge: 'chargeId',
  expense: 'billId',
  customer: 'customerId',
  person: 'personId',
  booking: 'bookingId',
  recurring_booking: 'recurringBookingId',
  customer_service: 'customerServiceId',
  correspondence: 'correspondenceId',
  lead: 'potentialCustomerId',
} as const;

export interface SubjectRule {
  /** The aggregate part of the subject, as the docs show it. */
  form: string;
  /** Where its parts come from. */
  description: string;
  /** An example of the aggregate part. */
  example: string;
  /** The aggregate an event of the domain belongs to, from its type and data; undefined when the data does not name it. */
  aggregateOf(type: string, data: unknown): string | undefined;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const idText = (value: unknown): string | undefined =>
  (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;

/** Per domain: how the aggregate part of the subject is named (what its service streams). */
export const subjectRules: Readonly<Record<Domain, SubjectRule>> = {
  marketplace: {
    form: '<project id>',
    description: 'the BIYRO project id (`data.project.id`): every marketplace event belongs to its project',
    example: 'prj_01J9ZK4T7M',
    aggregateOf: (_type, data) => idText(record(record(data)?.project)?.id),
  },
  accounting: {
    form: '<model>:<id>',
    description:
      'the Robolabs record: its Odoo model (`data.object`: `account.invoice`, `res.partner`, `product.product`) and id (`data.id`)',
    example: 'account.invoice:4812',
    aggregateOf: (_type, data) => {
      const model = idText(record(data)?.object);
      const id = idText(record(data)?.id);
      return model && id ? `${model}:${id}` : undefined;
    },
  },
  coworking: {
    form: 'coworking.<entity>:<id>',
    description:
      "the Conexa record: the type's entity (`charge`, `customer`, `person`, …) and its id in `data` (`chargeId`, `customerId`, `personId`, …); `coworking.charge.reminder`, whose data has no charge id, has its charge's subject",
    example: 'coworking.charge:55120',
    aggregateOf: (type, data) => {
      const entity = type.split('.')[1] ?? '';
      const field = (coworkingIdFields as Record<string, string>)[entity];
      const id = field === undefined ? undefined : idText(record(data)?.[field]);
      return id === undefined ? undefined : `coworking.${entity}:${id}`;
    },
  },
};

/**
 * The subject an event of the three domains must have, from its tenant, type
 * and data; undefined for another team's domain, or when the data does not name
 * the aggregate (a charge reminder).
 */
export function expectedSubject(event: { type: string; tenant: string; data: unknown }): string | undefined {
  const domain = event.type.split('.', 1)[0] as Domain;
  const rule = Object.hasOwn(subjectRules, domain) ? subjectRules[domain] : undefined;
  const aggregate = rule?.aggregateOf(event.type, event.data);
  return aggregate === undefined ? undefined : eventSubject(event.tenant, aggregate);
}
