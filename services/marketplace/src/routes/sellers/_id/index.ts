// `PUT /marketplace/sellers/:id`: the seller's display name and plan (the free plan unless set).
import { forbidden } from '@hookline/errors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerHeaders, callerOf, errors, type MarketplaceOptions } from '../../../api.js';
import { plan } from '../../../domain/index.js';

const seller: FastifyPluginAsyncZod<MarketplaceOptions> = async (app, options) => {
  app.put(
    '',
    {
      schema: {
        tags: ['sellers'],
        summary: "Set a seller's name and plan (limits and commission); omitted plan: the free plan",
        headers: callerHeaders,
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z.object({ name: z.string().trim().min(1).max(200), plan: plan.optional() }),
        response: { 200: z.object({ sellerId: z.string(), name: z.string(), plan }), ...errors },
      },
    },
    async (request) => {
      // The plan (limits, commission) is the marketplace's to set, never a buyer's or a seller's own.
      const caller = callerOf(request);
      if (caller.role !== 'system')
        throw forbidden(`a seller's plan is set by the marketplace (system), not by a ${caller.role}`);
      const saved = await options.projects.putSeller(caller.tenant, request.params.id, request.body);
      return { sellerId: saved.sellerId, name: saved.name, plan: saved.plan };
    },
  );
};
export default seller;
