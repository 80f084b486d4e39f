// Every command of the project aggregate has its route, at the URL named after it, and nothing else does.
import { runServices, type RunningPlatform } from '@hookline/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames } from '../src/domain/index.js';
import { createMarketplaceService } from '../src/index.js';

let platform: RunningPlatform;
beforeAll(async () => {
  platform = await runServices('marketplace-routes-test', [createMarketplaceService], {
    installSignals: false,
    // In memory: the default data directory is locked by whichever test or platform opened it first.
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', HOOKLINE_DATA_DIR: ':memory:' },
  });
});
afterAll(() => platform.stop());

describe('the marketplace routes', () => {
  it('POST /marketplace/projects/:id/<command, kebab-case> for each command but create_draft (POST /marketplace/projects)', async () => {
    const document = (await platform.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const commandPaths = Object.keys(document.paths).filter(
      (path) =>
        path.startsWith('/marketplace/projects/{id}/') && path !== '/marketplace/projects/{id}/simulate-payment',
    );
    const expected = commandNames
      .filter((name) => name !== 'create_draft')
      .map((name) => `/marketplace/projects/{id}/${name.replaceAll('_', '-')}`);
    expect(commandPaths.sort()).toEqual(expected.sort());
    for (const path of commandPaths) expect(Object.keys(document.paths[path]!), path).toEqual(['post']);
    expect(Object.keys(document.paths['/marketplace/projects']!)).toEqual(['post']);
  });
});
