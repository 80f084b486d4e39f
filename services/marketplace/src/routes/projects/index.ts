// `POST /marketplace/projects`: the seller creates a project as a draft offer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerHeaders, callerOf, commandResult, errors, type MarketplaceOptions } from '../../api.js';
import { commandBodies } from '../../domain/index.js';

const projects: FastifyPluginAsyncZod<MarketplaceOptions> = async (app, options) => {
  app.post(
    '',
    {
      schema: {
        tags: ['projects'],
        summary: 'Create a draft offer (seller)',
        headers: callerHeaders,
        body: commandBodies.create_draft,
        response: { 201: commandResult, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await options.projects.run(callerOf(request), 'create_draft', null, request.body)),
  );
};
export default projects;
