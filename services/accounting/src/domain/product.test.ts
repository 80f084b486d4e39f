import { findEventType } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import type { ProductCommand, ProductCreateInput, ProductPatch } from './commands.js';
import { after, exampleProduct, givenProduct, one, record } from './records.fixtures.js';

const boards = exampleProduct.input;
const pvm1 = { id: 1, name: 'PVM1', amount: 21 };
const pvm2 = { id: 2, name: 'PVM2', amount: 9 };

const create = (input: ProductCreateInput = boards, id = exampleProduct.id): ProductCommand => ({
  type: 'create',
  id,
  input,
});
const update = (patch: ProductPatch): ProductCommand => ({ type: 'update', patch });
const remove = (inUseBy: number[] = []): ProductCommand => ({ type: 'delete', inUseBy });

const states = {
  none: () => givenProduct(),
  exists: () => after(givenProduct(), create()),
  deleted: () => after(givenProduct(), create(), remove()),
};

describe('product', () => {
  it('creates the product of the catalog example', () => {
    expect(one(states.none().when(create()))).toEqual({
      type: 'accounting.product.created',
      data: findEventType('accounting.product.created')!.example,
    });
  });

  it('fills defaults: consumable, price 0, no taxes, active', () => {
    expect(one(states.none().when(create({ name: 'Klijai' }, 70))).data.after).toEqual({
      id: 70,
      name: 'Klijai',
      default_code: null,
      type: 'consu',
      list_price: 0,
      taxes: [],
      active: true,
    });
  });

  it('refuses bad input with the issues', () => {
    const cases: Array<[ProductCommand, string]> = [
      [create({ ...boards, list_price: -1 }), 'list_price'],
      [create({ ...boards, type: 'goods' } as never), 'type'],
      [create({ ...boards, taxes: [pvm1, pvm1] }), 'taxes.1.id'],
      [create({ ...boards, taxes: [{ ...pvm1, amount: 121 }] }), 'taxes.0.amount'],
      [create({ ...boards, default_code: '' }), 'default_code'],
    ];
    for (const [command, path] of cases) {
      const error = states.none().when(command).thenThrows();
      expect(error.code, path).toBe('invalid');
      expect(error.details.issues).toEqual([expect.objectContaining({ path })]);
    }
  });

  it('refuses to create a product that exists or existed (409)', () => {
    expect(states.exists().when(create()).thenThrows().details).toEqual({
      state: 'exists',
      allowed: ['update', 'delete'],
    });
    expect(states.deleted().when(create()).thenThrows().details).toEqual({ state: 'deleted', allowed: [] });
  });

  it('updates the price (the catalog example)', () => {
    const event = one(states.exists().when(update({ list_price: 41.5 })));
    expect(event).toEqual({
      type: 'accounting.product.updated',
      data: findEventType('accounting.product.updated')!.example,
    });
  });

  it('replaces the taxes, and lists only what changed', () => {
    const event = one(states.exists().when(update({ taxes: [pvm2], list_price: 38.9, name: boards.name })));
    expect(event.data).toMatchObject({ changedFields: ['taxes'], before: { taxes: [pvm1] }, after: { taxes: [pvm2] } });
  });

  it('emits nothing when nothing changes', () => {
    for (const patch of [{}, { taxes: [pvm1] }, { list_price: 38.9, active: true }]) {
      expect(states.exists().when(update(patch)).events).toEqual([]);
    }
  });

  it('deletes a product no invoice line uses', () => {
    const state = states.exists();
    expect(one(state.when(remove()))).toEqual({
      type: 'accounting.product.deleted',
      data: { object: 'product.product', operation: 'delete', id: 58, before: record(state), after: null },
    });
  });

  it('refuses to delete a product used on invoices (409), naming them; archiving is allowed', () => {
    const error = states
      .exists()
      .when(remove([4812]))
      .thenThrows();
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toBe('Product 58 is used by invoice 4812; archive it (active: false) instead');
    expect(error.details).toEqual({ state: 'in_use', allowed: ['update'], inUseBy: [4812] });
    expect(one(states.exists().when(update({ active: false }))).data).toMatchObject({ changedFields: ['active'] });
  });

  it('answers not_found to update and delete of a product never created or deleted', () => {
    for (const state of [states.none(), states.deleted()]) {
      for (const command of [update({ list_price: 1 }), remove()]) {
        expect(state.when(command).thenThrows().code).toBe('not_found');
      }
    }
    expect(states.deleted().when(update({})).thenThrows().message).toBe('Product 58 was deleted');
  });

  it('replays its stream into the same state', () => {
    const product = after(givenProduct(), create(), update({ list_price: 41.5 }), update({ default_code: null }));
    expect(record(product)).toMatchObject({ list_price: 41.5, default_code: null });
  });
});
