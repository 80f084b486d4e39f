// What the marketplace routes share: their options and the caller — the
// tenant a credential proves, and who acts within it.
import { actingFor, TENANT_KEY_ACTOR } from '@hookline/auth';
import { invalid } from '@hookline/errors';
import { errorResponse } from '@hookline/http';
import type { ServiceContext } from '@hookline/runtime';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, Projects } from './application/projects.js';
import { commandBodies, commandRoles, type CommandName } from './domain/index.js';

export interface MarketplaceOptions {
  context: ServiceContext;
  projects: Projects;
}

/** Only the service credential names the tenant and the user; a tenant API key acts as its marketplace's system. */
export const callerHeaders = z.object({
  'hookline-tenant': z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "The marketplace (Hookline tenant) whose connections receive the events: required with the service credential; with a tenant API key, the key's own tenant if sent.",
    ),
  'hookline-actor-role': z
    .enum(['seller', 'buyer', 'system'])
    .optional()
    .describe(
      'Service credential only, and then required: the seller (izpildītājs), the buyer (pasūtītājs) or the platform (sistēma: timers).',
    ),
  'hookline-actor-id': z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("Service credential only: the seller's or buyer's user id (default system)."),
  traceparent: z.string().max(512).optional().describe('W3C trace context, carried to the events and the webhooks.'),
});

export function callerOf(request: FastifyRequest): Caller {
  const headers = callerHeaders.parse(request.headers);
  const acting = actingFor(request);
  const trace = headers.traceparent ? { traceparent: headers.traceparent } : {};
  if (!acting.byService) return { tenant: acting.tenant, role: 'system', id: TENANT_KEY_ACTOR, ...trace };
  const role = headers['hookline-actor-role'];
  if (!role) {
    throw invalid(
      'the service credential names who acts in hookline-actor-role',
      {
        issues: [
          { path: 'headers.hookline-actor-role', rule: 'required', message: 'required with the service credential' },
        ],
      },
      'bad_request',
    );
  }
  return { tenant: acting.tenant, role, id: headers['hookline-actor-id'] ?? 'system', ...trace };
}

export const errors = {
  400: errorResponse,
  401: errorResponse.describe('No credential, or an unknown one'),
  403: errorResponse.describe('The wrong credential or tenant, or the wrong party for this command'),
  404: errorResponse,
  409: errorResponse.describe('Not allowed in the current state: `state` and the `allowed` commands'),
  422: errorResponse.describe('A plan limit reached: `limit`, `max`, `current`, `plan`'),
};

export const commandResult = z.object({
  projectId: z.string(),
  status: z.string(),
  events: z
    .array(z.object({ type: z.string(), data: z.unknown() }))
    .describe('The events this command appended (empty when a timer found nothing to do)'),
  allowed: z.array(z.string()).describe('Commands the caller may send next'),
});

export const projectParams = z.object({ id: z.string().min(1).max(100) });

/**
 * The schema of `POST /marketplace/projects/:id/<command>`: the command's body, its roles in the summary;
 * the timers' commands (system only) under the `timers` tag.
 */
export function commandRoute(name: Exclude<CommandName, 'create_draft'>) {
  const roles = commandRoles[name];
  const body = commandBodies[name];
  return {
    schema: {
      tags: roles.includes('system') && roles.length === 1 ? ['timers'] : ['projects'],
      summary: `${body.description ?? name} (${roles.join(' or ')})`,
      headers: callerHeaders,
      params: projectParams,
      body,
      response: { 200: commandResult, ...errors },
    },
  };
}

/** The handler of a project command: the caller's command, with the body the route's schema validated. */
export function runCommand(projects: Projects, name: CommandName) {
  return async (request: FastifyRequest) =>
    projects.run(callerOf(request), name, (request.params as { id: string }).id, request.body as object);
}
