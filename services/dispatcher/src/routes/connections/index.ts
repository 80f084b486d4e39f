import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { connectionInputSchema } from '../../application/operations.js';
import {
  commonErrors,
  connectionView,
  connectionViewSchema,
  errorSchema,
  tenantOf,
  type ApiOptions,
} from '../../api.js';

const connections: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  const operations = options.dispatcher.operations;

  app.post(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'Create a connection: its signing secret is in this answer only',
        body: connectionInputSchema,
        response: {
          201: connectionViewSchema,
          ...commonErrors,
          422: errorSchema.describe(
            'The tenant has as many connections as it may (HOOKLINE_MAX_CONNECTIONS_PER_TENANT): `limit`, `max`, `current`',
          ),
        },
      },
    },
    async (request, reply) => {
      const connection = await operations.createConnection(tenantOf(request), request.body, {
        maxConnections: options.config.HOOKLINE_MAX_CONNECTIONS_PER_TENANT,
      });
      return reply
        .status(201)
        .send(connectionView(connection, { single: true, secret: connection.secrets[0]!.secret }));
    },
  );

  app.get(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: "The tenant's connections, oldest first, cursor-paginated (no secrets; header values masked)",
        querystring: z.object({
          status: z.enum(['active', 'inactive', 'blocked']).optional(),
          cursor: z.string().max(500).optional().describe("The previous page's nextCursor"),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        }),
        response: {
          200: z.object({ data: z.array(connectionViewSchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { cursor, limit, status } = request.query;
      const page = await operations.listConnections(tenantOf(request), status ? { status } : {}, {
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return { data: page.data.map((connection) => connectionView(connection)), nextCursor: page.nextCursor };
    },
  );
};
export default connections;
