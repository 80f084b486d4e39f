// `GET /scheduler/timers`: the timers for operators, by status, kind, tenant or
// stream; `GET /scheduler/timers/:id`; `POST /scheduler/timers/:id/retry` sends a
// failed or skipped timer again. Every tenant's timers: the admin key only.
import { illegal, notFound } from '@hookline/errors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, timerView, timerViewSchema, type SchedulerRouteOptions } from '../../api.js';
import { timerKinds, timerStatuses } from '../../domain/index.js';
import { errorResponse } from '@hookline/http';

const idParams = z.object({ id: z.string().min(1).max(500).describe('The timer key (URL-encoded)') });

const operators = { access: ['admin'] } as const;

const timers: FastifyPluginAsyncZod<SchedulerRouteOptions> = async (app, options) => {
  const book = options.scheduler.timers;
  app.get(
    '',
    {
      config: operators,
      schema: {
        tags: ['scheduler'],
        summary:
          'Timers, soonest first: filter by status (pending, fired, skipped, cancelled, failed), kind, tenant or stream',
        querystring: z.object({
          status: z.enum(timerStatuses).optional(),
          kind: z.enum(timerKinds).optional(),
          tenant: z.string().min(1).optional(),
          subject: z.string().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ data: z.array(timerViewSchema) }), ...errors },
      },
    },
    async (request) => ({ data: (await book.list(request.query)).map(timerView) }),
  );

  app.get(
    '/:id',
    {
      config: operators,
      schema: {
        tags: ['scheduler'],
        summary: 'One timer',
        params: idParams,
        response: { 200: timerViewSchema, ...errors },
      },
    },
    async (request) => {
      const timer = await book.get(request.params.id);
      if (!timer) throw notFound(`no timer ${request.params.id}`);
      return timerView(timer);
    },
  );

  app.post(
    '/:id/retry',
    {
      config: operators,
      schema: {
        tags: ['scheduler'],
        summary: 'Send a failed or skipped timer to its owning service again, now',
        params: idParams,
        response: { 200: timerViewSchema, ...errors, 409: errorResponse },
      },
    },
    async (request) => {
      const retried = await book.again(request.params.id, ['failed', 'skipped']);
      if (retried) {
        options.scheduler.wake();
        return timerView(retried);
      }
      const timer = await book.get(request.params.id);
      if (!timer) throw notFound(`no timer ${request.params.id}`);
      throw illegal(`the timer is ${timer.status}: only failed or skipped timers are retried`, {}, 'not_retryable');
    },
  );
};
export default timers;
