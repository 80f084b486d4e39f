// Python packages from PyPI, installed by the tests themselves into a cached
// virtual environment per pinned set of requirements: `python3 -m venv` and
// `pip install` into <cache>/<name>/venv (a venv cannot be moved, so it is
// built in place under a lock and marked complete at the end); where venv is
// missing, `pip install --target` instead. Used for schemathesis (test/faults)
// and confluent-kafka (the producer guide's Python examples).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from './infra.js';
import { withDirectoryLock } from './lock.js';

const execFileAsync = promisify(execFile);

export interface Python {
  /** The interpreter to run `-m`/`-c`/a script with. */
  python: string;
  env: NodeJS.ProcessEnv;
}

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    return await execFileAsync(cmd, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string; code?: string };
    if (e.code === 'ENOENT')
      throw new Error(`${cmd} was not found: the tests need Python 3 with pip to install ${args.at(-1)} from PyPI`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`.slice(0, 6000));
  }
}

/** A Python with `requirements` (pinned, e.g. `confluent-kafka==2.16.2`) importable, in `<cache>/<name>/`, installed once. */
export async function ensurePythonPackages(
  name: string,
  requirements: string[],
  log: (line: string) => void,
): Promise<Python> {
  const dir = join(cacheRoot, name);
  const marker = join(dir, '.complete');
  const venvPython = join(dir, 'venv', 'bin', 'python');
  const target = join(dir, 'site');
  const use = (): Python =>
    existsSync(venvPython)
      ? { python: venvPython, env: process.env }
      : { python: 'python3', env: { ...process.env, PYTHONPATH: target } };
  if (existsSync(marker)) return use();
  return withDirectoryLock(`${dir}.lock`, async () => {
    if (existsSync(marker)) return use();
    const t0 = Date.now();
    log(`installing ${requirements.join(' ')} from PyPI into ${dir}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const pipArgs = ['install', '--quiet', '--disable-pip-version-check', '--no-input', ...requirements];
    try {
      await run('python3', ['-m', 'venv', join(dir, 'venv')]);
      await run(venvPython, ['-m', 'pip', ...pipArgs]);
    } catch (error) {
      log(`venv failed (${(error as Error).message.split('\n')[0]}); using pip install --target`);
      await rm(join(dir, 'venv'), { recursive: true, force: true });
      await run('python3', ['-m', 'pip', ...pipArgs, '--target', target]);
    }
    await writeFile(marker, new Date().toISOString());
    log(`${requirements.join(' ')} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return use();
  });
}
