import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { connectionInputSchema } from '../../application/operations.js';
import { commonErrors, connectionView, connectionViewSchema, tenantOf, type ApiOptions } from '../../api.js';

const connections: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  const operations = options.dispatcher.operations;

  app.post(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'Create a connection: its signing secret is in this answer only',
        body: connectionInputSchema,
        response: { 201: connectionViewSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const connection = await operations.createConnection(tenantOf(request), request.body);
      return reply.status(201).send(connectionView(connection, { single: true, secret: connection.secrets[0]!.secret }));
    },
  );

  app.get(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: "The tenant's connections (no secrets; header values masked)",
        querystring: z.object({ status: z.enum(['active', 'inactive', 'blocked']).optional() }),
        response: { 200: z.object({ data: z.array(connectionViewSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const found = await operations.listConnections(tenantOf(request), request.query);
      return { data: found.map((connection) => connectionView(connection)) };
    },
  );
};
export default connections;
