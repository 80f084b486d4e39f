// `GET /v1/metrics` (admin key): the dispatcher's counters in Prometheus text
// format, for a scraper configured with the admin key as bearer token.
import type { FastifyPluginAsync } from 'fastify';
import { requireAdmin, type ApiOptions } from '../../api.js';

const help: Record<string, string> = {
  eventsConsumed: 'Events read from the consumed topics',
  eventsDeadLettered: 'Messages sent to the dead-letter topic',
  eventsUnmatched: 'Events no connection subscribed to',
  deliveriesCreated: 'Deliveries created (one per event and connection)',
  attempts: 'HTTP requests made to receivers',
  attemptsFailed: 'Requests that failed (non-2xx, timeout, connection error)',
  deliveriesSucceeded: 'Deliveries that ended succeeded',
  deliveriesFailed: 'Deliveries that ended failed (retries exhausted, 410)',
  connectionsBlocked: 'Connections this instance blocked',
};

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const metrics: FastifyPluginAsync<ApiOptions> = async (app, options) => {
  app.get('', { schema: { hide: true } }, async (request, reply) => {
    requireAdmin(request);
    const lines: string[] = [];
    for (const [name, value] of Object.entries(options.dispatcher.metrics)) {
      const metric = `hookline_dispatcher_${snake(name)}_total`;
      lines.push(`# HELP ${metric} ${help[name] ?? name}`, `# TYPE ${metric} counter`, `${metric} ${value}`);
    }
    lines.push('# HELP hookline_dispatcher_owned_shards Lease shards this instance sends for', '# TYPE hookline_dispatcher_owned_shards gauge', `hookline_dispatcher_owned_shards ${options.dispatcher.ownedShards().length}`);
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
};
export default metrics;
