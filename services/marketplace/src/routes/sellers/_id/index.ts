// `PUT /marketplace/sellers/:id`: the seller's display name and plan (the free plan unless set).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, type MarketplaceOptions } from '../../../api.js';
import { plan } from '../../../domain/index.js';

const seller: FastifyPluginAsyncZod<MarketplaceOptions> = async (app, options) => {
  app.put(
    '',
    {
      schema: {
        tags: ['sellers'],
        summary: "Set a seller's name and plan (limits and commission); omitted plan: the free plan",
        headers: z.object({ 'hookline-tenant': z.string().min(1).max(100) }),
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z.object({ name: z.string().trim().min(1).max(200), plan: plan.optional() }),
        response: { 200: z.object({ sellerId: z.string(), name: z.string(), plan }), ...errors },
      },
    },
    async (request) => {
      const saved = await options.projects.putSeller(request.headers['hookline-tenant'], request.params.id, request.body);
      return { sellerId: saved.sellerId, name: saved.name, plan: saved.plan };
    },
  );
};
export default seller;
