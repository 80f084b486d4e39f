// @hookline/events: the catalog of every event Hookline publishes, its CloudEvents
// envelope on Kafka, and the producer library other teams use.
export * from './define.js';
export * from './common.js';
export * from './time-zone.js';
export * from './catalog.js';
export * from './envelope.js';
export * from './subject.js';
export * from './dead-letter.js';
export * from './marketplace/index.js';
export * from './accounting/index.js';
export * from './coworking/index.js';
export * from './producer.js';
