// Provisions a real headless Chromium for the console's browser tests, without
// root and without any download but Debian's own packages: `apt-get download`
// fetches chromium-headless-shell and the packages it needs that this machine
// lacks (as apt itself resolves them), `dpkg-deb -x` unpacks them into the
// user's cache, and the browser runs from there with LD_LIBRARY_PATH pointing
// at the unpacked libraries. A second run finds the cache and starts at once.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { withDirectoryLock } from './lock.js';

const execFileAsync = promisify(execFile);

/** The same cache as the Kafka and FerretDB builds (test/infra/infra.ts). */
const cacheRoot = process.env.HOOKLINE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hookline');

const PACKAGE = 'chromium-headless-shell';
/** Relative to the unpacked root: the real binary (usr/bin/ has a wrapper script). */
const BINARY = join('usr', 'lib', 'chromium', 'chromium-headless-shell');

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`[browser] ${line}\n`);

export interface ChromiumInstall {
  version: string;
  executablePath: string;
  /** Directories of the unpacked shared libraries, for LD_LIBRARY_PATH (empty for a system or given browser). */
  libraryPath: string[];
}

interface Manifest extends ChromiumInstall {
  packages: string[];
  installedAt: string;
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
async function cachedInstall(): Promise<ChromiumInstall | undefined> {
  const names = await readdir(cacheRoot).catch(() => [] as string[]);
  const found: Manifest[] = [];
  for (const name of names.filter((entry) => entry.startsWith('chromium-') && !entry.includes('.partial'))) {
    try {
      const manifest = JSON.parse(await readFile(join(cacheRoot, name, 'manifest.json'), 'utf8')) as Manifest;
      if (existsSync(manifest.executablePath)) found.push(manifest);
    } catch {
      // not a finished install
    }
  }
  found.sort((a, b) => b.installedAt.localeCompare(a.installedAt));
  const newest = found[0];
  return newest && { version: newest.version, executablePath: newest.executablePath, libraryPath: newest.libraryPath };
}

/** Parallel runs take turns. */
function withLock<T>(fn: () => Promise<T>): Promise<T> {
  return withDirectoryLock(join(cacheRoot, 'chromium.lock'), fn, 10 * 60_000);
}

/**
 * The packages apt would install for chromium-headless-shell on this machine
 * (those already installed are left out), with their versions. Simulated, so no root.
 */
async function packagesToFetch(): Promise<{ name: string; version: string }[]> {
  const { stdout } = await run('apt-get', ['-s', '-o', 'Debug::NoLocking=1', 'install', '--no-install-recommends', PACKAGE], {
    env: { ...process.env, LC_ALL: 'C' },
  });
  return [...stdout.matchAll(/^Inst (\S+) \((\S+)/gm)].map((match) => ({ name: match[1]!, version: match[2]! }));
}

/** Every directory under `root` holding a shared library. */
async function libraryDirs(root: string): Promise<string[]> {
  const dirs = new Set<string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (/\.so(\.\d+)*$/.test(entry.name) && dir !== join(root, 'usr', 'lib', 'chromium')) dirs.add(dir);
    }
  };
  await walk(join(root, 'usr', 'lib'));
  return [...dirs].sort();
}

/** Libraries the binary still cannot find (`ldd` with the unpacked directories). */
async function missingLibraries(executablePath: string, libraryPath: string[]): Promise<string[]> {
  const { stdout } = await run('ldd', [executablePath], { env: { ...process.env, LD_LIBRARY_PATH: libraryPath.join(':') } });
  return [...stdout.matchAll(/^\s*(\S+) => not found/gm)].map((match) => match[1]!);
}

