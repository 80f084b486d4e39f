// `POST /v1/connections/:id/recover`
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, tenantOf, type ApiOptions } from '../../../../api.js';

const recover: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  const operations = options.dispatcher.operations;

  app.post(
    '',
    {
      schema: {
        tags: ['connections'],
        summary: 'Send again every failed delivery created since a time',
        params: idParams,
        body: z.object({ since: z.iso.datetime({ offset: true }) }),
        response: { 202: z.object({ recovered: z.number().int() }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const recovered = await operations.recover(tenantOf(request), request.params.id, new Date(request.body.since));
      return reply.status(202).send({ recovered });
    },
  );
};
export default recover;
