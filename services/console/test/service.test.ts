// The console service over HTTP, without a browser: what it serves, with which headers.
import { recordModels } from '@hookline/events';
import { runServices, type RunningPlatform } from '@hookline/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { about, contentSecurityPolicy, createConsoleService } from '../src/index.js';

let platform: RunningPlatform;

beforeAll(async () => {
  // In-memory backends: the console itself keeps no state.
  platform = await runServices('console-service-test', [createConsoleService], {
    installSignals: false,
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', HOOKLINE_DATA_DIR: ':memory:' },
  });
});
afterAll(() => platform.stop());

const get = (path: string) => platform.app.inject({ method: 'GET', url: path });

describe('the console service', () => {
  it('serves the page under /console/, with a strict Content-Security-Policy and no caching of stale code', async () => {
    const bare = await get('/console');
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');
    const page = await get('/console/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<script type="module" src="app.js"></script>');
    expect(page.body).not.toMatch(/<script>|\son\w+=/);
    for (const response of [bare, page, await get('/console/app.js'), await get('/console/api/record-models')]) {
      expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
    expect(contentSecurityPolicy).toMatch(/script-src 'self'(;|$)/);
    expect(contentSecurityPolicy).toContain("form-action 'none'");
  });

  it('serves the browser modules as JavaScript, and nothing but the page files', async () => {
    for (const path of ['/console/app.js', '/console/views/home.js', '/console/styles.css', '/console/favicon.svg']) {
      expect((await get(path)).statusCode, path).toBe(200);
    }
    expect((await get('/console/app.js')).headers['content-type']).toMatch(/^(text|application)\/javascript/);
    for (const path of [
      '/console/../package.json',
      '/console/%2e%2e/src/index.ts',
      '/console/../tsconfig.json',
      '/console/nothing.js',
      '/console/.hidden',
    ]) {
      expect((await get(path)).statusCode, path).toBe(404);
    }
  });

  it('serves the record models of the catalog for the callback pickers, and what it is', async () => {
    const models = (await get('/console/api/record-models')).json<{
      operations: string[];
      models: { name: string; fields: string[]; eventTypes: string[] }[];
    }>();
    expect(models.operations).toEqual(['create', 'update', 'delete']);
    expect(models.models.map((model) => model.name)).toEqual(Object.keys(recordModels));
    expect(models.models.find((model) => model.name === 'account.invoice')?.fields).toEqual([
      ...recordModels['account.invoice'].fields,
    ]);
    expect((await get('/console/about')).json()).toEqual(about);
  });

  it('stays out of the API reference', async () => {
    const document = (await get('/docs/json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/console'))).toEqual([]);
  });
});
