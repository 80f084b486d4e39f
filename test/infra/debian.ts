// A Debian package and what it needs, unpacked into the user's cache without
// root: `apt-get -s install` (a simulation) lists the packages this machine
// lacks, as apt itself resolves them; `apt-get download` fetches exactly those
// versions; `dpkg-deb -x` unpacks them; `ldd` checks the program finds every
// library with LD_LIBRARY_PATH set to the unpacked ones; a manifest marks the
// install complete. Used for the console tests' Chromium (browser.ts) and the
// producer guide's kcat (kcat.ts) and jq; `ensureDebianCommand` adds a wrapper
// script setting LD_LIBRARY_PATH, so a documented command runs unchanged. A
// second run reads the manifest and calls no apt.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from './infra.js';
import { withDirectoryLock } from './lock.js';

const execFileAsync = promisify(execFile);

export type Log = (line: string) => void;

export interface DebianInstall {
  version: string;
  executablePath: string;
  /** Directories of the unpacked shared libraries, for LD_LIBRARY_PATH (empty when the system's program is used). */
  libraryPath: string[];
}

interface Manifest extends DebianInstall {
  packages: string[];
  installedAt: string;
}

export interface DebianProgram {
  /** The package apt installs, e.g. `kcat`. */
  package: string;
  /** The cache directory is `<name>-<version>`, the lock `<name>.lock`. */
  name: string;
  /** The executable, relative to the unpacked root (`usr/bin/kcat`). */
  binary: string;
  /** Unpacked directories (relative to the root) left off LD_LIBRARY_PATH: the program's private libraries. */
  privateLibraryDirs?: string[];
  /** When apt would not install the package because it is installed already: what to do (a path to use, or an error). */
  whenInstalled: () => DebianInstall;
  /** Who needs it, for error messages, e.g. "The console's browser tests". */
  neededBy: string;
  /** The environment variable naming another executable instead, for error messages. */
  overrideVariable: string;
}

