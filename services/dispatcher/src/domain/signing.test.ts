import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { requestHeaders, UNIQUE_KEY_HEADER, USER_AGENT } from './webhook-request.js';
import { defaultRetryPolicy, type ConnectionDocument, type SigningSecret } from './connection.js';
import type { DeliveryDocument } from './delivery.js';
import { generateSecret, generateUniqueKey, MAX_SIGNATURES, signature, signatureHeader } from './signing.js';

// The standardwebhooks package checks webhook-timestamp against the real clock (±5 minutes).
const now = new Date();
const hour = 3600 * 1000;

function connection(secrets: SigningSecret[], headers: Record<string, string> = {}): ConnectionDocument {
  return {
    _id: 'conn_0f3a9c',
    tenantId: 'tenant_savassi',
    name: 'ERP',
    url: 'https://erp.example/hooks',
    active: true,
    status: 'active',
    filter: { eventTypes: ['coworking.charge.*'] },
    headers,
    retry: defaultRetryPolicy,
    maxInFlight: 10,
    uniqueKey: 'RBUpiF00by2yuGwkbmtdY2jjuvzYfvIqEBBF50Im',
    secrets,
    consecutiveFailures: 0,
    createdAt: new Date(now.getTime() - 48 * hour),
    updatedAt: new Date(now.getTime() - 48 * hour),
  };
}

const body = {
  type: 'coworking.charge.generated',
  timestamp: '2026-11-23T13:15:00.000Z',
  data: { chargeId: 55120, amount: 1410, notes: 'Referente a novembro/2026 — ção' },
};
const delivery: Pick<DeliveryDocument, '_id' | 'eventType' | 'body' | 'traceparent'> = {
  _id: 'msg_2bQk1X9vD3mT8pL0aZrWcY4nE7s',
  eventType: 'coworking.charge.generated',
  body: JSON.stringify(body),
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

const secretOf = (createdHoursAgo: number, expiresInHours?: number): SigningSecret => ({
  secret: generateSecret(),
  createdAt: new Date(now.getTime() - createdHoursAgo * hour),
  ...(expiresInHours === undefined ? {} : { expiresAt: new Date(now.getTime() + expiresInHours * hour) }),
});

/** The plain node:crypto verification shown in docs/dispatcher.md. */
function verifyWithNodeCrypto(
  secret: string,
  headers: Record<string, string>,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > 5 * 60) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest('base64'));
  return signatures.split(' ').some((versioned) => {
    const [version, value] = versioned.split(',');
    const candidate = Buffer.from(value ?? '');
    return version === 'v1' && candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
}

describe('request headers', () => {
  it('carry the Standard Webhooks headers and the Hookline ones', () => {
    const secret = secretOf(1);
    const headers = requestHeaders(connection([secret]), delivery, now);
    expect(headers).toStrictEqual({
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': delivery._id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      'hookline-event-type': 'coworking.charge.generated',
      [UNIQUE_KEY_HEADER]: 'RBUpiF00by2yuGwkbmtdY2jjuvzYfvIqEBBF50Im',
      traceparent: delivery.traceparent,
    });
    expect(UNIQUE_KEY_HEADER).toBe('hookline-unique-key');
  });

  it('webhook-id is the delivery id, the same for every attempt; only the timestamp and signature change', () => {
    const secrets = [secretOf(1)];
    const first = requestHeaders(connection(secrets), delivery, new Date(now.getTime() - 150_000));
    const retry = requestHeaders(connection(secrets), delivery, now);
    expect(retry['webhook-id']).toBe(first['webhook-id']);
    expect(Number(retry['webhook-timestamp']) - Number(first['webhook-timestamp'])).toBe(150);
    expect(retry['webhook-signature']).not.toBe(first['webhook-signature']);
  });

  it('have no traceparent when the event had none', () => {
    const { traceparent: _ignored, ...untraced } = delivery;
    expect(requestHeaders(connection([secretOf(1)]), untraced, now)).not.toHaveProperty('traceparent');
  });

  it('custom connection headers are sent lower-cased but cannot override reserved ones', () => {
    const secret = secretOf(1);
    const custom = {
      'X-Api-Key': 'k-123',
      'Webhook-Id': 'forged-id',
      'webhook-timestamp': '0',
      'WEBHOOK-SIGNATURE': 'v1,forged',
      'Content-Type': 'text/plain',
      'User-Agent': 'curl/8',
      'Hookline-Unique-Key': 'forged-key',
      'Hookline-Event-Type': 'forged.type',
      Traceparent: '00-00000000000000000000000000000001-0000000000000001-01',
      Host: 'evil.example',
      'Content-Length': '1',
    };
    const headers: Record<string, string> = requestHeaders(connection([secret], custom), delivery, now);
    expect(headers['x-api-key']).toBe('k-123');
    expect(headers['webhook-id']).toBe(delivery._id);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers['webhook-signature']).toBe(
      signature(secret.secret, delivery._id, Math.floor(now.getTime() / 1000), delivery.body),
    );
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe(USER_AGENT);
    expect(headers['hookline-unique-key']).toBe('RBUpiF00by2yuGwkbmtdY2jjuvzYfvIqEBBF50Im');
    expect(headers['hookline-event-type']).toBe('coworking.charge.generated');
    expect(headers.traceparent).toBe(delivery.traceparent);
    expect(headers).not.toHaveProperty('host');
    expect(headers).not.toHaveProperty('content-length');
    // One value per header: no differently-cased duplicate survives.
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(() => new Webhook(secret.secret).verify(delivery.body, headers)).not.toThrow();
  });

  it('no custom header in the hookline- namespace is sent, whatever its case (the services read hookline-tenant and hookline-actor*)', () => {
    const custom = {
      'Hookline-Tenant': 'ten_other',
      'hookline-actor-role': 'buyer',
      'HOOKLINE-ACTOR': 'user:1',
      'Hookline-Anything': 'x',
      'X-Ok': 'y',
    };
    const headers: Record<string, string> = requestHeaders(connection([secretOf(1)], custom), delivery, now);
    expect(
      Object.keys(headers)
        .filter((name) => name.startsWith('hookline-'))
        .sort(),
    ).toEqual(['hookline-event-type', 'hookline-unique-key']);
    expect(headers['x-ok']).toBe('y');
  });

  it('a header value that is not an RFC 9110 field value (stored before the API refused it) is left out, not sent', () => {
    const headers: Record<string, string> = requestHeaders(
      connection([secretOf(1)], { 'X-Broken': 'a\r\nX-Injected: 1', 'X-Ok': 'fine' }),
      delivery,
      now,
    );
    expect(headers).not.toHaveProperty('x-broken');
    expect(headers).not.toHaveProperty('x-injected');
    expect(headers['x-ok']).toBe('fine');
  });

  it('a custom traceparent is not sent even when the event had none', () => {
    const { traceparent: _ignored, ...untraced } = delivery;
    const headers = requestHeaders(
      connection([secretOf(1)], { traceparent: '00-00000000000000000000000000000001-0000000000000001-01' }),
      untraced,
      now,
    );
    expect(headers).not.toHaveProperty('traceparent');
  });
});

