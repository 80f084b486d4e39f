// The subject rule across the products: every event a service publishes has
// Kafka key = subject = `<tenant id>/<aggregate>` as the catalog's rule names
// it (docs/events.md), the same form another team's producer must use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subscription } from '@hookline/bus';
import { domainTopics, expectedSubject, findEventType, parseKafkaMessage, type HooklineEvent } from '@hookline/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from './index.js';

describe('the products publish every event with key = subject = the subject rule', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let subscription: Subscription;
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-subjects-'));
  const tenant = 'ten_5ab0c3d1e2f34a5b6c7d8e9f0a1b2c3d';
  const seen: { key: string | null; event: HooklineEvent }[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform({
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', HOOKLINE_DATA_DIR: dataDir },
      installSignals: false,
    });
    subscription = await platform.context.bus.subscribe({
      groupId: 'subject-rule-test',
      topics: Object.values(domainTopics),
      fromBeginning: true,
      onBatch: async (batch) => {
        for (const message of batch.messages) {
          const parsed = parseKafkaMessage(message);
          if (parsed.ok) seen.push({ key: message.key, event: parsed.event });
          else problems.push(`${parsed.code}: ${parsed.reason}`);
        }
      },
    });
  });
  afterAll(async () => {
    await subscription?.stop();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (url: string, body: object, actor: Record<string, string>) => {
    const response = await fetch(`${platform.url}${url}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${platform.context.auth.serviceKey}`,
        'hookline-tenant': tenant,
        'content-type': 'application/json',
        ...actor,
      },
      body: JSON.stringify(body),
    });
    expect(response.status, `${url}: ${await response.clone().text()}`).toBeLessThan(300);
    return response.json() as Promise<Record<string, unknown>>;
  };

  it('marketplace, accounting and coworking alike', async () => {
    const project = await call(
      '/marketplace/projects',
      { title: 'Kitchen', price: 10, currency: 'EUR', deliveryDeadline: '2031-01-31' },
      { 'hookline-actor-role': 'seller', 'hookline-actor-id': 'usr_seller' },
    );
    const partner = await call(
      '/accounting/partners',
      { name: 'UAB Klientas', is_company: true },
      { 'hookline-actor': 'user:15' },
    );
    const {
      potentialCustomerId: _id,
      createdAt: _at,
      ...lead
    } = structuredClone(findEventType('coworking.lead.created')!.example) as Record<string, unknown>;
    await call('/coworking/lead/982/create-lead', lead, { 'hookline-actor': 'user:21' });

    const deadline = Date.now() + 15_000;
    const domains = () => new Set(seen.map(({ event }) => event.type.split('.')[0]));
    while (domains().size < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(problems).toEqual([]);
    expect([...domains()].sort()).toEqual(['accounting', 'coworking', 'marketplace']);
    for (const { key, event } of seen) {
      expect(event.tenant).toBe(tenant);
      expect(event.subject, event.type).toBe(expectedSubject(event));
      expect(key, event.type).toBe(event.subject);
    }
    const subjects = seen.map(({ event }) => event.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        `${tenant}/${String(project.projectId)}`,
        `${tenant}/res.partner:${String(partner.id)}`,
        `${tenant}/coworking.lead:982`,
      ]),
    );
  });
});
