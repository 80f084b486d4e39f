import { coworkingEvents, findEventType } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  commandBodies,
  commandEvents,
  commandNames,
  commandSenders,
  commandsOf,
  coworkingAggregates,
  coworkingCommands,
  coworkingDeciders,
  coworkingEventTypes,
  coworkingStream,
  chargeStream,
  isInternalEvent,
  parseCoworkingStream,
  publishedEvents,
} from './index.js';
import { checkEvent, scenarios } from './testing.js';

const catalogTypes = coworkingEvents.map((definition) => definition.type);

/** Paths of object properties without a description in the JSON Schema of `schema`. */
function undescribed(schema: z.ZodType): string[] {
  const missing: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    for (const [key, prop] of Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      if (typeof prop.description !== 'string' || prop.description === '') missing.push(`${path}.${key}`);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) (n[key] as unknown[] | undefined)?.forEach((sub, i) => visit(sub, `${path}|${i}`));
  };
  visit(z.toJSONSchema(schema, { io: 'input' }), 'command');
  return missing;
}

describe('the 30 catalog codes', () => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    expect(scenario.run().map((event) => event.type)).toEqual(scenario.types);
  });

  it('the scenarios together publish every one of the 30 coworking codes, and nothing else', () => {
    const emitted = new Set(scenarios.flatMap((scenario) => scenario.run().map((event) => event.type)));
    expect(catalogTypes).toHaveLength(30);
    expect([...emitted].sort()).toEqual([...catalogTypes].sort());
  });

  it('every published payload parses against its catalog schema, unchanged', () => {
    for (const scenario of scenarios) {
      for (const event of scenario.run()) {
        const definition = findEventType(event.type);
        expect(definition, event.type).toBeDefined();
        expect(definition?.data.parse(event.data)).toStrictEqual(event.data);
        expect(() => checkEvent(event)).not.toThrow();
      }
    }
  });

  it('the deciders know exactly the 30 catalog types', () => {
    expect([...coworkingEventTypes].sort()).toEqual([...catalogTypes].sort());
  });
});

describe('commands', () => {
  it('one schema, one body, senders and events per command, each on a known aggregate', () => {
    expect(commandNames).toHaveLength(33);
    expect(new Set(commandNames).size).toBe(33);
    expect(Object.keys(commandBodies).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(commandSenders).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(commandEvents).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(coworkingCommands).sort()).toEqual([...commandNames].sort());
    expect(coworkingAggregates.flatMap((aggregate) => commandsOf(aggregate)).sort()).toEqual([...commandNames].sort());
    for (const name of commandNames) {
      const command = coworkingCommands[name];
      expect(coworkingAggregates).toContain(command.aggregate);
      expect(command.body).toBe(commandBodies[name]);
      // the aggregate's union schema accepts the command's type
      const union = coworkingDeciders[command.aggregate].command;
      expect(union.options.map((option) => option.shape.type.value)).toContain(name);
    }
  });

  it('commandEvents names catalog events or internal ones, and covers the 30 codes', () => {
    const listed = new Set(Object.values(commandEvents).flat() as string[]);
    for (const type of listed) expect(isInternalEvent({ type }) || findEventType(type) !== undefined, type).toBe(true);
    for (const type of listed) if (isInternalEvent({ type })) expect(findEventType(type)).toBeUndefined();
    expect([...listed].filter((type) => !isInternalEvent({ type })).sort()).toEqual([...catalogTypes].sort());
  });

  it.each(commandNames.map((name) => [name] as const))('%s: every field is described', (name) => {
    const command = coworkingCommands[name];
    expect(undescribed(command.schema)).toEqual([]);
    expect(undescribed(command.body)).toEqual([]);
    expect(command.schema.description?.length).toBeGreaterThan(10);
  });

  it('bodies leave out what the server fills in', () => {
    const keys = (schema: z.ZodObject) => Object.keys(schema.shape).sort();
    expect(keys(commandBodies.send_reminder)).toEqual(['currentAmount', 'ruleId']);
    expect(keys(commandBodies.create_customer_service)).toEqual(['contactType', 'customerId', 'messageText', 'requester']);
    for (const name of commandNames) {
      for (const field of ['type', 'now', 'company', 'customer', 'user', 'customerBlocked', 'chargeId', 'chargeUrl', 'deliveryBy', 'deliveredToPerson']) {
        expect(Object.keys(coworkingCommands[name].body.shape), `${name}.${field}`).not.toContain(field);
      }
    }
  });

  it('bodies are strict', () => {
    expect(commandBodies.cancel_booking.safeParse({ cancellationReason: 'Cliente desistiu.', extra: 1 }).success).toBe(false);
    expect(commandBodies.cancel_booking.parse({ cancellationReason: 'Cliente desistiu.' })).toEqual({ cancellationReason: 'Cliente desistiu.' });
  });
});

describe('streams and internal events', () => {
  it('names one stream per record and parses it back', () => {
    expect(chargeStream(55120)).toBe('coworking.charge:55120');
    expect(coworkingStream('recurring_booking', 712)).toBe('coworking.recurring_booking:712');
    expect(parseCoworkingStream('coworking.customer_service:6120')).toEqual({ aggregate: 'customer_service', id: 6120 });
    expect(parseCoworkingStream('coworking.invoice:1')).toBeNull();
    expect(parseCoworkingStream('coworking.charge:0')).toBeNull();
  });

  it('publishedEvents keeps the catalog events only', () => {
    const events = [
      { type: 'coworking.charge.reminder', data: {} },
      { type: 'internal.charge.reminder_recorded', data: {} },
    ];
    expect(publishedEvents(events).map((event) => event.type)).toEqual(['coworking.charge.reminder']);
  });
});
