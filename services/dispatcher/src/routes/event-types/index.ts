import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customEventTypeInput } from '../../application/event-types.js';
import { commonErrors, requireAdmin, type ApiOptions } from '../../api.js';

const eventTypeView = z.object({
  type: z.string(),
  domain: z.string(),
  description: z.string(),
  initiator: z.string(),
  sourceName: z.string(),
  custom: z.boolean(),
  schema: z.unknown().describe('JSON Schema of the data'),
  example: z.unknown(),
});

/**
 * The schema and the example are stored as documents: what the store cannot
 * keep must be a 400 naming the place, not a 500 from the insert. MongoDB nests
 * documents at most 100 levels deep (FerretDB's SQLite JSON fails far deeper);
 * FerretDB refuses keys that start with `$` or contain `.`, and no server takes
 * a NUL in a key. Walked without recursion: a 1 MiB body may nest 500,000 deep.
 */
const maxStoredDepth = 32;

function unstorable(root: unknown): { path: (string | number)[]; message: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= maxStoredDepth) return { path, message: `nested more than ${maxStoredDepth} levels deep` };
    for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
      if (typeof key === 'string' && (key.startsWith('$') || key.includes('.') || key.includes('\u0000'))) {
        return { path: [...path, key], message: 'keys cannot start with $ nor contain . or NUL (not supported by the store yet)' };
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}

const customEventTypeBody = customEventTypeInput.superRefine((input, ctx) => {
  for (const field of ['schema', 'example'] as const) {
    const problem = unstorable(input[field]);
    if (problem) ctx.addIssue({ code: 'custom', path: [field, ...problem.path], message: problem.message });
  }
});

const eventTypes: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  app.get(
    '',
    {
      schema: {
        tags: ['event types'],
        summary: 'The event catalog, with custom types: schemas and examples',
        querystring: z.object({ domain: z.string().optional(), search: z.string().max(100).optional() }),
        response: { 200: z.object({ data: z.array(eventTypeView) }), ...commonErrors },
      },
    },
    async (request) => {
      const search = request.query.search?.toLowerCase();
      const data = options.eventTypes
        .list()
        .filter((type) => !request.query.domain || type.domain === request.query.domain)
        .filter((type) => !search || type.type.includes(search) || type.description.toLowerCase().includes(search));
      return { data };
    },
  );

  app.post(
    '',
    {
      schema: {
        tags: ['event types'],
        summary: 'Register a custom event type with a JSON Schema (admin)',
        body: customEventTypeBody,
        response: { 201: eventTypeView, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      requireAdmin(request);
      const document = await options.eventTypes.register(request.body, new Date());
      return reply.status(201).send({
        type: document._id,
        domain: document._id.split('.')[0]!,
        description: document.description,
        initiator: 'system',
        sourceName: 'custom',
        custom: true,
        schema: document.schema,
        example: document.example,
      });
    },
  );
};
export default eventTypes;
