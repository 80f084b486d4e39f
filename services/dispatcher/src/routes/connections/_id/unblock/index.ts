// `POST /v1/connections/:id/unblock`
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, tenantOf, type ApiOptions } from '../../../../api.js';

const unblock: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  const operations = options.dispatcher.operations;

  app.post(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'Unblock: release the held deliveries in order, or discard them',
        params: idParams,
        body: z.object({ releaseHeld: z.boolean() }),
        response: { 200: z.object({ released: z.number().int(), discarded: z.number().int() }), ...commonErrors },
      },
    },
    async (request) => {
      const held = request.body.releaseHeld ? 'release' : 'discard';
      const { deliveries } = await operations.unblock(tenantOf(request), request.params.id, held);
      return { released: held === 'release' ? deliveries : 0, discarded: held === 'discard' ? deliveries : 0 };
    },
  );
};
export default unblock;
