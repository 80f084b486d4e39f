// Provisions the Helm CLI for the chart tests: built from the Go module proxy
// (`go install helm.sh/helm/v3/cmd/helm@<version>`) into the user's cache
// directory, once; parallel runs wait on a lock. Needs Go on PATH, nothing else.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withDirectoryLock } from './lock.js';

const execFileAsync = promisify(execFile);

/** The latest Helm 3 release on the Go module proxy (2026-11-23); it builds with Go 1.26.8. */
export const HELM_VERSION = 'v3.22.0';

const cacheRoot =
  process.env.HOOKLINE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hookline');

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`[helm] ${line}\n`);

/** Returns the path of a Helm binary at HELM_VERSION, building it on first use. */
export async function ensureHelm(log: Log = defaultLog): Promise<string> {
  const dir = join(cacheRoot, `helm-${HELM_VERSION}`);
  const binary = join(dir, 'helm');
  if (existsSync(binary)) return binary;
  await mkdir(cacheRoot, { recursive: true });
  return withDirectoryLock(join(cacheRoot, `helm-${HELM_VERSION}.lock`), async () => {
    if (existsSync(binary)) return binary;
    const started = Date.now();
    log(
      `building Helm ${HELM_VERSION} from the Go module proxy into ${dir} (first run only: seconds with warm Go caches, about five minutes from scratch)`,
    );
    // Built into a scratch directory and renamed, so a killed build never leaves a half-written binary.
    const scratch = `${dir}.partial-${process.pid}`;
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    try {
      await execFileAsync('go', ['install', `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`], {
        cwd: scratch,
        env: { ...process.env, GOBIN: scratch, GOWORK: 'off' },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      await rm(scratch, { recursive: true, force: true });
      const e = error as { stderr?: string; message: string };
      throw new Error(
        `go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION} failed: ${e.message}\n${e.stderr ?? ''}`.slice(0, 8000),
      );
    }
    await rm(dir, { recursive: true, force: true });
    await rename(scratch, dir);
    log(`Helm ${HELM_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s`);
    return binary;
  });
}
