// One route per Conexa command: `POST /coworking/<aggregate>/:id/<command>`
// (e.g. /coworking/charge/55120/settle-charge), its body the command's zod
// schema without what the service fills in (type, clock, the id from the
// path). `GET /coworking/<aggregate>/:id`: the record and the commands allowed.
import { errorResponse } from '@hookline/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerHeaders, callerOf, type CoworkingOptions } from '../api.js';
import { idFields, type CommandName } from '../application/records.js';
import { coworkingAggregates, coworkingCommands, type CoworkingAggregate } from '../domain/index.js';

const params = z.object({ id: z.coerce.number().int().positive() });
const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse.describe('Not allowed in the current state: `state` and `allowed`') };
const result = z.object({ aggregate: z.string(), id: z.number(), events: z.array(z.object({ type: z.string(), data: z.unknown() })) });

const commandRoutes: FastifyPluginAsyncZod<CoworkingOptions> = async (app, options) => {
  for (const aggregate of coworkingAggregates as readonly CoworkingAggregate[]) {
    app.get(
      `/${aggregate}/:id`,
      { schema: { tags: [aggregate], summary: `A ${aggregate} and the commands allowed on it`, headers: callerHeaders, params, response: { 200: z.object({ state: z.unknown(), allowed: z.array(z.string()) }), ...errors } } },
      async (request) => options.records.state(callerOf(request), aggregate, request.params.id),
    );
  }
  for (const [name, definition] of Object.entries(coworkingCommands) as [CommandName, (typeof coworkingCommands)[CommandName]][]) {
    const shape: Record<string, z.ZodType> = { ...(definition.schema as unknown as z.ZodObject).shape };
    delete shape.type;
    delete shape.now;
    delete shape[idFields[definition.aggregate as CoworkingAggregate]];
    if (shape.customerBlocked) shape.customerBlocked = (shape.customerBlocked as z.ZodBoolean).optional().describe('Omitted: read from the customer.');
    app.post(
      `/${definition.aggregate}/:id/${name.replaceAll('_', '-')}`,
      {
        schema: {
          tags: [definition.aggregate],
          summary: definition.body.description ?? name,
          headers: callerHeaders,
          params,
          body: z.strictObject(shape),
          response: { 200: result, ...errors },
        },
      },
      async (request) => options.records.run(callerOf(request), name, request.params.id, request.body as Record<string, unknown>),
    );
  }
};
export default commandRoutes;