describe('signatures verify as a Standard Webhooks receiver checks them', () => {
  it('the standardwebhooks package verifies the body and returns it parsed', () => {
    const secret = secretOf(1);
    const headers = requestHeaders(connection([secret]), delivery, now);
    expect(new Webhook(secret.secret).verify(delivery.body, headers)).toStrictEqual(body);
  });

  it('plain node:crypto verification (as in the docs) agrees', () => {
    const secret = secretOf(1);
    const headers = requestHeaders(connection([secret]), delivery, now);
    expect(verifyWithNodeCrypto(secret.secret, headers, delivery.body)).toBe(true);
    expect(verifyWithNodeCrypto(generateSecret(), headers, delivery.body)).toBe(false);
    expect(verifyWithNodeCrypto(secret.secret, headers, delivery.body.replace('1410', '1411'))).toBe(false);
  });

  it('the signature is the one the standardwebhooks package computes for the same id, timestamp and body', () => {
    const secret = generateSecret();
    const seconds = Math.floor(now.getTime() / 1000);
    expect(signature(secret, delivery._id, seconds, delivery.body)).toBe(
      new Webhook(secret).sign(delivery._id, new Date(seconds * 1000), delivery.body),
    );
  });

  it('a secret without the whsec_ prefix signs with the same key', () => {
    const secret = generateSecret();
    expect(signature(secret.slice('whsec_'.length), 'msg_1', 1_700_000_000, '{}')).toBe(
      signature(secret, 'msg_1', 1_700_000_000, '{}'),
    );
  });

  it('a tampered body fails verification', () => {
    const secret = secretOf(1);
    const headers = requestHeaders(connection([secret]), delivery, now);
    const tampered = delivery.body.replace('"amount":1410', '"amount":14100');
    expect(tampered).not.toBe(delivery.body);
    expect(() => new Webhook(secret.secret).verify(tampered, headers)).toThrow(WebhookVerificationError);
    // Even re-serialising the same JSON differently breaks it: verify the raw bytes.
    expect(() => new Webhook(secret.secret).verify(JSON.stringify(body, null, 2), headers)).toThrow(
      WebhookVerificationError,
    );
  });

  it('a tampered webhook-id or webhook-timestamp fails verification', () => {
    const secret = secretOf(1);
    const headers = requestHeaders(connection([secret]), delivery, now);
    expect(() => new Webhook(secret.secret).verify(delivery.body, { ...headers, 'webhook-id': 'msg_other' })).toThrow(
      WebhookVerificationError,
    );
    const shifted = String(Number(headers['webhook-timestamp']) - 1);
    expect(() =>
      new Webhook(secret.secret).verify(delivery.body, { ...headers, 'webhook-timestamp': shifted }),
    ).toThrow(WebhookVerificationError);
  });

  it('another secret fails verification', () => {
    const headers = requestHeaders(connection([secretOf(1)]), delivery, now);
    expect(() => new Webhook(generateSecret()).verify(delivery.body, headers)).toThrow(WebhookVerificationError);
  });

  it('a request signed more than 5 minutes ago is rejected by the receiver', () => {
    const secret = secretOf(1);
    const headers = requestHeaders(connection([secret]), delivery, new Date(now.getTime() - 6 * 60 * 1000));
    expect(() => new Webhook(secret.secret).verify(delivery.body, headers)).toThrow(/too old/);
    expect(verifyWithNodeCrypto(secret.secret, headers, delivery.body)).toBe(false);
  });
});