async function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  try {
    return await execFileAsync(cmd, args, { ...options, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string; code?: string };
    if (e.code === 'ENOENT') throw new Error(`${cmd} was not found`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`.slice(0, 6000));
  }
}

async function onPath(cmd: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, cmd))) return true;
  }
  return false;
}

/** A completed install in the cache (the newest when there are several), read without calling apt. */
export async function cachedDebianInstall(name: string): Promise<DebianInstall | undefined> {
  const names = await readdir(cacheRoot).catch(() => [] as string[]);
  const found: Manifest[] = [];
  for (const entry of names.filter((dir) => dir.startsWith(`${name}-`) && !dir.includes('.partial'))) {
    try {
      const manifest = JSON.parse(await readFile(join(cacheRoot, entry, 'manifest.json'), 'utf8')) as Manifest;
      if (existsSync(manifest.executablePath)) found.push(manifest);
    } catch {
      // not a finished install
    }
  }
  found.sort((a, b) => b.installedAt.localeCompare(a.installedAt));
  const newest = found[0];
  return newest && { version: newest.version, executablePath: newest.executablePath, libraryPath: newest.libraryPath };
}

/** The packages apt would install for `pkg` on this machine (those installed already are left out), with their versions. Simulated, so no root. */
async function packagesToFetch(pkg: string): Promise<{ name: string; version: string }[]> {
  const { stdout } = await run(
    'apt-get',
    ['-s', '-o', 'Debug::NoLocking=1', 'install', '--no-install-recommends', pkg],
    {
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  return [...stdout.matchAll(/^Inst (\S+) \((\S+)/gm)].map((match) => ({ name: match[1]!, version: match[2]! }));
}

/** Every directory under `root`'s usr/lib holding a shared library, but the private ones. */
async function libraryDirs(root: string, privateDirs: string[]): Promise<string[]> {
  const dirs = new Set<string>();
  const excluded = new Set(privateDirs.map((dir) => join(root, dir)));
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (/\.so(\.\d+)*$/.test(entry.name) && !excluded.has(dir)) dirs.add(dir);
    }
  };
  if (existsSync(join(root, 'usr', 'lib'))) await walk(join(root, 'usr', 'lib'));
  return [...dirs].sort();
}

/** Libraries the program still cannot find (`ldd` with the unpacked directories). */
async function missingLibraries(executablePath: string, libraryPath: string[]): Promise<string[]> {
  const { stdout } = await run('ldd', [executablePath], {
    env: { ...process.env, LD_LIBRARY_PATH: libraryPath.join(':') },
  });
  return [...stdout.matchAll(/^\s*(\S+) => not found/gm)].map((match) => match[1]!);
}

/**
 * `packagesToFetch`, and when apt does not know the package because the
 * package lists are missing or stale (a fresh container): as root, one
 * `apt-get update` and a second try; otherwise an error saying what to run.
 */
async function resolvePackages(program: DebianProgram, log: Log): Promise<{ name: string; version: string }[]> {
  const explain = (error: unknown, updated: boolean) =>
    new Error(
      `${program.neededBy} need ${program.package} from Debian's packages, but apt-get cannot resolve it: ${error instanceof Error ? error.message : String(error)}\n` +
        (updated
          ? 'apt-get update ran and the package is still unknown: is this Debian (bookworm or later) with the main component in its sources?'
          : 'If it says "Unable to locate package", the package lists are missing or stale: run `apt-get update` once as root') +
        ` (or set ${program.overrideVariable} to the path of another executable).`,
    );
  try {
    return await packagesToFetch(program.package);
  } catch (error) {
    const unknown =
      error instanceof Error && /Unable to locate package|has no installation candidate/.test(error.message);
    if (!unknown || process.getuid?.() !== 0) throw explain(error, false);
    log(`apt-get does not know ${program.package}: running apt-get update once (as root) and trying again`);
    await run('apt-get', ['update', '-qq'], { env: { ...process.env, LC_ALL: 'C' } }).catch((updateError: unknown) => {
      throw explain(updateError, false);
    });
    return packagesToFetch(program.package).catch((retryError: unknown) => {
      throw explain(retryError, true);
    });
  }
}

async function install(program: DebianProgram, log: Log): Promise<DebianInstall> {
  const cached = await cachedDebianInstall(program.name);
  if (cached) return cached;
  const missingTools = [];
  for (const tool of ['apt-get', 'dpkg-deb', 'ldd']) if (!(await onPath(tool))) missingTools.push(tool);
  if (missingTools.length) {
    throw new Error(
      `${program.neededBy} need ${program.package}, taken from Debian's packages with apt-get, but ${missingTools.join(', ')} ` +
        `${missingTools.length === 1 ? 'is' : 'are'} not available on this machine (not Debian or Ubuntu?). ` +
        `Set ${program.overrideVariable} to the path of another executable to use that one instead.`,
    );
  }
  const t0 = Date.now();
  const wanted = await resolvePackages(program, log);
  const main = wanted.find((entry) => entry.name === program.package);
  if (!main) return program.whenInstalled();
  const dir = join(cacheRoot, `${program.name}-${main.version.replace(/[^\w.+-]/g, '_')}`);
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  const debs = join(partial, 'debs');
  const root = join(partial, 'root');
  await mkdir(debs, { recursive: true });
  await mkdir(root, { recursive: true });
  log(`downloading ${wanted.map((entry) => entry.name).join(', ')} with apt-get (${program.package} ${main.version})`);
  await run('apt-get', ['download', ...wanted.map((entry) => `${entry.name}=${entry.version}`)], { cwd: debs });
  const t1 = Date.now();
  for (const file of await readdir(debs))
    if (file.endsWith('.deb')) await run('dpkg-deb', ['-x', join(debs, file), root]);
  await rm(debs, { recursive: true, force: true });
  const finalRoot = join(dir, 'root');
  const unpackedLibraries = await libraryDirs(root, program.privateLibraryDirs ?? []);
  const missing = await missingLibraries(join(root, program.binary), unpackedLibraries);
  if (missing.length) {
    throw new Error(
      `${program.package} ${main.version} still lacks ${missing.join(', ')} after unpacking ${wanted.map((entry) => entry.name).join(', ')} (left in ${partial})`,
    );
  }
  const manifest: Manifest = {
    version: main.version,
    executablePath: join(finalRoot, program.binary),
    libraryPath: unpackedLibraries.map((path) => path.replace(root, finalRoot)),
    packages: wanted.map((entry) => `${entry.name}=${entry.version}`),
    installedAt: new Date().toISOString(),
  };
  await writeFile(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  log(
    `${program.package} ${main.version} ready in ${dir}: download ${((t1 - t0) / 1000).toFixed(1)} s, unpack ${((Date.now() - t1) / 1000).toFixed(1)} s`,
  );
  return { version: manifest.version, executablePath: manifest.executablePath, libraryPath: manifest.libraryPath };
}

/** The program from the cache, or unpacked there now (once: parallel runs take turns under a lock). */
export async function ensureDebianProgram(program: DebianProgram, log: Log): Promise<DebianInstall> {
  return (
    (await cachedDebianInstall(program.name)) ??
    withDirectoryLock(join(cacheRoot, `${program.name}.lock`), () => install(program, log), 10 * 60_000)
  );
}

export interface DebianCommand extends DebianInstall {
  /** A directory holding a script of the command's name that runs it with its libraries: put it first on PATH. */
  binDir: string;
}

/** A script named like the program in `dir` that runs it with its libraries (renamed into place: a parallel run may be executing it). */
async function writeWrapper(install: DebianInstall, dir: string): Promise<void> {
  const path = join(dir, basename(install.executablePath));
  const libraries = install.libraryPath.join(':');
  const script = libraries
    ? `#!/bin/sh\nLD_LIBRARY_PATH='${libraries}'\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} exec '${install.executablePath}' "$@"\n`
    : `#!/bin/sh\nexec '${install.executablePath}' "$@"\n`;
  if ((await readFile(path, 'utf8').catch(() => '')) === script) return;
  await mkdir(dir, { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  await writeFile(partial, script);
  await chmod(partial, 0o755);
  await rename(partial, path);
}

/**
 * A command-line program from Debian's packages, for commands run as written
 * (documentation examples): the system's own when it is installed already
 * (`/usr/bin/<name>`), otherwise unpacked into the cache with a wrapper script
 * in `<cache>/<name>-<version>/bin/`. Fails with a message naming the cause
 * when apt cannot provide it.
 */
export async function ensureDebianCommand(
  command: Pick<DebianProgram, 'package' | 'neededBy'> & Partial<Pick<DebianProgram, 'overrideVariable'>>,
  log: Log,
): Promise<DebianCommand> {
  const binary = join('usr', 'bin', command.package);
  const system = join('/', binary);
  const install = await ensureDebianProgram(
    {
      package: command.package,
      name: command.package,
      binary,
      whenInstalled: () => {
        if (existsSync(system)) return { version: 'system', executablePath: system, libraryPath: [] };
        throw new Error(`apt-get would not install ${command.package}, yet ${system} is missing`);
      },
      neededBy: command.neededBy,
      overrideVariable: command.overrideVariable ?? `PATH (a ${command.package} on it)`,
    },
    log,
  );
  if (install.version === 'system') return { ...install, binDir: dirname(system) };
  // <cache>/<name>-<version>/root/usr/bin/<name> → <cache>/<name>-<version>/bin/
  const binDir = join(dirname(dirname(dirname(dirname(install.executablePath)))), 'bin');
  await writeWrapper(install, binDir);
  return { ...install, binDir };
}
