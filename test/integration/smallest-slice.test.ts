// The smallest real slice, straight on the real servers with their own clients:
// kafkajs produce → consumer group read; mongodb driver write → read → unique index.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const mongodbUri = process.env.MONGODB_URI ?? '';

describe('smallest real slice', () => {
  it('an event produced with kafkajs is read back by a consumer group', async () => {
    const kafka = new Kafka({ clientId: 'slice', brokers, logLevel: logLevel.NOTHING });
    const topic = `slice-${randomUUID().slice(0, 8)}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: 'charge-1', value: JSON.stringify({ type: 'coworking.charge.settled' }) }],
    });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `slice-${randomUUID().slice(0, 8)}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within 30 s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve({ key: message.key!.toString(), value: message.value!.toString() });
        },
      });
    });
    await consumer.disconnect();
    expect(received).toEqual({ key: 'charge-1', value: '{"type":"coworking.charge.settled"}' });
  });

  it('a document written with the mongodb driver is read back, and a unique index rejects a duplicate with 11000', async () => {
    const client = new MongoClient(mongodbUri);
    await client.connect();
    const db = client.db(`slice_${randomUUID().slice(0, 8)}`);
    try {
      const deliveries = db.collection<{ _id: string; eventId: string; connectionId: string }>('deliveries');
      await deliveries.createIndex({ eventId: 1, connectionId: 1 }, { unique: true });
      await deliveries.insertOne({ _id: 'd1', eventId: 'evt-1', connectionId: 'con-1' });
      expect(await deliveries.findOne({ _id: 'd1' })).toEqual({ _id: 'd1', eventId: 'evt-1', connectionId: 'con-1' });
      const error = await deliveries
        .insertOne({ _id: 'd2', eventId: 'evt-1', connectionId: 'con-1' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MongoServerError);
      expect((error as MongoServerError).code).toBe(11000);
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });
});
