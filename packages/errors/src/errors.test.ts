import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  conflict,
  DomainError,
  forbidden,
  illegal,
  invalid,
  issuesOf,
  limitReached,
  notFound,
  unprocessable,
} from './index.js';

describe('the error vocabulary', () => {
  it('each constructor makes a DomainError of its kind, with its default code and the details given', () => {
    const cases = [
      [illegal('no', { state: 'draft', allowed: [] }), 'illegal', 'illegal_transition'],
      [invalid('no'), 'invalid', 'invalid'],
      [notFound('no'), 'not_found', 'not_found'],
      [conflict('no'), 'conflict', 'conflict'],
      [forbidden('no', {}, 'wrong_party'), 'forbidden', 'wrong_party'],
      [unprocessable('no', {}, 'not_supported'), 'unprocessable', 'not_supported'],
      [limitReached('no', { limit: 'activeProjects', max: 1, current: 1 }), 'unprocessable', 'limit_reached'],
    ] as const;
    for (const [error, kind, code] of cases) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toBeInstanceOf(Error);
      expect([error.kind, error.code, error.message]).toEqual([kind, code, 'no']);
    }
    expect(illegal('no', { state: 'draft', allowed: [] }).details).toEqual({ state: 'draft', allowed: [] });
    expect(invalid('no').details).toEqual({});
  });

  it('lists a zod error as dotted paths under a prefix, with the rule and the message', () => {
    const parsed = z.object({ lines: z.array(z.object({ qty: z.number() })) }).safeParse({ lines: [{ qty: 'x' }] });
    expect(parsed.success).toBe(false);
    expect(issuesOf(parsed.error!, ['body'])).toEqual([
      { path: 'body.lines.0.qty', rule: 'invalid_type', message: expect.any(String) },
    ]);
    expect(issuesOf(parsed.error!)[0]?.path).toBe('lines.0.qty');
  });
});
