// `GET /coworking/person/:id`: the person (pessoa) and the commands allowed on it; one
// `POST /coworking/person/:id/<command>` per command of the aggregate (decided in src/domain/person.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const person: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('person'), async (request) => records.state(callerOf(request), 'person', request.params.id));
  app.post('/create-person', commandRoute('create_person'), runCommand(records, 'create_person'));
  app.post('/edit-person', commandRoute('edit_person'), runCommand(records, 'edit_person'));
  app.post('/delete-person', commandRoute('delete_person'), runCommand(records, 'delete_person'));
  app.post('/block-person', commandRoute('block_person'), runCommand(records, 'block_person'));
  app.post('/unblock-person', commandRoute('unblock_person'), runCommand(records, 'unblock_person'));
};

export default person;
