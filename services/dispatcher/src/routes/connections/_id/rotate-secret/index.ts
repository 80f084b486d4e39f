// `POST /v1/connections/:id/rotate-secret`
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  commonErrors,
  connectionView,
  connectionViewSchema,
  idParams,
  tenantOf,
  type ApiOptions,
} from '../../../../api.js';

const rotateSecret: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  const operations = options.dispatcher.operations;

  app.post(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'New signing secret (in this answer only); the old one keeps signing for 24 hours',
        params: idParams,
        response: { 200: connectionViewSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { connection, secret } = await operations.rotateSecret(tenantOf(request), request.params.id);
      return connectionView(connection, { single: true, secret });
    },
  );
};
export default rotateSecret;
