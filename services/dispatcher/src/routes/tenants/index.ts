import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type ApiOptions } from '../../api.js';

const tenants: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  app.post(
    '',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['tenants'],
        summary: 'Create a tenant (admin): its API key is in this answer only',
        body: z.object({ name: z.string().trim().min(1).max(200) }),
        response: {
          201: z.object({
            id: z.string(),
            name: z.string(),
            apiKey: z.string().describe('Shown once; stored hashed'),
            createdAt: z.iso.datetime(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { tenant, apiKey } = await options.tenants.create(request.body.name);
      return reply
        .status(201)
        .send({ id: tenant._id, name: tenant.name, apiKey, createdAt: tenant.createdAt.toISOString() });
    },
  );
};
export default tenants;
