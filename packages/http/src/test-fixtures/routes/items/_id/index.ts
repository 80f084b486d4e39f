import type { FastifyPluginAsync } from 'fastify';

// Folder `items/_id` becomes the path `/items/:id`.
const item: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { id: string } }>('/', async (request) => ({ id: request.params.id }));
};
export default item;
