// The accounting domain: pure deciders of the three Robolabs records, their commands and amounts.
export * from './amounts.js';
export * from './commands.js';
export * from './invoice.js';
export * from './partner.js';
export * from './product.js';
export {
  allowedRecordCommands,
  recordStream,
  type CreatedData,
  type DeletedData,
  type RecordEvent,
  type RecordState,
  type UpdatedData,
} from './record.js';
