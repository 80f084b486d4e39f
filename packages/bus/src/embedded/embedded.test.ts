import { describe, expect, it } from 'vitest';
import { eventBusContract } from '../contract.js';
import { EmbeddedEventBus, partitionForKey } from './index.js';

eventBusContract('embedded', () => new EmbeddedEventBus());

describe('embedded bus specifics', () => {
  it('maps a key to a stable partition', () => {
    expect(partitionForKey('order-1', 3)).toBe(partitionForKey('order-1', 3));
    const spread = new Set(Array.from({ length: 50 }, (_, i) => partitionForKey(`k${i}`, 3)));
    expect(spread.size).toBe(3);
  });

  it('refuses to publish after close', async () => {
    const bus = new EmbeddedEventBus();
    await bus.close();
    await expect(bus.publish('t', [{ key: 'k', value: 'v' }])).rejects.toThrow(/closed/);
  });
});
