// `GET|PATCH|DELETE /accounting/invoices/:id` and its state changes:
// `POST /accounting/invoices/:id/validate` (draft → open), `…/register-payment` (open → paid),
// `…/cancel` (draft or open → cancel), `…/reset-to-draft` (cancel → draft); decided in src/domain/invoice.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  callerHeaders,
  callerOf,
  deleteRoute,
  getRoute,
  patchRoute,
  recordParams,
  type AccountingOptions,
} from '../../../api.js';
import { emptyBody, invoicePatchBody, invoiceValidateBody } from '../../../domain/index.js';

const action = (summary: string, body: z.ZodType) => ({
  schema: { tags: ['invoices'], summary, headers: callerHeaders, params: recordParams, body },
});

const invoice: FastifyPluginAsyncZod<AccountingOptions> = async (app, { records }) => {
  app.get('', getRoute('account.invoice', 'invoices'), async (request) =>
    records.get(callerOf(request), 'account.invoice', request.params.id),
  );
  app.patch('', patchRoute('account.invoice', 'invoices', invoicePatchBody), async (request) =>
    records.update(callerOf(request), 'account.invoice', request.params.id, request.body),
  );
  app.delete('', deleteRoute('account.invoice', 'invoices'), async (request, reply) => {
    await records.delete(callerOf(request), 'account.invoice', request.params.id);
    return reply.status(204).send(null);
  });
  app.post(
    '/validate',
    action('Validate a draft: it gets its number and becomes open', invoiceValidateBody),
    async (request) =>
      records.invoiceAction(callerOf(request), request.params.id, {
        type: 'validate',
        number: (request.body as { number: string }).number,
      }),
  );
  app.post(
    '/register-payment',
    action('Register the payment of an open invoice: it becomes paid', emptyBody.optional()),
    async (request) => records.invoiceAction(callerOf(request), request.params.id, { type: 'register_payment' }),
  );
  app.post('/cancel', action('Cancel a draft or open invoice', emptyBody.optional()), async (request) =>
    records.invoiceAction(callerOf(request), request.params.id, { type: 'cancel' }),
  );
  app.post(
    '/reset-to-draft',
    action('Turn a cancelled invoice back into a draft', emptyBody.optional()),
    async (request) => records.invoiceAction(callerOf(request), request.params.id, { type: 'reset_to_draft' }),
  );
};
export default invoice;
