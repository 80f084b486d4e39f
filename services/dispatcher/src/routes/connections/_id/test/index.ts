// `POST /v1/connections/:id/test`
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, tenantOf, type ApiOptions } from '../../../../api.js';

const test: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  const operations = options.dispatcher.operations;

  app.post(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'Send a sample of a chosen type now (Robolabs "test callback") and return the answer',
        params: idParams,
        body: z.object({ eventType: z.string().min(1) }),
        response: {
          200: z.object({
            deliveryId: z.string(),
            ok: z.boolean().describe('The receiver answered 2xx'),
            status: z.number().int().optional(),
            durationMs: z.number(),
            responseBody: z.string().optional(),
            error: z.string().optional(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => operations.sendTest(tenantOf(request), request.params.id, request.body.eventType),
  );
};
export default test;
