#!/usr/bin/env node
// `npm test`: provisions the real Kafka and MongoDB-compatible servers (unless
// KAFKA_BROKERS / MONGODB_URI name existing ones), runs every project's tests in
// one Vitest run, stops what it started, and ends with `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportDir = join(root, 'test', 'reports');
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, 'vitest.json');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const vitest = join(root, 'node_modules', '.bin', 'vitest');

const phase = (name, fn) => {
  const t0 = Date.now();
  const result = fn();
  process.stderr.write(`[test] ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return result;
};

const env = { ...process.env };
let started = false;
if (!env.KAFKA_BROKERS || !env.MONGODB_URI) {
  const start = phase('start test servers', () =>
    spawnSync(tsx, ['test/infra/cli.ts', 'start'], {
      cwd: root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  if (start.status !== 0) {
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  }
  for (const match of start.stdout.matchAll(/^export (\w+)=(.*)$/gm)) env[match[1]] ??= match[2];
  started = true;
}

const run = phase('vitest (every project)', () =>
  spawnSync(
    vitest,
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
    {
      cwd: root,
      env,
      stdio: 'inherit',
    },
  ),
);

if (started && env.HOOKLINE_KEEP_INFRA !== '1') {
  phase('stop test servers', () => spawnSync(tsx, ['test/infra/cli.ts', 'stop'], { cwd: root, env, stdio: 'inherit' }));
}

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed =
    results.numFailedTests +
    (results.numTotalTestSuites > 0 && results.success === false && results.numFailedTests === 0 ? 1 : 0);
  const skipped = results.numPendingTests + results.numTodoTests;
  if (skipped > 0) process.stderr.write(`[test] ${skipped} tests were skipped or todo\n`);
} catch {
  failed = 1;
}
if (run.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
