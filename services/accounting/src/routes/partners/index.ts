// `POST|GET /accounting/partners`: create a res.partner (the service allocates its id), list them.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, createRoute, listRoute, type AccountingOptions } from '../../api.js';
import { partnerCreateBody } from '../../domain/index.js';

const partners: FastifyPluginAsyncZod<AccountingOptions> = async (app, { records }) => {
  app.post('', createRoute('res.partner', 'partners', partnerCreateBody), async (request, reply) =>
    reply.status(201).send(await records.create(callerOf(request), 'res.partner', request.body)),
  );
  app.get('', listRoute('res.partner', 'partners'), async (request) =>
    records.list(callerOf(request), 'res.partner', request.query),
  );
};
export default partners;
