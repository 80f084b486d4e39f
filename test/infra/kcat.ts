// Provisions kcat (librdkafka's command-line client), as a producing team
// would use it, for the test that runs docs/producers.md's commands: Debian's
// kcat and librdkafka1 are unpacked into the user's cache without root
// (debian.ts), and a `kcat` wrapper that sets LD_LIBRARY_PATH is written beside
// them, so the doc's commands run unchanged with that directory first on PATH.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDebianProgram, type DebianInstall, type Log } from './debian.js';

const defaultLog: Log = (line) => process.stderr.write(`[kcat] ${line}\n`);

export interface Kcat extends DebianInstall {
  /** A directory holding a `kcat` that runs this one: put it first on PATH. */
  binDir: string;
}

const kcatPackage = {
  package: 'kcat',
  name: 'kcat',
  binary: join('usr', 'bin', 'kcat'),
  // Installed by the system already: use that one.
  whenInstalled: (): DebianInstall => {
    if (existsSync('/usr/bin/kcat')) return { version: 'system', executablePath: '/usr/bin/kcat', libraryPath: [] };
    throw new Error('apt-get would not install kcat, yet /usr/bin/kcat is missing: set HOOKLINE_KCAT to a kcat executable');
  },
  neededBy: 'The producer guide tests (docs/producers.md)',
  overrideVariable: 'HOOKLINE_KCAT',
};

/** A `kcat` script in `dir` that runs `install`'s executable with its libraries (renamed into place: a parallel run may be executing it). */
async function writeWrapper(install: DebianInstall, dir: string): Promise<string> {
  const path = join(dir, 'kcat');
  const libraries = install.libraryPath.join(':');
  const script = libraries
    ? `#!/bin/sh\nLD_LIBRARY_PATH='${libraries}'\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} exec '${install.executablePath}' "$@"\n`
    : `#!/bin/sh\nexec '${install.executablePath}' "$@"\n`;
  if ((await readFile(path, 'utf8').catch(() => '')) === script) return dir;
  await mkdir(dir, { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  await writeFile(partial, script);
  await chmod(partial, 0o755);
  await rename(partial, path);
  return dir;
}

/**
 * Makes sure kcat is available and says where. `HOOKLINE_KCAT` names an
 * executable to use instead; otherwise Debian's kcat is unpacked into
 * `~/.cache/hookline/kcat-<version>/` (once). Fails with a message naming the
 * cause when apt cannot provide it: the tests that need it must not pass without it.
 */
export async function ensureKcat(log: Log = defaultLog): Promise<Kcat> {
  const given = process.env.HOOKLINE_KCAT;
  if (given) {
    if (!existsSync(given)) throw new Error(`HOOKLINE_KCAT=${given}: no such file`);
    return { version: 'given', executablePath: given, libraryPath: [], binDir: dirname(given) };
  }
  const install = await ensureDebianProgram(kcatPackage, log);
  if (install.version === 'system') return { ...install, binDir: '/usr/bin' };
  // The wrapper lives beside the unpacked root: <cache>/kcat-<version>/bin/kcat.
  const binDir = join(dirname(dirname(dirname(dirname(install.executablePath)))), 'bin');
  return { ...install, binDir: await writeWrapper(install, binDir) };
}

// `npx tsx test/infra/kcat.ts`: provisions kcat and prints where it is.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = Date.now();
  const kcat = await ensureKcat();
  process.stdout.write(`${JSON.stringify({ ...kcat, seconds: (Date.now() - t0) / 1000 }, null, 2)}\n`);
}
