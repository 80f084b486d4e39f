// Provisions a real headless Chromium for the console's browser tests, without
// root and without any download but Debian's own packages (debian.ts):
// chromium-headless-shell and the packages it needs that this machine lacks are
// unpacked into the user's cache, and the browser runs from there with
// LD_LIBRARY_PATH pointing at the unpacked libraries. A second run finds the
// cache and starts at once.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { ensureDebianProgram, type DebianInstall, type Log } from './debian.js';

const defaultLog: Log = (line) => process.stderr.write(`[browser] ${line}\n`);

export type ChromiumInstall = DebianInstall;

const chromiumPackage = {
  package: 'chromium-headless-shell',
  name: 'chromium',
  // The real binary (usr/bin/ has a wrapper script); its own libraries stay off LD_LIBRARY_PATH.
  binary: join('usr', 'lib', 'chromium', 'chromium-headless-shell'),
  privateLibraryDirs: [join('usr', 'lib', 'chromium')],
  whenInstalled: (): never => {
    throw new Error(
      'apt-get would not install chromium-headless-shell (is it installed already? then set HOOKLINE_CHROMIUM=/usr/lib/chromium/chromium-headless-shell)',
    );
  },
  neededBy: "The console's browser tests",
  overrideVariable: 'HOOKLINE_CHROMIUM',
};

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
  return ensureDebianProgram(chromiumPackage, log);
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
