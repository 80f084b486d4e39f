// Schemathesis (PyPI), installed by the tests themselves into a cached virtual
// environment (a pinned version), and run as a child process.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from '../../infra/infra.js';
import { withDirectoryLock } from '../../infra/lock.js';

const execFileAsync = promisify(execFile);
export const SCHEMATHESIS_VERSION = '4.32.5';

export interface Python {
  /** The interpreter to run `-m`/`-c` with. */
  python: string;
  env: NodeJS.ProcessEnv;
}

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    return await execFileAsync(cmd, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`.slice(0, 6000));
  }
}

/**
 * `python3 -m venv` + `pip install schemathesis==<pinned>` into
 * <cache>/schemathesis-<version> (a venv cannot be moved, so it is built in
 * place under a lock and marked complete at the end); where venv is missing,
 * `pip install --target` instead.
 */
export async function ensureSchemathesis(log: (line: string) => void): Promise<Python> {
  const dir = join(cacheRoot, `schemathesis-${SCHEMATHESIS_VERSION}`);
  const marker = join(dir, '.complete');
  const venvPython = join(dir, 'venv', 'bin', 'python');
  const target = join(dir, 'site');
  const use = (): Python =>
    existsSync(venvPython) ? { python: venvPython, env: process.env } : { python: 'python3', env: { ...process.env, PYTHONPATH: target } };
  if (existsSync(marker)) return use();
  return withDirectoryLock(`${dir}.lock`, async () => {
    if (existsSync(marker)) return use();
    const t0 = Date.now();
    log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${dir}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const pipArgs = ['install', '--quiet', '--disable-pip-version-check', '--no-input', `schemathesis==${SCHEMATHESIS_VERSION}`];
    try {
      await run('python3', ['-m', 'venv', join(dir, 'venv')]);
      await run(venvPython, ['-m', 'pip', ...pipArgs]);
    } catch (error) {
      log(`venv failed (${(error as Error).message.split('\n')[0]}); using pip install --target`);
      await rm(join(dir, 'venv'), { recursive: true, force: true });
      await run('python3', ['-m', 'pip', ...pipArgs, '--target', target]);
    }
    await writeFile(marker, new Date().toISOString());
    log(`schemathesis ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return use();
  });
}

/**
 * Runs the schemathesis CLI in `cwd` (where it keeps its `.schemathesis` cache);
 * resolves with its exit code and output (stdout and stderr together).
 */
export function runSchemathesis(python: Python, args: string[], timeoutMs: number, cwd: string): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(python.python, ['-c', 'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "schemathesis"; sys.exit(schemathesis())', ...args], {
      cwd,
      env: { ...python.env, NO_COLOR: '1', PYTHONIOENCODING: 'utf-8', COLUMNS: '120' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
