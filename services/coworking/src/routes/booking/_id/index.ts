// `GET /coworking/booking/:id`: the booking (reserva) and the commands allowed on it; one
// `POST /coworking/booking/:id/<command>` per command of the aggregate (decided in src/domain/booking.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const booking: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('booking'), async (request) => records.state(callerOf(request), 'booking', request.params.id));
  app.post('/create-booking', commandRoute('create_booking'), runCommand(records, 'create_booking'));
  app.post('/cancel-booking', commandRoute('cancel_booking'), runCommand(records, 'cancel_booking'));
};

export default booking;
