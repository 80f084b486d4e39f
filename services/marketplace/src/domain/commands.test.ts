import { undescribed } from '@hookline/testkit/schemas';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  commandBodies,
  commandEvents,
  commandNames,
  commandRoles,
  projectCommand,
  projectCommands,
} from './commands.js';
import { checkLimit, freePlan, plan, type Plan, type PlanLimit } from './plans.js';

const sendOffer = {
  type: 'send_offer',
  actor: { role: 'seller', id: 'usr_1' },
  now: '2026-02-01T09:00:00Z',
  buyer: { id: 'usr_2', name: 'Ilze' },
  message: 'Labdien!',
};

describe('command schemas', () => {
  it('one schema, one body, roles and events per command', () => {
    expect(commandNames).toHaveLength(28);
    expect(new Set(commandNames).size).toBe(28);
    expect(Object.keys(commandBodies).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(commandRoles).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(commandEvents).sort()).toEqual([...commandNames].sort());
  });

  it.each(projectCommands.map((command) => [command.name, command] as const))(
    '%s: every field is described',
    (_name, command) => {
      expect(undescribed(z.toJSONSchema(command.schema, { io: 'input' }))).toEqual([]);
      expect(undescribed(z.toJSONSchema(command.body, { io: 'input' }))).toEqual([]);
      expect(command.schema.description?.length).toBeGreaterThan(10);
    },
  );

  it('bodies leave out what the server fills in', () => {
    const keys = (schema: z.ZodObject) => Object.keys(schema.shape).sort();
    expect(keys(commandBodies.create_draft)).toEqual([
      'buyer',
      'currency',
      'deliveryDeadline',
      'price',
      'stagesCount',
      'title',
    ]);
    expect(keys(commandBodies.sign_offer)).toEqual([]);
    expect(keys(commandBodies.accept_addon)).toEqual(['addonId', 'paymentMethod']);
    expect(keys(commandBodies.approve_stage)).toEqual([]);
    for (const command of projectCommands) {
      for (const field of [
        'type',
        'actor',
        'now',
        'projectId',
        'sellerName',
        'sellerPlan',
        'sellerActiveProjects',
        'buyerQuotaBalance',
      ]) {
        expect(Object.keys(command.body.shape)).not.toContain(field);
      }
    }
    expect(commandBodies.send_offer.parse({ buyer: { id: 'usr_2', name: 'Ilze' } })).toEqual({
      buyer: { id: 'usr_2', name: 'Ilze' },
    });
  });

  it('accepts a whole command and refuses broken ones', () => {
    expect(projectCommand.parse(sendOffer)).toEqual(sendOffer);
    for (const broken of [
      { ...sendOffer, type: 'send_everything' },
      { ...sendOffer, actor: { role: 'admin', id: 'x' } },
      { ...sendOffer, actor: { role: 'seller', id: '' } },
      { ...sendOffer, now: '2026-02-01T09:00:00' },
      { ...sendOffer, offerValidUntil: 'tomorrow' },
      { ...sendOffer, deliveryDeadline: '2026-02-30x' },
    ]) {
      expect(projectCommand.safeParse(broken).success, JSON.stringify(broken)).toBe(false);
    }
  });

  it('money has at most two decimals and is positive; titles are trimmed and not empty', () => {
    const draft = {
      type: 'create_draft',
      actor: { role: 'seller', id: 'usr_1' },
      now: '2026-02-01T09:00:00Z',
      projectId: 'prj_1',
      sellerName: 'SIA',
      sellerPlan: freePlan,
      title: '  Skapji  ',
      price: 1250.5,
      currency: 'EUR',
    };
    expect(projectCommand.parse(draft)).toMatchObject({ title: 'Skapji', price: 1250.5 });
    for (const change of [
      { price: 10.001 },
      { price: 0 },
      { price: -5 },
      { title: '   ' },
      { currency: 'eur' },
      { stagesCount: 0 },
      { stagesCount: 1.5 },
    ]) {
      expect(projectCommand.safeParse({ ...draft, ...change }).success, JSON.stringify(change)).toBe(false);
    }
  });

  it('a payment failure needs its reason; a file clean-up that kept the files needs why', () => {
    const base = { actor: { role: 'buyer', id: 'usr_2' }, now: '2026-02-01T09:00:00Z' };
    expect(projectCommand.safeParse({ ...base, type: 'project_payment_failed' }).success).toBe(false);
    expect(
      projectCommand.safeParse({
        ...base,
        type: 'project_payment_failed',
        failureReason: { code: 'card_declined', message: 'Noraidīta.' },
      }).success,
    ).toBe(true);
    const cleanup = {
      ...base,
      actor: { role: 'system', id: 'cleanup' },
      type: 'record_files_not_deleted',
      fileCount: 1,
      totalBytes: 10,
      scheduledAt: base.now,
    };
    expect(projectCommand.safeParse(cleanup).success).toBe(false);
    expect(projectCommand.safeParse({ ...cleanup, reason: 'open_dispute' }).success).toBe(true);
  });
});

describe('plans', () => {
  it('the free plan is the document’s: 1 active project, 1 add-on, 1 stage, 20%', () => {
    expect(plan.parse(freePlan)).toEqual({
      name: 'free',
      activeProjects: 1,
      addonsPerProject: 1,
      stagesPerProject: 1,
      commissionRate: 0.2,
    });
  });

  it('checkLimit names the limit and its maximum; null means no limit', () => {
    expect(() => checkLimit(freePlan, 'stagesPerProject', 0, 1)).not.toThrow();
    expect(() => checkLimit(freePlan, 'stagesPerProject', 0, 2)).toThrow(
      expect.objectContaining({
        code: 'limit_reached',
        details: expect.objectContaining({ limit: 'stagesPerProject', max: 1 }),
      }),
    );
    expect(() => checkLimit({ ...freePlan, addonsPerProject: null }, 'addonsPerProject', 1000)).not.toThrow();
  });

  it('says the limit in good English: one active project, several stages per project', () => {
    const message = (sellerPlan: Plan, limit: PlanLimit) => {
      try {
        checkLimit(sellerPlan, limit, 99);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`${limit} was not reached`);
    };
    expect(message(freePlan, 'activeProjects')).toBe('the free plan allows at most 1 active project');
    expect(message(freePlan, 'addonsPerProject')).toBe('the free plan allows at most 1 add-on per project');
    expect(message(freePlan, 'stagesPerProject')).toBe('the free plan allows at most 1 stage per project');
    const pro: Plan = { name: 'pro', activeProjects: 5, addonsPerProject: 3, stagesPerProject: 4, commissionRate: 0.1 };
    expect(message(pro, 'activeProjects')).toBe('the pro plan allows at most 5 active projects');
    expect(message(pro, 'addonsPerProject')).toBe('the pro plan allows at most 3 add-ons per project');
    expect(message(pro, 'stagesPerProject')).toBe('the pro plan allows at most 4 stages per project');
  });
});
