// The fault and bad-input suites (issue 12). faults.test.ts runs a Kafka broker
// and a FerretDB server of its own, which it kills and restarts; the other files
// use the shared servers of the run (started by the global setup) and never
// stop them.
import { defineProject, mergeConfig } from 'vitest/config';
import { hooklineProject } from '../vitest.shared.ts';

export default mergeConfig(
  hooklineProject('faults', { infra: true }),
  defineProject({ test: { include: ['*.test.ts'], testTimeout: 240_000 } }),
);
