export * from './timers.js';
export * from './marketplace.js';
export * from './coworking.js';
export * from './firing.js';
