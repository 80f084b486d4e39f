import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { operations, recordModels } from '@hookline/events';
import type { Service, ServiceContext } from '@hookline/runtime';
import type { FastifyPluginAsync } from 'fastify';
import { about } from './about.js';

export { about } from './about.js';

/** The browser code, served as-is: plain ES modules, no build (`public/`, beside `src/` and `dist/`). */
export const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/**
 * Only this origin's own files run, style and connect; nothing inline, nothing
 * framed, no form posts anywhere (the forms are handled by script, so a page
 * whose script failed cannot send a typed key off in a URL).
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  // Always revalidated: a deploy is seen at the next load, and nothing is kept for another user of the browser.
  'cache-control': 'no-cache',
};

/** The Robolabs record models and their fields, for the callback pickers (public data of the catalog). */
export function recordModelsView() {
  return {
    operations: [...operations],
    models: Object.entries(recordModels).map(([name, model]) => ({
      name,
      label: model.label.en,
      fields: [...model.fields],
      eventTypes: [...model.eventTypes],
    })),
  };
}

const routes: FastifyPluginAsync = async (app) => {
  // Pages, not API: none of these routes is in the OpenAPI reference (@fastify/swagger reads `schema.hide`).
  app.addHook('onRoute', (route) => {
    route.schema = Object.assign({}, route.schema, { hide: true });
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value);
    return payload;
  });
  // `/console` → `/console/`, so the page's relative module URLs resolve under the prefix.
  app.get('', async (_request, reply) => reply.redirect(`${app.prefix}/`, 301));
  app.get('/about', async () => about);
  app.get('/api/record-models', async () => recordModelsView());
  await app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/',
    decorateReply: false,
    index: ['index.html'],
    // The .ts / tsconfig files beside the modules are not served: only what the page loads.
    allowedPath: (path) => /^\/([\w-]+\/)*[\w.-]*\.(html|js|css|svg)$|^\/$/.test(path),
    dotfiles: 'deny',
    etag: true,
    lastModified: true,
  });
};

/** The tenant web console, under `/console`: static pages calling the management API (`/v1`) on the same origin. */
export function createConsoleService(_context: ServiceContext): Service {
  return { name: 'console', prefix: '/console', routes };
}
