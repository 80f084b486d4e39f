import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from './index.js';

describe('the platform in one process, on the embedded backends', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  beforeAll(async () => {
    platform = await startPlatform({ env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }, installSignals: false });
  });
  afterAll(() => platform.stop());

  it('runs on the embedded bus and store when no Kafka or MongoDB is configured', () => {
    expect(platform.context.bus.backend).toBe('embedded');
    expect(platform.context.store.backend).toBe('embedded');
  });

  it('answers /health and /ready over real HTTP', async () => {
    expect(await (await fetch(`${platform.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${platform.url}/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: unknown }).checks).toEqual({ 'bus (embedded)': 'ok', 'store (embedded)': 'ok' });
  });

  it('serves every service under its own prefix', async () => {
    for (const name of ['marketplace', 'accounting', 'coworking', 'scheduler', 'dispatcher']) {
      const response = await fetch(`${platform.url}/${name}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { service: string }).service).toBe(name);
    }
  });
});
