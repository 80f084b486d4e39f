// Provisions kcat (librdkafka's command-line client), as a producing team
// would use it, for the test that runs docs/producers.md's commands: Debian's
// kcat and librdkafka1 unpacked into the user's cache without root, with a
// `kcat` wrapper that sets LD_LIBRARY_PATH beside them (debian.ts), so the
// doc's commands run unchanged with that directory first on PATH. A machine
// with kcat installed uses its own.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDebianCommand, type DebianCommand, type Log } from './debian.js';

const defaultLog: Log = (line) => process.stderr.write(`[kcat] ${line}\n`);

/**
 * Makes sure kcat is available and says where. `HOOKLINE_KCAT` names an
 * executable to use instead; otherwise Debian's kcat is unpacked into
 * `~/.cache/hookline/kcat-<version>/` (once). Fails with a message naming the
 * cause when apt cannot provide it: the tests that need it must not pass without it.
 */
export async function ensureKcat(log: Log = defaultLog): Promise<DebianCommand> {
  const given = process.env.HOOKLINE_KCAT;
  if (given) {
    if (!existsSync(given)) throw new Error(`HOOKLINE_KCAT=${given}: no such file`);
    return { version: 'given', executablePath: given, libraryPath: [], binDir: dirname(given) };
  }
  return ensureDebianCommand(
    { package: 'kcat', neededBy: 'The producer guide tests (docs/producers.md)', overrideVariable: 'HOOKLINE_KCAT' },
    log,
  );
}

// `npx tsx test/infra/kcat.ts`: provisions kcat and prints where it is.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = Date.now();
  const kcat = await ensureKcat();
  process.stdout.write(`${JSON.stringify({ ...kcat, seconds: (Date.now() - t0) / 1000 }, null, 2)}\n`);
}
