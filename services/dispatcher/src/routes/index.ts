import type { FastifyPluginAsync } from 'fastify';
import { description } from '../index.js';

/** `GET /dispatcher`: what this service is (its own routes are added beside this file). */
export const serviceRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async () => ({ service: 'dispatcher', description }));
};
