// `GET /coworking/customer_service/:id`: the customer-service contact (atendimento) and the commands allowed on it; one
// `POST /coworking/customer_service/:id/<command>` per command of the aggregate (decided in src/domain/customer-service.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const customerService: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('customer_service'), async (request) =>
    records.state(callerOf(request), 'customer_service', request.params.id),
  );
  app.post(
    '/create-customer-service',
    commandRoute('create_customer_service'),
    runCommand(records, 'create_customer_service'),
  );
  app.post(
    '/delete-customer-service',
    commandRoute('delete_customer_service'),
    runCommand(records, 'delete_customer_service'),
  );
};

export default customerService;
