// `GET /coworking/lead/:id`: the lead (cliente potencial) and the commands allowed on it; one
// `POST /coworking/lead/:id/<command>` per command of the aggregate (decided in src/domain/lead.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const lead: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('lead'), async (request) => records.state(callerOf(request), 'lead', request.params.id));
  app.post('/create-lead', commandRoute('create_lead'), runCommand(records, 'create_lead'));
  app.post('/edit-lead', commandRoute('edit_lead'), runCommand(records, 'edit_lead'));
  app.post('/delete-lead', commandRoute('delete_lead'), runCommand(records, 'delete_lead'));
};

export default lead;
