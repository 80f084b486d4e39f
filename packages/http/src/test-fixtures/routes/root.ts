import type { FastifyPluginAsync } from 'fastify';

const root: FastifyPluginAsync<{ greeting: string }> = async (app, options) => {
  app.get('/', async () => ({ greeting: options.greeting }));
};
export default root;
