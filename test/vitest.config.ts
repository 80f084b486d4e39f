import { defineProject, mergeConfig } from 'vitest/config';
import { hooklineProject } from './vitest.shared.ts';

export default mergeConfig(
  hooklineProject('system-tests', { infra: true }),
  defineProject({ test: { include: ['integration/**/*.test.ts'] } }),
);
