import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customEventTypeInput } from '../../application/event-types.js';
import { commonErrors, type ApiOptions } from '../../api.js';

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
 * Schemas and examples are kept as JSON text, so any key is fine; the nesting is
 * bounded because they are compiled, validated and written back in answers.
 * Walked without recursion: a 1 MiB body may nest 500,000 deep.
 */
const maxDepth = 32;

function tooDeep(root: unknown): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= maxDepth) return path;
    for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value))
      stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}

const customEventTypeBody = customEventTypeInput.superRefine((input, ctx) => {
  for (const field of ['schema', 'example'] as const) {
    const path = tooDeep(input[field]);
    if (path)
      ctx.addIssue({ code: 'custom', path: [field, ...path], message: `nested more than ${maxDepth} levels deep` });
  }
});

const eventTypes: FastifyPluginAsyncZod<ApiOptions> = async (app, options) => {
  app.get(
    '',
    {
      config: { access: ['tenant', 'admin'] },
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
      config: { access: ['admin'] },
      schema: {
        tags: ['event types'],
        summary: 'Register a custom event type with a JSON Schema (admin)',
        body: customEventTypeBody,
        response: { 201: eventTypeView, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const document = await options.eventTypes.register(request.body, new Date());
      return reply.status(201).send({
        type: document._id,
        domain: document._id.split('.')[0]!,
        description: document.description,
        initiator: 'system',
        sourceName: 'custom',
        custom: true,
        schema: request.body.schema,
        example: request.body.example,
      });
    },
  );
};
export default eventTypes;
