/**
 * The 30 Conexa (coworking billing / CRM) webhook events, from the Portuguese document
 * `/work/shared/seeds/002_073cc3f9a9f3ec7b.txt`, in the document's order.
 */
import { bookingEvents, recurringBookingEvents } from './bookings.js';
import { chargeEvents } from './charges.js';
import { correspondenceEvents } from './correspondence.js';
import { customerServiceEvents } from './customer-service.js';
import { customerEvents } from './customers.js';
import { expenseEvents } from './expenses.js';
import { leadEvents } from './leads.js';
import { personEvents } from './persons.js';

export const coworkingEvents = [
  ...chargeEvents,
  ...expenseEvents,
  ...customerEvents,
  ...bookingEvents,
  ...personEvents,
  ...recurringBookingEvents,
  ...customerServiceEvents,
  ...correspondenceEvents,
  ...leadEvents,
] as const;

export { coworkingDeviations, type CoworkingDeviation } from './deviations.js';

// Shared sub-schemas (nested objects) and primitives.
export * from './objects.js';
export { cnpj, conexaDateTime, cpf, gmtOffset, timeOfDay, weekDay } from './primitives.js';

// Enums, payload schemas and event definitions, by subject.
export {
  chargeType,
  generatedChargeStatus,
  chargeReminderRule,
  chargeGeneratedData,
  chargeSettledData,
  chargeReminderData,
  chargeStatusChangedData,
  chargeGenerated,
  chargeSettled,
  chargeReminder,
  chargeStatusChanged,
} from './charges.js';
export { expenseStatus, expenseReceiptConfirmedData, expenseReceiptConfirmed } from './expenses.js';
export {
  customerCreatedData,
  customerEditedData,
  customerSummaryData,
  customerCreated,
  customerEdited,
  customerDeleted,
  customerBlocked,
  customerUnblocked,
} from './customers.js';
export {
  bookingType,
  recurringBookingRepeatType,
  bookingCreatedData,
  bookingCancelledData,
  recurringBookingCreatedData,
  bookingCreated,
  bookingCancelled,
  recurringBookingCreated,
} from './bookings.js';
export {
  maritalStatus,
  personCreatedData,
  personEditedData,
  personSummaryData,
  personCreated,
  personEdited,
  personDeleted,
  personBlocked,
  personUnblocked,
} from './persons.js';
export {
  customerServiceType,
  customerServiceCreatedData,
  customerServiceDeletedData,
  customerServiceCreated,
  customerServiceCreatedBlockedCustomer,
  customerServiceDeleted,
} from './customer-service.js';
export {
  correspondenceShippingMethod,
  correspondenceCreatedData,
  correspondenceDeletedData,
  correspondenceDeliveredInPersonData,
  correspondenceSentByEmailData,
  correspondenceForwardedToAddressData,
  correspondenceCreated,
  correspondenceCreatedBlockedCustomer,
  correspondenceDeleted,
  correspondenceDeliveredInPerson,
  correspondenceSentByEmail,
  correspondenceForwardedToAddress,
} from './correspondence.js';
export { leadStatus, leadData, leadDeletedData, leadCreated, leadEdited, leadDeleted } from './leads.js';
