import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupDataDir } from '@hookline/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatform } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'hookline-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const adminKey = 'backup-admin-key-0123456789abcdef';
const env = (dataDir: string) => ({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  HOOKLINE_DATA_DIR: dataDir,
  HOOKLINE_ADMIN_KEY: adminKey,
});

describe('backup of the data directory', () => {
  it('copies the database while the platform runs, and a platform started on the copy has its tenants', async () => {
    const live = join(dir, 'live');
    const platform = await startPlatform({ env: env(live), installSignals: false });
    let apiKey: string;
    try {
      const created = await platform.app.inject({
        method: 'POST',
        url: '/v1/tenants',
        headers: { authorization: `Bearer ${adminKey}` },
        payload: { name: 'Backed up' },
      });
      expect(created.statusCode).toBe(201);
      apiKey = (created.json() as { apiKey: string }).apiKey;
      const copy = join(dir, 'copy.db');
      const result = await backupDataDir(live, copy);
      expect(result.pages).toBeGreaterThan(0);
      await expect(backupDataDir(live, copy)).rejects.toThrow(/exists/);
      const restored = join(dir, 'restored');
      mkdirSync(restored);
      copyFileSync(copy, join(restored, 'hookline.db'));
      const second = await startPlatform({ env: env(restored), installSignals: false });
      try {
        const listed = await second.app.inject({
          method: 'GET',
          url: '/v1/connections',
          headers: { authorization: `Bearer ${apiKey}` },
        });
        expect(listed.statusCode).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await platform.stop();
    }
  });

  it('refuses a directory with no database yet', async () => {
    await expect(backupDataDir(join(dir, 'empty'), join(dir, 'none.db'))).rejects.toThrow(/no database/);
  });
});
