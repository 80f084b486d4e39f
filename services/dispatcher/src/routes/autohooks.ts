// Every /v1 route needs `Authorization: Bearer <key>`: a tenant key (its own
// tenant only) or the admin key (tenants, custom event types).
import { HttpError } from '@hookline/http';
import type { FastifyPluginAsync } from 'fastify';
import type { ApiOptions } from '../api.js';

const authentication: FastifyPluginAsync<ApiOptions> = async (app, options) => {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpError(401, 'unauthorized', 'send an API key as Authorization: Bearer <key>');
    request.principal = await options.tenants.authenticate(match[1]!);
    if (!request.principal) throw new HttpError(401, 'unauthorized', 'unknown API key');
  });
};
export default authentication;
