import { describe, expect, it } from 'vitest';
import { catalog, findEventType, topicFor, domainTopics } from './catalog.js';
import { createEvent, EventValidationError, parseKafkaMessage, toKafkaMessage } from './envelope.js';
import { clone } from './testing.js';

const signed = findEventType('marketplace.project.active_signed')!;

function sample(type = signed.type) {
  const definition = findEventType(type)!;
  return createEvent({ type, subject: 'project-1', tenant: 'tenant-a', actor: 'buyer:7', data: clone(definition.example) });
}

describe('the catalog', () => {
  it('holds 35 marketplace, 9 accounting and 30 coworking types, each once', () => {
    const count = (domain: string) => catalog.filter((definition) => definition.domain === domain).length;
    expect([count('marketplace'), count('accounting'), count('coworking')]).toEqual([35, 9, 30]);
    expect(new Set(catalog.map((definition) => definition.type)).size).toBe(catalog.length);
  });

  it('routes each domain to its own topic', () => {
    expect(topicFor('marketplace.project.new_draft')).toBe(domainTopics.marketplace);
    expect(topicFor('coworking.charge.generated')).toBe('hookline.coworking');
    expect(topicFor('billing.invoice.sent')).toBe('hookline.billing');
  });
});

describe('createEvent', () => {
  it('fills in the CloudEvents 1.0 envelope', () => {
    const event = sample();
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'marketplace.project.active_signed',
      source: '/hookline/marketplace',
      subject: 'project-1',
      partitionkey: 'project-1',
      tenant: 'tenant-a',
      actor: 'buyer:7',
      datacontenttype: 'application/json',
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.time)).not.toBeNaN();
  });

  it('builds a valid event from every example in the catalog', () => {
    for (const definition of catalog) {
      expect(() => createEvent({ type: definition.type, subject: 's', tenant: 't', data: clone(definition.example) })).not.toThrow();
    }
  });

  it('names the field and the rule when data breaks the schema', () => {
    const data = clone(signed.example) as { project: { id?: unknown } };
    data.project.id = 42;
    try {
      createEvent({ type: signed.type, subject: 'p', tenant: 't', data });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EventValidationError);
      const issues = (error as EventValidationError).issues;
      expect(issues).toContainEqual(expect.objectContaining({ path: 'data.project.id', rule: 'invalid_type' }));
      expect((error as Error).message).toContain('data.project.id');
      expect((error as Error).message).toContain('invalid_type');
    }
  });

  it('rejects unknown types, a missing tenant and a malformed traceparent', () => {
    expect(() => createEvent({ type: 'marketplace.project.teleported', subject: 'p', tenant: 't', data: {} })).toThrow(/unknown_event_type/);
    expect(() => createEvent({ type: signed.type, subject: 'p', tenant: '', data: clone(signed.example) })).toThrow(/tenant/);
    expect(() => createEvent({ type: signed.type, subject: 'p', tenant: 't', traceparent: 'nope', data: clone(signed.example) })).toThrow(/traceparent/);
  });
});

describe('the Kafka message (structured mode)', () => {
  it('is keyed by the aggregate id, goes to the domain topic and carries the whole event as JSON', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const event = createEvent({ type: signed.type, subject: 'project-9', tenant: 't', traceparent, data: clone(signed.example) });
    const message = toKafkaMessage(event);
    expect(message.topic).toBe('hookline.marketplace');
    expect(message.key).toBe('project-9');
    expect(message.headers).toEqual({ 'content-type': 'application/cloudevents+json', traceparent });
    expect(JSON.parse(message.value)).toMatchObject({ specversion: '1.0', id: event.id, type: signed.type, traceparent, data: event.data });
  });

  it('round-trips through parseKafkaMessage', () => {
    const event = sample();
    const parsed = parseKafkaMessage(toKafkaMessage(event));
    expect(parsed.ok && parsed.event).toMatchObject({ id: event.id, type: event.type, subject: 'project-1', tenant: 'tenant-a', data: event.data });
  });

  it('reports why a message is not an event instead of throwing', () => {
    const good = toKafkaMessage(sample());
    const reason = (message: Parameters<typeof parseKafkaMessage>[0]) => {
      const result = parseKafkaMessage(message);
      return result.ok ? 'ok' : result.reason;
    };
    expect(reason({ ...good, value: null })).toMatch(/empty/);
    expect(reason({ ...good, headers: {} })).toMatch(/content-type is missing/);
    expect(reason({ ...good, value: '{not json' })).toMatch(/unparsable/);
    expect(reason({ ...good, key: 'other' })).toMatch(/differs from the event subject/);
    const wrongData = JSON.parse(good.value) as { data: { project: { id: unknown } } };
    wrongData.data.project.id = 1;
    expect(reason({ ...good, value: JSON.stringify(wrongData) })).toMatch(/data\.project\.id/);
    const unknownType = { ...(JSON.parse(good.value) as object), type: 'marketplace.project.teleported' };
    expect(reason({ ...good, value: JSON.stringify(unknownType) })).toMatch(/unknown_event_type|no event type/);
    expect(reason(good)).toBe('ok');
  });
});
