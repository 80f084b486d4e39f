// The benchmark's events: a seeded mix of every catalog type (each type's
// catalog example as payload) over a pool of subjects, built once per type as a
// validated CloudEvent and then copied with a fresh id, time and subject, so
// publishing costs no validation.
import { randomUUID } from 'node:crypto';
import { catalog, cloudEventsContentType, createEvent, toKafkaMessage, type Domain } from '@hookline/events';

export interface BenchMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Deterministic PRNG (mulberry32): every mode publishes the same sequence of types and subjects. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class EventMix {
  private readonly templates: { domain: Domain; envelope: Record<string, unknown> }[];
  private readonly next: () => number;

  constructor(
    tenant: string,
    private readonly topics: Record<Domain, string>,
    private readonly subjects: number,
    seed = 12,
  ) {
    this.templates = catalog.map((definition) => {
      const event = createEvent({
        type: definition.type,
        subject: 'template',
        tenant,
        actor: 'system',
        data: definition.example,
      });
      return {
        domain: definition.domain,
        envelope: JSON.parse(toKafkaMessage(event).value) as Record<string, unknown>,
      };
    });
    this.next = prng(seed);
  }

  /** The next event of the sequence, its time `now` (the event time latency is measured from). */
  message(now: Date): BenchMessage {
    const template = this.templates[Math.floor(this.next() * this.templates.length)]!;
    const subject = `bench-${Math.floor(this.next() * this.subjects)}`;
    const value = JSON.stringify({
      ...template.envelope,
      id: randomUUID(),
      time: now.toISOString(),
      subject,
      partitionkey: subject,
    });
    return {
      topic: this.topics[template.domain],
      key: subject,
      value,
      headers: { 'content-type': cloudEventsContentType },
    };
  }

  /** Share of events per domain (uniform over catalog types). */
  static domainShares(): Record<Domain, number> {
    const shares: Record<string, number> = {};
    for (const definition of catalog) shares[definition.domain] = (shares[definition.domain] ?? 0) + 1 / catalog.length;
    return shares as Record<Domain, number>;
  }
}
