// `GET /coworking/expense/:id`: the expense (despesa) and the commands allowed on it; one
// `POST /coworking/expense/:id/<command>` per command of the aggregate (decided in src/domain/expense.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf, commandRoute, runCommand, stateRoute, type CoworkingOptions } from '../../../api.js';

const expense: FastifyPluginAsyncZod<CoworkingOptions> = async (app, { records }) => {
  app.get('', stateRoute('expense'), async (request) => records.state(callerOf(request), 'expense', request.params.id));
  app.post('/record-expense', commandRoute('record_expense'), runCommand(records, 'record_expense'));
  app.post(
    '/confirm-expense-receipt',
    commandRoute('confirm_expense_receipt'),
    runCommand(records, 'confirm_expense_receipt'),
  );
};

export default expense;
