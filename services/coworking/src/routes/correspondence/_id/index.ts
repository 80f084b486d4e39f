// `GET /coworking/correspondence/:id`: the correspondence (correspondência) and the commands allowed on it; one
// `POST /coworking/correspondence/:id/<command>` per command of the aggregate (decided in src/domain/correspondence.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const correspondence: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('correspondence'), async (request) =>
    records.state(callerOf(request), 'correspondence', request.params.id),
  );
  app.post(
    '/create-correspondence',
    commandRoute('create_correspondence'),
    runCommand(records, 'create_correspondence'),
  );
  app.post(
    '/delete-correspondence',
    commandRoute('delete_correspondence'),
    runCommand(records, 'delete_correspondence'),
  );
  app.post(
    '/deliver-correspondence-in-person',
    commandRoute('deliver_correspondence_in_person'),
    runCommand(records, 'deliver_correspondence_in_person'),
  );
  app.post(
    '/send-correspondence-by-email',
    commandRoute('send_correspondence_by_email'),
    runCommand(records, 'send_correspondence_by_email'),
  );
  app.post(
    '/forward-correspondence-to-address',
    commandRoute('forward_correspondence_to_address'),
    runCommand(records, 'forward_correspondence_to_address'),
  );
};

export default correspondence;
