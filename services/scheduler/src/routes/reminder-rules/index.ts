// The tenant's charge reminder rules (Regras de Aviso): `GET /scheduler/reminder-rules`,
// `PUT /scheduler/reminder-rules/:id`, `DELETE /scheduler/reminder-rules/:id`.
// Setting a rule schedules its reminders for the open charges; deleting one
// cancels its pending reminders.
import { actingFor } from '@hookline/auth';
import { notFound } from '@hookline/errors';
import { errorResponse } from '@hookline/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  errors,
  ruleInputSchema,
  ruleParams,
  ruleViewSchema,
  tenantHeaders,
  type SchedulerRouteOptions,
} from '../../api.js';

const rules: FastifyPluginAsyncZod<SchedulerRouteOptions> = async (app, options) => {
  const reminders = options.scheduler.reminders;
  app.get(
    '',
    {
      schema: {
        tags: ['scheduler'],
        summary: "The tenant's charge reminder rules",
        headers: tenantHeaders,
        response: { 200: z.object({ data: z.array(ruleViewSchema) }), ...errors },
      },
    },
    async (request) => ({ data: await reminders.rules(actingFor(request).tenant) }),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags: ['scheduler'],
        summary: 'Create or change a charge reminder rule; the reminders of open charges follow it',
        headers: tenantHeaders,
        params: ruleParams,
        body: ruleInputSchema,
        response: {
          200: ruleViewSchema,
          ...errors,
          422: errorResponse.describe(
            'The tenant has as many rules as it may (SCHEDULER_MAX_REMINDER_RULES): `limit`, `max`, `current`',
          ),
        },
      },
    },
    async (request) => reminders.putRule(actingFor(request).tenant, request.params.id, request.body),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags: ['scheduler'],
        summary: 'Delete a charge reminder rule; its pending reminders are cancelled',
        headers: tenantHeaders,
        params: ruleParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      if (!(await reminders.deleteRule(actingFor(request).tenant, request.params.id))) {
        throw notFound(`no reminder rule ${request.params.id}`);
      }
      return reply.status(204).send(null);
    },
  );
};
export default rules;
