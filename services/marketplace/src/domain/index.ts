// The BIYRO project aggregate: commands (zod schemas for the REST bodies), seller plans, and the decider.
export * from './commands.js';
export * from './plans.js';
export * from './project/index.js';
