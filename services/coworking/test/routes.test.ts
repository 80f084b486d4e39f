// Every Conexa command has its route, on its aggregate, at the URL named after it, and nothing else does.
import { runServices, type RunningPlatform } from '@hookline/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames, coworkingAggregates, coworkingCommands } from '../src/domain/index.js';
import { createCoworkingService } from '../src/index.js';

let platform: RunningPlatform;
beforeAll(async () => {
  platform = await runServices('coworking-routes-test', [createCoworkingService], {
    installSignals: false,
    // In memory: the default data directory is locked by whichever test or platform opened it first.
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', HOOKLINE_DATA_DIR: ':memory:' },
  });
});
afterAll(() => platform.stop());

describe('the coworking routes', () => {
  it('GET /coworking/<aggregate>/:id, and POST /coworking/<aggregate>/:id/<command, kebab-case> for each command', async () => {
    const document = (await platform.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const paths = Object.keys(document.paths).filter(
      (path) => path.startsWith('/coworking/') && path !== '/coworking/',
    );
    const expected = [
      ...coworkingAggregates.map((aggregate) => `/coworking/${aggregate}/{id}`),
      ...commandNames.map(
        (name) => `/coworking/${coworkingCommands[name].aggregate}/{id}/${name.replaceAll('_', '-')}`,
      ),
    ];
    expect(paths.sort()).toEqual(expected.sort());
    for (const aggregate of coworkingAggregates)
      expect(Object.keys(document.paths[`/coworking/${aggregate}/{id}`]!)).toEqual(['get']);
  });
});
