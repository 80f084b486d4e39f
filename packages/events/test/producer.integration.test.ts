// The producer library against the real Kafka broker; read back with plain kafkajs.
import { randomUUID } from 'node:crypto';
import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createEventProducer,
  EventValidationError,
  findEventType,
  parseKafkaMessage,
  type EventInput,
} from '../src/index.js';
import { clone } from '../src/testing.js';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
const producer = createEventProducer({ brokers, clientId: 'events-test', source: '/billing-team' });
afterAll(() => producer.disconnect());

/** Consumes `topic` from the beginning with a fresh group until `done` says so. */
async function readBack(
  topic: string,
  done: (messages: { key: string; value: string; headers: Record<string, string> }[]) => boolean,
) {
  const kafka = new Kafka({ clientId: 'plain-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const messages: { key: string; value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${messages.length} messages from ${topic} in 20 s`)),
        20_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
          messages.push({ key: String(message.key), value: String(message.value), headers });
          if (done(messages)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

describe('the producer library on the real broker', () => {
  it('publishes events that a plain kafkajs consumer reads back as valid CloudEvents, keyed by aggregate', async () => {
    const charge = findEventType('coworking.charge.generated')!;
    const subject = `charge-${randomUUID()}`;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const inputs: EventInput[] = [1, 2, 3].map((n) => ({
      type: charge.type,
      subject,
      tenant: 'tenant-conexa',
      actor: 'system',
      id: `${subject}-${n}`,
      traceparent,
      data: clone(charge.example),
    }));
    const sent = await producer.publish(inputs);
    expect(sent.map((event) => event.id)).toEqual(inputs.map((input) => input.id));

    const messages = await readBack('hookline.coworking', (all) => all.filter((m) => m.key === subject).length === 3);
    const ours = messages.filter((message) => message.key === subject);
    expect(ours.map((message) => (JSON.parse(message.value) as { id: string }).id)).toEqual(
      inputs.map((input) => input.id),
    );
    for (const message of ours) {
      expect(message.headers['content-type']).toBe('application/cloudevents+json');
      expect(message.headers.traceparent).toBe(traceparent);
      // Valid for the CloudEvents SDK (strict validation) and for the catalog.
      const event = CloudEventsKafka.toEvent({ ...message, body: message.value } as Parameters<
        typeof CloudEventsKafka.toEvent
      >[0]) as CloudEvent;
      expect(new CloudEvent(event.toJSON()).validate()).toBe(true);
      expect(event).toMatchObject({
        specversion: '1.0',
        type: charge.type,
        subject,
        source: '/billing-team',
        tenant: 'tenant-conexa',
        traceparent,
      });
      const parsed = parseKafkaMessage(message);
      expect(parsed.ok).toBe(true);
    }
  });

  it('throws an error naming the field and rule, and sends nothing of a batch with one bad event', async () => {
    const lead = findEventType('coworking.lead.created')!;
    const subject = `lead-${randomUUID()}`;
    const bad = clone(lead.example) as Record<string, unknown>;
    const [firstField] = Object.keys(bad);
    delete bad[firstField!];
    const publishing = producer.publish([
      { type: lead.type, subject, tenant: 't', data: clone(lead.example) },
      { type: lead.type, subject, tenant: 't', data: bad },
    ]);
    await expect(publishing).rejects.toBeInstanceOf(EventValidationError);
    await expect(publishing).rejects.toThrow(new RegExp(`data\\.${firstField}`));

    // A marker published after the failed batch is the first message with that key.
    await producer.publish({ type: lead.type, subject, tenant: 't', id: 'marker', data: clone(lead.example) });
    const messages = await readBack('hookline.coworking', (all) => all.some((m) => m.key === subject));
    expect(messages.filter((m) => m.key === subject).map((m) => (JSON.parse(m.value) as { id: string }).id)).toEqual([
      'marker',
    ]);
  });
});
