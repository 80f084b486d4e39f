import type { FastifyPluginAsync } from 'fastify';
import { about } from '../about.js';

/** `GET /v1`: what this API is. Public. */
const root: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async () => about);
};
export default root;
