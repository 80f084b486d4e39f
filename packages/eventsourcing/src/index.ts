export * from './decider.js';
export * from './event-store.js';
export * from './command-handler.js';
export * from './outbox-relay.js';
export * from './service.js';
export * from './records.js';
