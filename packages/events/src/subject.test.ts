import { describe, expect, it } from 'vitest';
import { catalog, findEventType } from './catalog.js';
import { exampleEvent } from './artifacts.js';
import { eventSubject, expectedSubject, subjectRules } from './subject.js';

const tenant = 'ten_0c5a4e1f9b2d47c8a3e6f1b9d2c7a4e5';
const example = (type: string) => ({ type, tenant, data: findEventType(type)!.example });

describe('the subject rule: <tenant id>/<aggregate>', () => {
  it("names each domain's aggregate as its service streams it", () => {
    expect(expectedSubject(example('accounting.invoice.updated'))).toBe(`${tenant}/account.invoice:4812`);
    expect(expectedSubject(example('accounting.partner.created'))).toBe(`${tenant}/res.partner:215`);
    expect(expectedSubject(example('coworking.charge.generated'))).toBe(`${tenant}/coworking.charge:55120`);
    expect(expectedSubject(example('coworking.lead.created'))).toBe(`${tenant}/coworking.lead:982`);
    expect(expectedSubject(example('coworking.expense.receipt_confirmed'))).toMatch(
      new RegExp(`^${tenant}/coworking\\.expense:\\d+$`),
    );
    expect(expectedSubject(example('marketplace.project.active_signed'))).toBe(`${tenant}/prj_01J9ZK4T7M`);
  });

  it("has no answer where the data does not name the aggregate, nor for other teams' domains", () => {
    expect(expectedSubject(example('coworking.charge.reminder'))).toBeUndefined();
    expect(expectedSubject({ type: 'billing.invoice.sent', tenant, data: { id: 1 } })).toBeUndefined();
  });

  it('gives every catalog example the subject of its rule, also its partition key', () => {
    for (const definition of catalog) {
      const event = exampleEvent(definition);
      expect(event.subject, definition.type).toBe(
        expectedSubject({ type: definition.type, tenant, data: definition.example }) ??
          `${tenant}/coworking.charge:55120`,
      );
      expect(event.partitionkey).toBe(event.subject);
      expect(event.tenant).toMatch(/^ten_[0-9a-f]{32}$/);
    }
  });

  it('has an example of its own form per domain', () => {
    expect(eventSubject(tenant, subjectRules.accounting.example)).toBe(`${tenant}/account.invoice:4812`);
    for (const rule of Object.values(subjectRules)) {
      const pattern = new RegExp(`^${rule.form.replace(/[.]/g, '\\.').replace(/<[^>]+>/g, '[^/:]+')}$`);
      expect(rule.example).toMatch(pattern);
    }
  });
});
