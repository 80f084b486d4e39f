// The Conexa (coworking billing / CRM) domain: pure deciders of its nine aggregates, their commands
// (zod schemas of the REST bodies and of whole commands) and the events they emit: the 30 catalog
// events (published) and a few internal ones (stored with the stream, never published; see shared.ts).
export * from './shared.js';
export * from './commands/index.js';
export * from './charge.js';
export * from './expense.js';
export * from './customer.js';
export * from './person.js';
export * from './booking.js';
export * from './customer-service.js';
export * from './correspondence.js';
export * from './lead.js';
export { coworkingDeciders, type CoworkingDeciders } from './deciders.js';
