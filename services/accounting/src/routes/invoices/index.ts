// `POST|GET /accounting/invoices`: create a account.invoice (the service allocates its id), list them.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, createRoute, listRoute, type AccountingOptions } from '../../api.js';
import { invoiceCreateBody } from '../../domain/index.js';

const invoices: FastifyPluginAsyncZod<AccountingOptions> = async (app, { records }) => {
  app.post('', createRoute('account.invoice', 'invoices', invoiceCreateBody), async (request, reply) =>
    reply.status(201).send(await records.create(callerOf(request), 'account.invoice', request.body)),
  );
  app.get('', listRoute('account.invoice', 'invoices'), async (request) =>
    records.list(callerOf(request), 'account.invoice', request.query),
  );
};
export default invoices;