async function install(log: Log): Promise<ChromiumInstall> {
  const cached = await cachedInstall();
  if (cached) return cached;
  const missingTools = [];
  for (const tool of ['apt-get', 'dpkg-deb', 'ldd']) if (!(await onPath(tool))) missingTools.push(tool);
  if (missingTools.length) {
    throw new Error(
      `The console's browser tests need a headless Chromium, taken from Debian's packages with apt-get, but ${missingTools.join(', ')} ` +
        `${missingTools.length === 1 ? 'is' : 'are'} not available on this machine (not Debian or Ubuntu?). ` +
        'Set HOOKLINE_CHROMIUM to the path of a Chromium or Chrome executable to use that one instead.',
    );
  }
  const t0 = Date.now();
  const wanted = await packagesToFetch().catch((error: unknown) => {
    throw new Error(
      `apt-get cannot resolve ${PACKAGE}: ${error instanceof Error ? error.message : String(error)}\n` +
        'If it says "Unable to locate package", the package lists are missing: run `apt-get update` once (as root).',
    );
  });
  const shell = wanted.find((entry) => entry.name === PACKAGE);
  if (!shell) throw new Error(`apt-get would not install ${PACKAGE} (is it installed already? then set HOOKLINE_CHROMIUM=/usr/lib/chromium/chromium-headless-shell)`);
  const dir = join(cacheRoot, `chromium-${shell.version.replace(/[^\w.+-]/g, '_')}`);
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  const debs = join(partial, 'debs');
  const root = join(partial, 'root');
  await mkdir(debs, { recursive: true });
  await mkdir(root, { recursive: true });
  log(`downloading ${wanted.map((entry) => entry.name).join(', ')} with apt-get (Chromium ${shell.version})`);
  await run('apt-get', ['download', ...wanted.map((entry) => `${entry.name}=${entry.version}`)], { cwd: debs });
  const t1 = Date.now();
  for (const file of await readdir(debs)) if (file.endsWith('.deb')) await run('dpkg-deb', ['-x', join(debs, file), root]);
  await rm(debs, { recursive: true, force: true });
  const finalRoot = join(dir, 'root');
  const libraryPath = (await libraryDirs(root)).map((path) => path.replace(root, finalRoot));
  const missing = await missingLibraries(join(root, BINARY), await libraryDirs(root));
  if (missing.length) {
    throw new Error(`Chromium ${shell.version} still lacks ${missing.join(', ')} after unpacking ${wanted.map((entry) => entry.name).join(', ')} (left in ${partial})`);
  }
  const manifest: Manifest = {
    version: shell.version,
    executablePath: join(finalRoot, BINARY),
    libraryPath,
    packages: wanted.map((entry) => `${entry.name}=${entry.version}`),
    installedAt: new Date().toISOString(),
  };
  await writeFile(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  log(`Chromium ${shell.version} ready in ${dir}: download ${((t1 - t0) / 1000).toFixed(1)} s, unpack ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  return { version: manifest.version, executablePath: manifest.executablePath, libraryPath };
}

/**
 * Makes sure a headless Chromium is available and says where. `HOOKLINE_CHROMIUM`
 * names an executable to use instead; otherwise Debian's chromium-headless-shell
 * is unpacked into `~/.cache/hookline/chromium-<version>/` (once).
 */
export async function ensureChromium(log: Log = defaultLog): Promise<ChromiumInstall> {
  const given = process.env.HOOKLINE_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new Error(`HOOKLINE_CHROMIUM=${given}: no such file`);
    return { version: 'given', executablePath: given, libraryPath: [] };
  }
  return (await cachedInstall()) ?? withLock(() => install(log));
}

/** Starts the headless Chromium (provisioned on first use) through playwright-core. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const browser = await ensureChromium();
  const libraryPath = [...browser.libraryPath, ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)];
  return chromium.launch({
    executablePath: browser.executablePath,
    // No user namespaces for the sandbox in containers and CI; the pages are our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    env: { ...process.env, ...(libraryPath.length ? { LD_LIBRARY_PATH: libraryPath.join(':') } : {}) },
    ...options,
  });
}

// `npx tsx test/infra/browser.ts`: provisions the browser and prints where it is.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = Date.now();
  const browser = await ensureChromium();
  process.stdout.write(`${JSON.stringify({ ...browser, seconds: (Date.now() - t0) / 1000 }, null, 2)}\n`);
}
