import type { FastifyPluginAsync } from 'fastify';
import { about } from '../about.js';

/** `GET /accounting`: what this service is. Further routes are files and folders beside this one. */
const root: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { access: 'public' } }, async () => about);
};
export default root;
