export * from './tracing.js';
export * from './sdk.js';
export * from './metrics.js';
