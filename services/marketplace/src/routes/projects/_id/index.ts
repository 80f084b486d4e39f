// `GET /marketplace/projects/:id` and one `POST /marketplace/projects/:id/<command>`
// per command of the project aggregate (the body schema is the command's), plus
// the simulated payment provider.
import { unprocessable } from '@hookline/errors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerHeaders, callerOf, commandResult, errors, type MarketplaceOptions } from '../../../api.js';
import { commandRoles, projectCommands, type CommandName } from '../../../domain/index.js';

const params = z.object({ id: z.string().min(1).max(100) });

const project: FastifyPluginAsyncZod<MarketplaceOptions> = async (app, options) => {
  app.get(
    '',
    {
      schema: {
        tags: ['projects'],
        summary: 'The project as its events made it, and the commands the caller may send now',
        headers: callerHeaders,
        params,
        response: { 200: z.object({ projectId: z.string(), status: z.string(), project: z.unknown(), addons: z.unknown(), allowed: z.array(z.string()) }), ...errors },
      },
    },
    async (request) => {
      const { state, allowed } = await options.projects.state(callerOf(request), request.params.id);
      return { projectId: request.params.id, status: state.status, project: state.project, addons: state.addons, allowed };
    },
  );

  for (const command of projectCommands) {
    if (command.name === 'create_draft') continue;
    app.post(
      `/${command.name.replaceAll('_', '-')}`,
      {
        schema: {
          tags: commandRoles[command.name].includes('system') && commandRoles[command.name].length === 1 ? ['timers'] : ['projects'],
          summary: `${command.body.description ?? command.name} (${commandRoles[command.name].join(' or ')})`,
          headers: callerHeaders,
          params,
          body: command.body,
          response: { 200: commandResult, ...errors },
        },
      },
      async (request) => options.projects.run(callerOf(request), command.name, request.params.id, request.body as object),
    );
  }

  // The payment provider is simulated: it reports the outcome of the buyer's payment of the
  // project invoice or of an add-on invoice, as a real provider's webhook would.
  app.post(
    '/simulate-payment',
    {
      schema: {
        tags: ['payments'],
        summary: "Simulated payment provider: report the buyer's payment of the project invoice, or of an add-on invoice",
        headers: callerHeaders,
        params,
        body: z.object({
          outcome: z.enum(['succeeded', 'failed']),
          addonId: z.string().min(1).optional().describe('Pay this add-on invoice instead of the project invoice'),
          paymentId: z.string().min(1).optional(),
          method: z.enum(['card', 'bank_transfer']).optional(),
        }),
        response: { 200: commandResult, ...errors },
      },
    },
    async (request) => {
      const { outcome, addonId, ...payment } = request.body;
      const name: CommandName = addonId ? 'addon_payment_succeeded' : outcome === 'succeeded' ? 'project_payment_succeeded' : 'project_payment_failed';
      if (addonId && outcome === 'failed') {
        throw unprocessable('a failed add-on payment has no event in the BIYRO document: the add-on stays invoiced', {}, 'not_supported');
      }
      return options.projects.run(callerOf(request), name, request.params.id, addonId ? { addonId, ...payment } : payment);
    },
  );
};

export default project;
