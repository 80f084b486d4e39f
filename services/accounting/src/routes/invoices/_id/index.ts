// `GET|PATCH|DELETE /accounting/invoices/:id` and its state changes:
// validate (draft → open), register-payment (open → paid), cancel, reset-to-draft.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { callerHeaders, callerOf, itemRoutes, recordParams, type AccountingOptions } from '../../../api.js';
import { emptyBody, invoicePatchBody, invoiceValidateBody } from '../../../domain/index.js';

const invoice: FastifyPluginAsyncZod<AccountingOptions> = async (app, options) => {
  // The plain record routes, in this same scope (options carry autoload's prefix: registering again would double it).
  await itemRoutes('account.invoice', 'invoices', invoicePatchBody)(app, options);
  const schema = (summary: string, body: z.ZodType) => ({ tags: ['invoices'], summary, headers: callerHeaders, params: recordParams, body });
  app.post('/validate', { schema: schema('Validate a draft: it gets its number and becomes open', invoiceValidateBody) }, async (request) =>
    options.records.invoiceAction(callerOf(request), request.params.id, { type: 'validate', number: (request.body as { number: string }).number }),
  );
  app.post('/register-payment', { schema: schema('Register the payment of an open invoice: it becomes paid', emptyBody.optional()) }, async (request) =>
    options.records.invoiceAction(callerOf(request), request.params.id, { type: 'register_payment' }),
  );
  app.post('/cancel', { schema: schema('Cancel a draft or open invoice', emptyBody.optional()) }, async (request) =>
    options.records.invoiceAction(callerOf(request), request.params.id, { type: 'cancel' }),
  );
  app.post('/reset-to-draft', { schema: schema('Turn a cancelled invoice back into a draft', emptyBody.optional()) }, async (request) =>
    options.records.invoiceAction(callerOf(request), request.params.id, { type: 'reset_to_draft' }),
  );
};
export default invoice;
