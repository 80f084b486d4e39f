// @hookline/eventsourcing/testing: the given/when/then decider specification
// every domain test uses, with the catalog's checks and examples.
export * from './decider-specification.js';
