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
        summary: 'Send a sample now (Robolabs "test callback") and return the answer',
        description:
          "Without `eventType`, the connection's natural sample: for a record callback, its model's event of the first operation it selected; otherwise the first type it subscribes to (the first catalog type a wildcard matches).",
        params: idParams,
        body: z
          .object({
            eventType: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe('The catalog type whose example is sent; default: the natural sample'),
          })
          // No body at all is the same as {}.
          .nullish(),
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
    async (request) => operations.sendTest(tenantOf(request), request.params.id, request.body?.eventType),
  );
};
export default test;
