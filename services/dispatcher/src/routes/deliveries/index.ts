import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  deliveryStatuses,
  deliveryView,
  deliveryViewSchema,
  tenantOf,
  type ApiOptions,
} from '../../api.js';

const deliveries: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  app.get(
    '',
    {
      schema: {
        tags: ['deliveries'],
        summary: 'The delivery log (Robolabs "related records"), newest first, cursor-paginated',
        querystring: z.object({
          connectionId: z.string().optional(),
          status: z.enum(deliveryStatuses).optional(),
          eventType: z.string().optional(),
          since: z.iso.datetime({ offset: true }).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ data: z.array(deliveryViewSchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { cursor, limit, since, ...filter } = request.query;
      const page = await options.dispatcher.operations.listDeliveries(
        tenantOf(request),
        { ...filter, ...(since ? { since: new Date(since) } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
      );
      return { data: page.data.map(deliveryView), nextCursor: page.nextCursor };
    },
  );
};
export default deliveries;
