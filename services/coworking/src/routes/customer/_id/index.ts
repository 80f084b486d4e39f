// `GET /coworking/customer/:id`: the customer (cliente) and the commands allowed on it; one
// `POST /coworking/customer/:id/<command>` per command of the aggregate (decided in src/domain/customer.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const customer: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('customer'), async (request) =>
    records.state(callerOf(request), 'customer', request.params.id),
  );
  app.post('/create-customer', commandRoute('create_customer'), runCommand(records, 'create_customer'));
  app.post('/edit-customer', commandRoute('edit_customer'), runCommand(records, 'edit_customer'));
  app.post('/delete-customer', commandRoute('delete_customer'), runCommand(records, 'delete_customer'));
  app.post('/block-customer', commandRoute('block_customer'), runCommand(records, 'block_customer'));
  app.post('/unblock-customer', commandRoute('unblock_customer'), runCommand(records, 'unblock_customer'));
};

export default customer;
