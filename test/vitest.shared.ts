// Shared Vitest settings for every project: source resolution through the
// `@hookline/source` export condition (no build needed to test), and the real
// Kafka/MongoDB-compatible servers for projects that run integration tests.
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const infraSetup = fileURLToPath(new URL('./infra/vitest-global-setup.ts', import.meta.url));

export function hooklineProject(name: string, options: { infra?: boolean } = {}) {
  return defineProject({
    resolve: { conditions: ['@hookline/source', 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@hookline/source', 'node', 'import', 'default'] } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup: options.infra ? [infraSetup] : [],
      testTimeout: 30_000,
      hookTimeout: 180_000,
      // Autoload imports route files itself; inlined, its imports go through
      // Vitest's TypeScript transform like the rest of the source.
      server: { deps: { inline: ['@fastify/autoload'] } },
    },
  });
}
