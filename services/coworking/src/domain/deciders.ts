// Every Conexa decider by aggregate, with its command schema and the helper listing the commands a state allows.
import {
  allowedBookingCommands,
  allowedRecurringBookingCommands,
  bookingDecider,
  recurringBookingDecider,
} from './booking.js';
import { allowedChargeCommands, chargeDecider } from './charge.js';
import {
  bookingCommand,
  chargeCommand,
  correspondenceCommand,
  customerCommand,
  customerServiceCommand,
  expenseCommand,
  leadCommand,
  personCommand,
  recurringBookingCommand,
} from './commands/index.js';
import { allowedCorrespondenceCommands, correspondenceDecider } from './correspondence.js';
import { allowedCustomerServiceCommands, customerServiceDecider } from './customer-service.js';
import { allowedCustomerCommands, customerDecider } from './customer.js';
import { allowedExpenseCommands, expenseDecider } from './expense.js';
import { allowedLeadCommands, leadDecider } from './lead.js';
import { allowedPersonCommands, personDecider } from './person.js';
import type { CoworkingAggregate } from './shared.js';

export const coworkingDeciders = {
  charge: { decider: chargeDecider, command: chargeCommand, allowed: allowedChargeCommands },
  expense: { decider: expenseDecider, command: expenseCommand, allowed: allowedExpenseCommands },
  customer: { decider: customerDecider, command: customerCommand, allowed: allowedCustomerCommands },
  person: { decider: personDecider, command: personCommand, allowed: allowedPersonCommands },
  booking: { decider: bookingDecider, command: bookingCommand, allowed: allowedBookingCommands },
  recurring_booking: {
    decider: recurringBookingDecider,
    command: recurringBookingCommand,
    allowed: allowedRecurringBookingCommands,
  },
  customer_service: {
    decider: customerServiceDecider,
    command: customerServiceCommand,
    allowed: allowedCustomerServiceCommands,
  },
  correspondence: {
    decider: correspondenceDecider,
    command: correspondenceCommand,
    allowed: allowedCorrespondenceCommands,
  },
  lead: { decider: leadDecider, command: leadCommand, allowed: allowedLeadCommands },
} as const satisfies Record<CoworkingAggregate, unknown>;
export type CoworkingDeciders = typeof coworkingDeciders;
