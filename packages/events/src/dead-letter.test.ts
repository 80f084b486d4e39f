import { describe, expect, it } from 'vitest';
import {
  deadLetterCodes,
  deadLetterHeaders,
  deadLetterHeadersFor,
  readDeadLetter,
  DEAD_LETTER_ISSUES_MAX_BYTES,
} from './dead-letter.js';

const read = {
  topic: 'hookline.coworking',
  partition: 3,
  offset: '1207',
  headers: { 'content-type': 'application/cloudevents+json', traceparent: 'tp' },
};

describe('dead-letter headers', () => {
  it('keep the original headers and add the code, the reason, the issues as JSON and the origin', () => {
    const issues = [
      { path: 'data.name', rule: 'invalid_type', message: 'Invalid input: expected string, received number' },
      { path: 'data.cpf', rule: 'invalid_format', message: 'a CPF, e.g. 390.533.447-05' },
    ];
    const headers = deadLetterHeadersFor(read, {
      code: 'invalid_data',
      reason: 'invalid coworking.person.created: data.name: …, data.cpf: …',
      issues,
    });
    expect(headers).toEqual({
      'content-type': 'application/cloudevents+json',
      traceparent: 'tp',
      'hookline-dead-letter-code': 'invalid_data',
      'hookline-dead-letter-reason': 'invalid coworking.person.created: data.name: …, data.cpf: …',
      'hookline-dead-letter-issues': JSON.stringify(issues),
      'hookline-original-topic': 'hookline.coworking',
      'hookline-original-partition': '3',
      'hookline-original-offset': '1207',
    });
    expect(readDeadLetter(headers)).toEqual({
      code: 'invalid_data',
      reason: headers['hookline-dead-letter-reason'],
      issues,
      topic: 'hookline.coworking',
      partition: 3,
      offset: '1207',
    });
  });

  it('have no issues header without issues, a one-line reason of at most 1,000 characters', () => {
    const headers = deadLetterHeadersFor(read, { code: 'invalid_json', reason: `unparsable:\n${'x'.repeat(2000)}` });
    expect(headers).not.toHaveProperty(deadLetterHeaders.issues);
    expect(headers[deadLetterHeaders.reason]).toHaveLength(1000);
    expect(headers[deadLetterHeaders.reason]).toMatch(/^unparsable: x+$/);
    expect(readDeadLetter(headers)?.issues).toEqual([]);
  });

  it('keep as many whole issues as fit in 1,000 bytes, as valid JSON', () => {
    const issues = Array.from({ length: 50 }, (_, i) => ({
      path: `data.items.${i}.name`,
      rule: 'invalid_type',
      message: `issue ${i} ${'é'.repeat(30)}`,
    }));
    const json = deadLetterHeadersFor(read, { code: 'invalid_data', reason: 'many', issues })[
      deadLetterHeaders.issues
    ]!;
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(DEAD_LETTER_ISSUES_MAX_BYTES);
    const kept = JSON.parse(json) as typeof issues;
    expect(kept.length).toBeGreaterThan(3);
    expect(kept).toEqual(issues.slice(0, kept.length));
  });

  it('read from Kafka header buffers; a message without a code is no dead letter', () => {
    const headers = Object.fromEntries(
      Object.entries(deadLetterHeadersFor(read, { code: 'missing_key', reason: 'no Kafka key' })).map(([k, v]) => [
        k,
        Buffer.from(v),
      ]),
    );
    expect(readDeadLetter(headers)).toMatchObject({ code: 'missing_key', reason: 'no Kafka key', partition: 3 });
    expect(readDeadLetter({ 'content-type': 'application/json' })).toBeNull();
  });

  it('codes are machine words: no commas, spaces or capitals', () => {
    for (const code of Object.keys(deadLetterCodes)) expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
  });
});
