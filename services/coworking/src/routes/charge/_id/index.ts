// `GET /coworking/charge/:id`: the charge (cobrança) and the commands allowed on it; one
// `POST /coworking/charge/:id/<command>` per command of the aggregate (decided in src/domain/charge.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const charge: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('charge'), async (request) => records.state(callerOf(request), 'charge', request.params.id));
  app.post('/invoice-charge', commandRoute('invoice_charge'), runCommand(records, 'invoice_charge'));
  app.post('/generate-boleto', commandRoute('generate_boleto'), runCommand(records, 'generate_boleto'));
  app.post('/settle-charge', commandRoute('settle_charge'), runCommand(records, 'settle_charge'));
  app.post('/edit-charge', commandRoute('edit_charge'), runCommand(records, 'edit_charge'));
  app.post('/negotiate-charge', commandRoute('negotiate_charge'), runCommand(records, 'negotiate_charge'));
  app.post('/cancel-charge', commandRoute('cancel_charge'), runCommand(records, 'cancel_charge'));
  app.post('/delete-charge', commandRoute('delete_charge'), runCommand(records, 'delete_charge'));
  app.post('/send-reminder', commandRoute('send_reminder'), runCommand(records, 'send_reminder'));
};

export default charge;
