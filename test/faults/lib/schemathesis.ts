// Schemathesis (PyPI), installed by the tests themselves into a cached virtual
// environment (a pinned version), and run as a child process.
import { spawn } from 'node:child_process';
import { ensurePythonPackages, type Python } from '../../infra/python.js';

export const SCHEMATHESIS_VERSION = '4.32.5';
export type { Python };

/** schemathesis==<pinned> in a cached virtual environment (test/infra/python.ts), installed once. */
export function ensureSchemathesis(log: (line: string) => void): Promise<Python> {
  return ensurePythonPackages(`schemathesis-${SCHEMATHESIS_VERSION}`, [`schemathesis==${SCHEMATHESIS_VERSION}`], log);
}

/**
 * Runs the schemathesis CLI in `cwd` (where it keeps its `.schemathesis` cache);
 * resolves with its exit code and output (stdout and stderr together).
 */
export function runSchemathesis(
  python: Python,
  args: string[],
  timeoutMs: number,
  cwd: string,
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(
      python.python,
      [
        '-c',
        'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "schemathesis"; sys.exit(schemathesis())',
        ...args,
      ],
      {
        cwd,
        env: { ...python.env, NO_COLOR: '1', PYTHONIOENCODING: 'utf-8', COLUMNS: '120' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), timedOut });
    });
  });
}
