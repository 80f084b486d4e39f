// Runs Conexa commands through the event store. The products' back end sends
// each command with the records it involves (unit, customer, account, place…):
// Conexa holds that reference data, this service holds the aggregates. What the
// service knows itself it fills in: the record's id from the path, the clock (as
// Conexa writes date-times: Y-m-d\TH:i:sP in COWORKING_TIME_ZONE), and whether the
// customer is blocked now (from the customer aggregate).
import { notFound } from '@hookline/errors';
import type { EventSourcing } from '@hookline/eventsourcing';
import { coworkingIdFields, eventSubject, localDateTime } from '@hookline/events';
import type { z } from 'zod';
import {
  coworkingCommands,
  coworkingDeciders,
  coworkingStream,
  customerDecider,
  isCustomerBlocked,
  publishedEvents,
  type CoworkingAggregate,
} from '../domain/index.js';

export interface Caller {
  tenant: string;
  actor: string;
  traceparent?: string;
}

export type CommandName = keyof typeof coworkingCommands;

/** The field that holds a new record's id, per aggregate (the path's `:id`). */
export const idFields: Record<CoworkingAggregate, string> = coworkingIdFields;

export class CoworkingRecords {
  constructor(
    private readonly es: EventSourcing,
    /** The time zone of the clock the commands carry (COWORKING_TIME_ZONE). */
    private readonly timeZone: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The record's stream, also its events' subject and Kafka key: `<tenant>/coworking.<aggregate>:<id>`. */
  private stream(tenant: string, aggregate: CoworkingAggregate, id: number): string {
    return eventSubject(tenant, coworkingStream(aggregate, id));
  }

  async run(caller: Caller, name: CommandName, id: number, body: Record<string, unknown>) {
    const definition = coworkingCommands[name];
    const aggregate = definition.aggregate as CoworkingAggregate;
    const fields: Record<string, unknown> = { ...body, type: name, now: localDateTime(this.now(), this.timeZone) };
    if ((definition.schema as z.ZodObject).shape[idFields[aggregate]] !== undefined) fields[idFields[aggregate]] = id;
    if (
      (definition.schema as z.ZodObject).shape.customerBlocked !== undefined &&
      fields.customerBlocked === undefined
    ) {
      fields.customerBlocked = await this.customerBlocked(caller.tenant, Number(body.customerId));
    }
    const { decider, command } = coworkingDeciders[aggregate];
    const parsed = (command as z.ZodType).parse(fields);
    const { events } = await this.es.handle(
      decider as Parameters<EventSourcing['handle']>[0],
      this.stream(caller.tenant, aggregate, id),
      parsed,
      {
        tenant: caller.tenant,
        actor: caller.actor,
        ...(caller.traceparent ? { traceparent: caller.traceparent } : {}),
      },
    );
    return { aggregate, id, events: publishedEvents(events) };
  }

  async state(caller: Caller, aggregate: CoworkingAggregate, id: number) {
    const { decider, allowed } = coworkingDeciders[aggregate];
    const { state, version } = await this.es.load(
      decider as Parameters<EventSourcing['load']>[0],
      this.stream(caller.tenant, aggregate, id),
    );
    if (version === 0) throw notFound(`no ${aggregate} ${id}`);
    return { state, allowed: (allowed as (state: unknown) => string[])(state) };
  }

  private async customerBlocked(tenant: string, customerId: number): Promise<boolean> {
    if (!Number.isInteger(customerId) || customerId <= 0) return false;
    const { state } = await this.es.load(customerDecider, this.stream(tenant, 'customer', customerId));
    return isCustomerBlocked(state);
  }
}
