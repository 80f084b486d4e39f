// Every project's tests in one run (each project has its own vitest.config.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'services/*/vitest.config.ts',
      'test/vitest.config.ts',
      'test/faults/vitest.config.ts',
    ],
  },
});
