// `POST|GET /accounting/products`: create a product.product (the service allocates its id), list them.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, createRoute, listRoute, type AccountingOptions } from '../../api.js';
import { productCreateBody } from '../../domain/index.js';

const products: FastifyPluginAsyncZod<AccountingOptions> = async (app, { records }) => {
  app.post('', createRoute('product.product', 'products', productCreateBody), async (request, reply) =>
    reply.status(201).send(await records.create(callerOf(request), 'product.product', request.body)),
  );
  app.get('', listRoute('product.product', 'products'), async (request) =>
    records.list(callerOf(request), 'product.product', request.query),
  );
};
export default products;
