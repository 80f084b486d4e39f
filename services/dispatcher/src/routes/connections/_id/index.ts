import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { connectionPatchSchema } from '../../../application/operations.js';
import {
  commonErrors,
  connectionView,
  connectionViewSchema,
  idParams,
  tenantOf,
  type ApiOptions,
} from '../../../api.js';

const connection: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  const operations = options.dispatcher.operations;

  app.get(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'One connection, with its unique key and header values',
        params: idParams,
        response: { 200: connectionViewSchema, ...commonErrors },
      },
    },
    async (request) =>
      connectionView(await operations.getConnection(tenantOf(request), request.params.id), { single: true }),
  );

  app.patch(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'Change a connection (name, url, active, filter, headers, retry policy, …)',
        params: idParams,
        body: connectionPatchSchema,
        response: { 200: connectionViewSchema, ...commonErrors },
      },
    },
    async (request) =>
      connectionView(await operations.updateConnection(tenantOf(request), request.params.id, request.body), {
        single: true,
      }),
  );

  app.delete(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'Delete a connection; its pending and held deliveries are discarded',
        params: idParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await operations.deleteConnection(tenantOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
export default connection;
