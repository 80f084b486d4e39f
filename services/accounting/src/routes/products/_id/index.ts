// `GET|PATCH|DELETE /accounting/products/:id`
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, deleteRoute, getRoute, patchRoute, type AccountingOptions } from '../../../api.js';
import { productPatchBody } from '../../../domain/index.js';

const product: FastifyPluginAsyncZod<AccountingOptions> = async (app, { records }) => {
  app.get('', getRoute('product.product', 'products'), async (request) =>
    records.get(callerOf(request), 'product.product', request.params.id),
  );
  app.patch('', patchRoute('product.product', 'products', productPatchBody), async (request) =>
    records.update(callerOf(request), 'product.product', request.params.id, request.body),
  );
  app.delete('', deleteRoute('product.product', 'products'), async (request, reply) => {
    await records.delete(callerOf(request), 'product.product', request.params.id);
    return reply.status(204).send(null);
  });
};
export default product;
