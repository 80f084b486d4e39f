import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  attemptView,
  attemptViewSchema,
  commonErrors,
  deliveryView,
  deliveryViewSchema,
  idParams,
  tenantOf,
  type ApiOptions,
} from '../../../api.js';

const delivery: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  const operations = options.dispatcher.operations;

  app.get(
    '',
    {
      schema: {
        tags: ['deliveries'],
        summary: 'One delivery: the request body and headers, and every attempt',
        params: idParams,
        response: {
          200: deliveryViewSchema.extend({
            request: z.object({ body: z.unknown(), headers: z.record(z.string(), z.string()).optional() }),
            attemptLog: z.array(attemptViewSchema),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { delivery: found, attempts } = await operations.getDelivery(tenantOf(request), request.params.id);
      const headers = attempts.at(-1)?.requestHeaders;
      return {
        ...deliveryView(found),
        request: { body: JSON.parse(found.body) as unknown, ...(headers ? { headers } : {}) },
        attemptLog: attempts.map(attemptView),
      };
    },
  );

  app.post(
    '/redeliver',
    {
      schema: {
        tags: ['deliveries'],
        summary: 'Send this delivery again (a new round of attempts)',
        params: idParams,
        response: { 202: z.object({ queued: z.boolean() }), ...commonErrors },
      },
    },
    async (request, reply) => {
      await operations.redeliver(tenantOf(request), request.params.id);
      return reply.status(202).send({ queued: true });
    },
  );
};
export default delivery;