describe('secret rotation', () => {
  it('with two valid secrets the header holds two signatures and both secrets verify', () => {
    const old = secretOf(72, 24);
    const fresh = secretOf(0);
    const headers = requestHeaders(connection([old, fresh]), delivery, now);
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    for (const value of signatures) expect(value).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signatures[0]).not.toBe(signatures[1]);

    expect(new Webhook(old.secret).verify(delivery.body, headers)).toStrictEqual(body);
    expect(new Webhook(fresh.secret).verify(delivery.body, headers)).toStrictEqual(body);
    expect(verifyWithNodeCrypto(old.secret, headers, delivery.body)).toBe(true);
    expect(verifyWithNodeCrypto(fresh.secret, headers, delivery.body)).toBe(true);
    expect(() => new Webhook(generateSecret()).verify(delivery.body, headers)).toThrow(WebhookVerificationError);
  });

  it('signatures come in the order of the secrets', () => {
    const [a, b] = [secretOf(2), secretOf(1)];
    const seconds = Math.floor(now.getTime() / 1000);
    expect(signatureHeader([a, b], delivery._id, seconds, delivery.body, now)).toBe(
      `${signature(a.secret, delivery._id, seconds, delivery.body)} ${signature(b.secret, delivery._id, seconds, delivery.body)}`,
    );
  });

  it('an expired secret no longer signs', () => {
    const expired: SigningSecret = { ...secretOf(72), expiresAt: new Date(now.getTime() - 1000) };
    const fresh = secretOf(0);
    const headers = requestHeaders(connection([expired, fresh]), delivery, now);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => new Webhook(expired.secret).verify(delivery.body, headers)).toThrow(WebhookVerificationError);
    expect(new Webhook(fresh.secret).verify(delivery.body, headers)).toStrictEqual(body);
  });

  it('signs with two secrets at most, the first two valid ones, whatever is stored (six rotations once made seven signatures)', () => {
    const secrets = [secretOf(0), ...Array.from({ length: 6 }, (_, n) => secretOf(n + 1, 20))];
    const headers = requestHeaders(connection(secrets), delivery, now);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(MAX_SIGNATURES);
    expect(MAX_SIGNATURES).toBe(2);
    expect(new Webhook(secrets[0]!.secret).verify(delivery.body, headers)).toStrictEqual(body);
    expect(new Webhook(secrets[1]!.secret).verify(delivery.body, headers)).toStrictEqual(body);
    expect(() => new Webhook(secrets[2]!.secret).verify(delivery.body, headers)).toThrow(WebhookVerificationError);
  });

  it('a secret stops signing at its expiry instant', () => {
    const expiring: SigningSecret = { ...secretOf(72), expiresAt: now };
    const fresh = secretOf(0);
    const seconds = Math.floor(now.getTime() / 1000);
    expect(signatureHeader([expiring, fresh], 'msg_1', seconds, '{}', new Date(now.getTime() - 1))).toContain(' ');
    expect(signatureHeader([expiring, fresh], 'msg_1', seconds, '{}', now)).toBe(
      signature(fresh.secret, 'msg_1', seconds, '{}'),
    );
  });
});

describe('generated secrets and unique keys', () => {
  it('a secret is whsec_ + base64 of 24 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(() => new Webhook(secret)).not.toThrow();
    expect(generateSecret()).not.toBe(secret);
  });

  it('a unique key is 40 letters and digits', () => {
    for (let i = 0; i < 200; i++) expect(generateUniqueKey()).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  it('unique keys do not repeat and use the whole alphabet', () => {
    const keys = Array.from({ length: 1000 }, () => generateUniqueKey());
    expect(new Set(keys).size).toBe(keys.length);
    const characters = new Set(keys.join(''));
    expect(characters.size).toBe(62);
  });
});
