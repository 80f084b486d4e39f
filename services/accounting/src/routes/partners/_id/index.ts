// `GET|PATCH|DELETE /accounting/partners/:id` (a partner used by invoices cannot be deleted)
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, deleteRoute, getRoute, patchRoute, type AccountingOptions } from '../../../api.js';
import { partnerPatchBody } from '../../../domain/index.js';

const partner: FastifyPluginAsyncZod<AccountingOptions> = async (app, { records }) => {
  app.get('', getRoute('res.partner', 'partners'), async (request) =>
    records.get(callerOf(request), 'res.partner', request.params.id),
  );
  app.patch('', patchRoute('res.partner', 'partners', partnerPatchBody), async (request) =>
    records.update(callerOf(request), 'res.partner', request.params.id, request.body),
  );
  app.delete('', deleteRoute('res.partner', 'partners'), async (request, reply) => {
    await records.delete(callerOf(request), 'res.partner', request.params.id);
    return reply.status(204).send(null);
  });
};
export default partner;
