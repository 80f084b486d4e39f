// `GET /coworking/recurring_booking/:id`: the recurring booking (reserva recorrente) and the commands allowed on it; one
// `POST /coworking/recurring_booking/:id/<command>` per command of the aggregate (decided in src/domain/booking.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const recurringBooking: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('recurring_booking'), async (request) =>
    records.state(callerOf(request), 'recurring_booking', request.params.id),
  );
  app.post(
    '/create-recurring-booking',
    commandRoute('create_recurring_booking'),
    runCommand(records, 'create_recurring_booking'),
  );
};

export default recurringBooking;
