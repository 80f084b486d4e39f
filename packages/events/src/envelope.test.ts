import { describe, expect, it } from 'vitest';
import { catalog, findEventType, topicFor, domainTopics } from './catalog.js';
import { createEvent, EventValidationError, parseKafkaMessage, toKafkaMessage } from './envelope.js';
import { clone } from './testing.js';

const signed = findEventType('marketplace.project.active_signed')!;

function sample(type = signed.type) {
  const definition = findEventType(type)!;
  return createEvent({
    type,
    subject: 'project-1',
    tenant: 'tenant-a',
    actor: 'buyer:7',
    data: clone(definition.example),
  });
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
      expect(() =>
        createEvent({ type: definition.type, subject: 's', tenant: 't', data: clone(definition.example) }),
      ).not.toThrow();
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
    expect(() => createEvent({ type: 'marketplace.project.teleported', subject: 'p', tenant: 't', data: {} })).toThrow(
      /unknown_event_type/,
    );
    expect(() => createEvent({ type: signed.type, subject: 'p', tenant: '', data: clone(signed.example) })).toThrow(
      /tenant/,
    );
    expect(() =>
      createEvent({ type: signed.type, subject: 'p', tenant: 't', traceparent: 'nope', data: clone(signed.example) }),
    ).toThrow(/traceparent/);
  });
});

describe('the Kafka message (structured mode)', () => {
  it('is keyed by the aggregate id, goes to the domain topic and carries the whole event as JSON', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const event = createEvent({
      type: signed.type,
      subject: 'project-9',
      tenant: 't',
      traceparent,
      data: clone(signed.example),
    });
    const message = toKafkaMessage(event);
    expect(message.topic).toBe('hookline.marketplace');
    expect(message.key).toBe('project-9');
    expect(message.headers).toEqual({ 'content-type': 'application/cloudevents+json', traceparent });
    expect(JSON.parse(message.value)).toMatchObject({
      specversion: '1.0',
      id: event.id,
      type: signed.type,
      traceparent,
      data: event.data,
    });
  });

  it('round-trips through parseKafkaMessage', () => {
    const event = sample();
    const parsed = parseKafkaMessage(toKafkaMessage(event));
    expect(parsed.ok && parsed.event).toMatchObject({
      id: event.id,
      type: event.type,
      subject: 'project-1',
      tenant: 'tenant-a',
      data: event.data,
    });
  });

  it('reports why a message is not an event, with a code, instead of throwing', () => {
    const good = toKafkaMessage(sample());
    const verdict = (message: Parameters<typeof parseKafkaMessage>[0]) => {
      const result = parseKafkaMessage(message);
      return result.ok ? 'ok' : `${result.code}: ${result.reason}`;
    };
    const event = JSON.parse(good.value) as Record<string, unknown> & { data: { project: { id: unknown } } };
    const withValue = (value: string | Buffer) => verdict({ ...good, value });
    expect(verdict({ ...good, value: null })).toMatch(/^empty_value: empty/);
    expect(verdict({ ...good, value: Buffer.alloc(0) })).toMatch(/^empty_value: /);
    expect(verdict({ ...good, headers: {} })).toMatch(/^not_structured_mode: .*content-type is missing/);
    expect(verdict({ ...good, headers: { 'content-type': 'application/json' } })).toMatch(
      /^not_structured_mode: .*"application\/json"/,
    );
    expect(withValue('{not json')).toMatch(/^invalid_json: unparsable/);
    const [before, after] = good.value.split('buyer:7');
    expect(
      withValue(Buffer.concat([Buffer.from(`${before}buyer:`), Buffer.from([0xff, 0xfe]), Buffer.from(after!)])),
    ).toMatch(/^invalid_utf8: /);
    expect(withValue('[1,2,3]')).toMatch(/^not_an_object: .*an array/);
    expect(withValue('"text"')).toMatch(/^not_an_object: .*a string/);
    expect(withValue(JSON.stringify({ ...event, id: undefined }))).toMatch(
      /^invalid_envelope: .*id must be a non-empty string/,
    );
    expect(withValue(JSON.stringify({ ...event, time: 'yesterday' }))).toMatch(/^invalid_envelope: .*time/);
    expect(withValue(JSON.stringify({ ...event, time: undefined }))).toMatch(/^invalid_envelope: .*time/);
    expect(withValue(JSON.stringify({ ...event, specversion: '0.3' }))).toMatch(/^invalid_envelope: .*specversion/);
    expect(withValue(JSON.stringify({ ...event, tenant: undefined }))).toMatch(/^invalid_envelope: .*tenant/);
    expect(verdict({ ...good, key: 'other' })).toMatch(
      /^key_mismatch: Kafka key "other" differs from the event subject "project-1"/,
    );
    expect(verdict({ ...good, key: null })).toMatch(
      /^missing_key: no Kafka key: it must be the event subject "project-1"/,
    );
    expect(verdict({ ...good, key: undefined })).toMatch(/^missing_key: /);
    expect(verdict({ ...good, key: '' })).toMatch(/^missing_key: /);
    event.data.project.id = 1;
    expect(withValue(JSON.stringify(event))).toMatch(/^invalid_data: .*data\.project\.id/);
    expect(withValue(JSON.stringify({ ...event, type: 'marketplace.project.teleported' }))).toMatch(
      /^unknown_event_type: .*no event type/,
    );
    expect(verdict(good)).toBe('ok');
  });

  it('names the broken fields as issues', () => {
    const good = toKafkaMessage(sample());
    const event = JSON.parse(good.value) as Record<string, unknown>;
    const result = parseKafkaMessage({ ...good, value: JSON.stringify({ ...event, time: 'soon', tenant: '' }) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues?.map((issue) => issue.path).sort()).toEqual(['tenant', 'time']);
  });

  it('gives the time back in UTC and the key as partitionkey', () => {
    const event = createEvent({
      type: signed.type,
      subject: 'project-1',
      tenant: 'tenant-a',
      time: '2026-01-15T10:00:00-03:00',
      data: clone(signed.example),
    });
    const parsed = parseKafkaMessage(toKafkaMessage(event));
    expect(parsed.ok && parsed.event).toMatchObject({ time: '2026-01-15T13:00:00.000Z', partitionkey: 'project-1' });
  });
});
