import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { connectionInputLimits, connectionInputSchema } from '../application/operations.js';
import {
  connectionFilterSchema,
  connectionLimits,
  defaultRetryPolicy,
  eventTypePatternSchema,
  retryPolicySchema,
} from './connection.js';

const base = { name: 'ERP', url: 'https://erp.example/hooks', filter: { eventTypes: ['coworking.charge.*'] } };

/** The issues of a failed parse, as path → message. */
function issues(schema: z.ZodType, input: unknown): Array<{ path: string; message: string }> {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('connectionFilterSchema', () => {
  it('rejects a filter with neither event types nor a record callback', () => {
    for (const filter of [{}, { eventTypes: [] }, { reminderRuleId: 'r1' }]) {
      expect(issues(connectionFilterSchema, filter)).toEqual([
        { path: 'eventTypes', message: 'a filter needs event types or a record callback' },
      ]);
    }
  });

  it('accepts event types alone, a record callback alone, or both', () => {
    const record = { model: 'account.invoice', operations: ['update'], fields: ['partner_id'] };
    expect(connectionFilterSchema.parse({ eventTypes: ['*'] })).toStrictEqual({ eventTypes: ['*'] });
    expect(connectionFilterSchema.parse({ record })).toStrictEqual({ eventTypes: [], record });
    expect(connectionFilterSchema.parse({ eventTypes: ['accounting.invoice.*'], record })).toStrictEqual({
      eventTypes: ['accounting.invoice.*'],
      record,
    });
  });

  it('rejects a field the record model does not have, naming the field', () => {
    const found = issues(connectionFilterSchema, {
      record: { model: 'account.invoice', operations: ['update'], fields: ['partner_id', 'colour'] },
    });
    expect(found).toEqual([{ path: 'record.fields.1', message: "account.invoice has no field 'colour'" }]);
  });

  it("rejects another model's field (email is a partner field, not an invoice field)", () => {
    const found = issues(connectionFilterSchema, {
      record: { model: 'account.invoice', operations: ['create'], fields: ['email'] },
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("'email'");
    expect(
      connectionFilterSchema.safeParse({ record: { model: 'res.partner', operations: ['create'], fields: ['email'] } })
        .success,
    ).toBe(true);
  });

  it('names every unknown field', () => {
    const found = issues(connectionFilterSchema, {
      record: { model: 'product.product', operations: ['delete'], fields: ['price', 'name', 'sku'] },
    });
    expect(found.map((issue) => issue.message)).toEqual([
      "product.product has no field 'price'",
      "product.product has no field 'sku'",
    ]);
    expect(found.map((issue) => issue.path)).toEqual(['record.fields.0', 'record.fields.2']);
  });

  it('rejects an unknown model, an unknown operation, and empty operations or fields', () => {
    const ok = { model: 'account.invoice', operations: ['update'], fields: ['state'] };
    expect(connectionFilterSchema.safeParse({ record: ok }).success).toBe(true);
    for (const record of [
      { ...ok, model: 'sale.order' },
      { ...ok, operations: ['upsert'] },
      { ...ok, operations: [] },
      { ...ok, fields: [] },
      { ...ok, fields: [''] },
    ]) {
      expect(connectionFilterSchema.safeParse({ record }).success, JSON.stringify(record)).toBe(false);
    }
  });

  it('rejects an empty reminder rule id', () => {
    expect(
      connectionFilterSchema.safeParse({ eventTypes: ['coworking.charge.reminder'], reminderRuleId: '' }).success,
    ).toBe(false);
    expect(
      connectionFilterSchema.parse({ eventTypes: ['coworking.charge.reminder'], reminderRuleId: 'r1' }).reminderRuleId,
    ).toBe('r1');
  });
});

describe('event type patterns', () => {
  it.each([
    '*',
    'coworking.*',
    'coworking.charge.*',
    'coworking.charge.generated',
    'coworking.customer_service.created',
    'hookline',
  ])('accepts %s', (pattern) => {
    expect(eventTypePatternSchema.safeParse(pattern).success).toBe(true);
  });

  it.each([
    'coworking.*.x',
    '*.charge',
    'coworking.**',
    'coworking.charge.',
    '.coworking',
    'Coworking.charge.generated',
    'coworking..charge',
    'coworking.charge*',
    '',
    ' *',
  ])('rejects %j', (pattern) => {
    expect(eventTypePatternSchema.safeParse(pattern).success).toBe(false);
  });

  it('a bad wildcard in a filter is reported at its position', () => {
    const found = issues(connectionFilterSchema, { eventTypes: ['coworking.charge.*', 'coworking.*.x'] });
    expect(found).toEqual([{ path: 'eventTypes.1', message: 'an event type, a prefix ending in .* or *' }]);
  });
});

describe('connectionInputSchema', () => {
  it('applies the Conexa defaults: 3 attempts within 300 s, 15 000 ms per request', () => {
    const parsed = connectionInputSchema.parse(base);
    expect(parsed.retry).toStrictEqual({
      maxAttempts: 3,
      windowSeconds: 300,
      timeoutMs: 15_000,
      backoffSeconds: [30, 120],
    });
    expect(parsed.retry).toStrictEqual(defaultRetryPolicy);
    expect(parsed).toMatchObject({ active: true, headers: {}, maxInFlight: 10 });
  });

  it('fills the defaults of a partial retry policy', () => {
    const parsed = connectionInputSchema.parse({ ...base, retry: { maxAttempts: 5, backoffSeconds: [10] } });
    expect(parsed.retry).toStrictEqual({ maxAttempts: 5, windowSeconds: 300, timeoutMs: 15_000, backoffSeconds: [10] });
  });

  it('keeps an explicit policy', () => {
    const retry = { maxAttempts: 8, windowSeconds: 86_400, timeoutMs: 5_000, backoffSeconds: [5, 60, 600] };
    expect(connectionInputSchema.parse({ ...base, retry }).retry).toStrictEqual(retry);
  });

  it('bounds the retry policy', () => {
    for (const retry of [
      { maxAttempts: 0 },
      { maxAttempts: 21 },
      { maxAttempts: 2.5 },
      { windowSeconds: 0 },
      { windowSeconds: 7 * 24 * 3600 + 1 },
      { timeoutMs: 49 },
      { timeoutMs: 60_001 },
      { backoffSeconds: [] },
      { backoffSeconds: [-1] },
    ]) {
      expect(retryPolicySchema.safeParse(retry).success, JSON.stringify(retry)).toBe(false);
      expect(connectionInputSchema.safeParse({ ...base, retry }).success, JSON.stringify(retry)).toBe(false);
    }
  });

  it('rejects a filter with neither event types nor record, at filter.eventTypes', () => {
    expect(issues(connectionInputSchema, { ...base, filter: {} })).toEqual([
      { path: 'filter.eventTypes', message: 'a filter needs event types or a record callback' },
    ]);
  });

  it('rejects an unknown record field, naming it', () => {
    const found = issues(connectionInputSchema, {
      ...base,
      filter: { record: { model: 'account.invoice', operations: ['create'], fields: ['partner_id', 'buyer'] } },
    });
    expect(found).toEqual([{ path: 'filter.record.fields.1', message: "account.invoice has no field 'buyer'" }]);
  });

  it('rejects a bad wildcard', () => {
    expect(
      issues(connectionInputSchema, { ...base, filter: { eventTypes: ['coworking.*.x'] } }).map((issue) => issue.path),
    ).toEqual(['filter.eventTypes.0']);
  });

  it('takes http and https URLs only', () => {
    expect(connectionInputSchema.safeParse({ ...base, url: 'http://erp.internal:8080/hooks' }).success).toBe(true);
    for (const url of ['ftp://erp.example/hooks', 'erp.example/hooks', 'not a url', '']) {
      expect(issues(connectionInputSchema, { ...base, url }).map((issue) => issue.path)).toEqual(['url']);
    }
  });

  it('takes header names of letters, digits and dashes', () => {
    expect(connectionInputSchema.parse({ ...base, headers: { 'X-Api-Key': 'k-123' } }).headers).toStrictEqual({
      'X-Api-Key': 'k-123',
    });
    for (const name of ['X Api Key', 'X_Api_Key', 'X:Key', '']) {
      expect(connectionInputSchema.safeParse({ ...base, headers: { [name]: 'v' } }).success, name).toBe(false);
    }
    expect(connectionInputSchema.safeParse({ ...base, headers: { 'X-Long': 'x'.repeat(4097) } }).success).toBe(false);
  });

  it('requires a name and bounds maxInFlight', () => {
    expect(connectionInputSchema.safeParse({ ...base, name: '' }).success).toBe(false);
    expect(connectionInputSchema.safeParse({ url: base.url, filter: base.filter }).success).toBe(false);
    expect(connectionInputSchema.safeParse({ ...base, maxInFlight: 0 }).success).toBe(false);
    expect(connectionInputSchema.safeParse({ ...base, maxInFlight: 257 }).success).toBe(false);
    expect(connectionInputSchema.parse({ ...base, maxInFlight: 1 }).maxInFlight).toBe(1);
  });

  it('keeps an inactive connection inactive', () => {
    expect(connectionInputSchema.parse({ ...base, active: false }).active).toBe(false);
  });
});

describe('bounds of a connection (issue 18): each refusal names the bound', () => {
  const message = (input: unknown) => {
    const result = connectionInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  };

  it('event type patterns: at most 100 per connection, 150 characters each', () => {
    const patterns = (n: number) => Array.from({ length: n }, (_, i) => `coworking.type_${i}`);
    expect(connectionInputSchema.safeParse({ ...base, filter: { eventTypes: patterns(100) } }).success).toBe(true);
    expect(message({ ...base, filter: { eventTypes: patterns(101) } })).toBe(
      'filter.eventTypes: at most 100 event type patterns per connection',
    );
    expect(message({ ...base, filter: { eventTypes: [`a.${'b'.repeat(149)}`] } })).toContain(
      'filter.eventTypes.0: at most 150 characters',
    );
    expect(connectionLimits.eventTypePatterns).toBe(100);
  });

  it('record fields, backoff steps and the reminder rule id are bounded too', () => {
    const record = {
      model: 'account.invoice',
      operations: ['update'],
      fields: Array.from({ length: 101 }, () => 'state'),
    };
    expect(message({ ...base, filter: { record } })).toContain('filter.record.fields: at most 100 fields');
    expect(message({ ...base, retry: { backoffSeconds: Array.from({ length: 21 }, () => 1) } })).toBe(
      'retry.backoffSeconds: at most 20 steps',
    );
    expect(connectionInputSchema.safeParse({ ...base, retry: { backoffSeconds: [86_401] } }).success).toBe(false);
    expect(
      connectionInputSchema.safeParse({ ...base, filter: { eventTypes: ['*'], reminderRuleId: 'r'.repeat(101) } })
        .success,
    ).toBe(false);
  });

  it('the URL: at most 2,048 characters', () => {
    const url = (length: number) => `https://erp.example/${'p'.repeat(length - 'https://erp.example/'.length)}`;
    expect(connectionInputSchema.safeParse({ ...base, url: url(2048) }).success).toBe(true);
    expect(message({ ...base, url: url(2049) })).toBe('url: at most 2048 characters');
  });

  it('custom headers: at most 20, names of 100 characters, values of 4,096, 8 KiB together', () => {
    const headers = (n: number, value = 'v') =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`X-H${i}`, value]));
    expect(connectionInputSchema.safeParse({ ...base, headers: headers(20) }).success).toBe(true);
    expect(message({ ...base, headers: headers(21) })).toBe('headers: at most 20 custom headers');
    expect(message({ ...base, headers: { [`X-${'n'.repeat(99)}`]: 'v' } })).toContain('at most 100 characters');
    expect(message({ ...base, headers: headers(3, 'v'.repeat(3000)) })).toBe(
      'headers: at most 8192 bytes of custom header names and values together',
    );
    expect(connectionInputLimits).toMatchObject({ headers: 20, headersBytes: 8192, urlLength: 2048 });
  });

  it('header values follow RFC 9110: no CR, LF, NUL or other controls, no blanks at the ends, nothing past U+00FF', () => {
    for (const value of [
      'a\r\nX-Injected: 1',
      'line\nfeed',
      'nul\u0000byte',
      'bell\u0007',
      ' leading',
      'trailing\t',
      'del\u007f',
      'snow\u2603man',
    ]) {
      expect(message({ ...base, headers: { 'X-Value': value } }), JSON.stringify(value)).toContain(
        'an HTTP field value (RFC 9110)',
      );
    }
    for (const value of ['', 'Bearer abc.def', 'a\tb c', 'caf\u00e9', '!#$%&\'*+-.^_`|~"(),/:;<=>?@[\\]{}']) {
      expect(
        connectionInputSchema.safeParse({ ...base, headers: { 'X-Value': value } }).success,
        JSON.stringify(value),
      ).toBe(true);
    }
  });

  it('every hookline- header name is reserved, whatever its case', () => {
    for (const name of ['hookline-tenant', 'Hookline-Actor-Role', 'HOOKLINE-ACTOR', 'hookline-x']) {
      expect(message({ ...base, headers: { [name]: 'v' } }), name).toContain('reserves (hookline-*)');
    }
    expect(connectionInputSchema.safeParse({ ...base, headers: { 'X-Hookline-Tenant': 'v' } }).success).toBe(true);
  });
});
