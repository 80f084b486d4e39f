import { describe, expect, it } from 'vitest';
import { outcomeOf } from './delivery.js';

const timedOut = outcomeOf(undefined, 'no answer within 15000 ms');

describe('outcomeOf', () => {
  it.each([200, 201, 202, 204, 299])('%i is a success', (status) => {
    expect(outcomeOf(status)).toStrictEqual({ ok: true, status });
  });

  it.each([100, 199, 301, 302, 304, 400, 401, 404, 410, 429, 500, 502, 503])(
    '%i is a failure that keeps the status',
    (status) => {
      expect(outcomeOf(status)).toStrictEqual({ ok: false, status });
    },
  );

  it('no response (timeout, connection error) is a failure that keeps the error and has no status', () => {
    expect(outcomeOf(undefined, 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9')).toStrictEqual({
      ok: false,
      error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9',
    });
    expect(outcomeOf(undefined)).toStrictEqual({ ok: false });
    expect(timedOut).not.toHaveProperty('status');
  });

  it('a status and an error are both kept on a failure', () => {
    expect(outcomeOf(502, 'bad gateway')).toStrictEqual({ ok: false, status: 502, error: 'bad gateway' });
  });
});
