// Holds on a project's files: `GET /scheduler/file-holds`, `PUT /scheduler/file-holds/:projectId`
// `{ reason }` (the clean-up then records files_not_deleted with the reason) and
// `DELETE /scheduler/file-holds/:projectId` (a clean-up that kept the files runs again).
import { actingFor } from '@hookline/auth';
import { notFound } from '@hookline/errors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, tenantHeaders, type SchedulerRouteOptions } from '../../api.js';

const holdView = z.object({ projectId: z.string(), reason: z.string(), since: z.iso.datetime() });
const params = z.object({ projectId: z.string().min(1).max(100) });

const holds: FastifyPluginAsyncZod<SchedulerRouteOptions> = async (app, options) => {
  const fileHolds = options.scheduler.fileHolds;
  app.get(
    '',
    {
      schema: {
        tags: ['scheduler'],
        summary: "The tenant's holds on project files, by project id, a page at a time",
        headers: tenantHeaders,
        querystring: z.object({
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(1000)
            .default(100)
            .describe('Holds per page (1–1000, default 100).'),
          after: z
            .string()
            .min(1)
            .max(100)
            .optional()
            .describe("The previous page's `next`: holds of greater project ids."),
        }),
        response: {
          200: z.object({
            data: z.array(holdView),
            next: z.string().nullable().describe('Pass as `after` for the next page; null on the last.'),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { holds, next } = await fileHolds.list(actingFor(request).tenant, request.query);
      return {
        data: holds.map((hold) => ({
          projectId: hold.projectId,
          reason: hold.reason,
          since: hold.since.toISOString(),
        })),
        next,
      };
    },
  );

  app.put(
    '/:projectId',
    {
      schema: {
        tags: ['scheduler'],
        summary: "Keep a project's files: its clean-up records files_not_deleted with this reason",
        headers: tenantHeaders,
        params,
        body: z.object({
          reason: z.string().trim().min(1).max(200).describe("Why, e.g. 'open_dispute', 'retention_hold'"),
        }),
        response: { 200: holdView, ...errors },
      },
    },
    async (request) => {
      const hold = await fileHolds.put(actingFor(request).tenant, request.params.projectId, request.body.reason);
      return { projectId: hold.projectId, reason: hold.reason, since: hold.since.toISOString() };
    },
  );

  app.delete(
    '/:projectId',
    {
      schema: {
        tags: ['scheduler'],
        summary: 'Lift a hold; a clean-up that kept the files because of it runs again now',
        headers: tenantHeaders,
        params,
        response: { 200: z.object({ cleanupRescheduled: z.boolean() }), ...errors },
      },
    },
    async (request) => {
      const { lifted, cleanupRescheduled } = await fileHolds.lift(actingFor(request).tenant, request.params.projectId);
      if (!lifted) throw notFound(`no hold on project ${request.params.projectId}`);
      if (cleanupRescheduled) options.scheduler.wake();
      return { cleanupRescheduled };
    },
  );
};
export default holds;
