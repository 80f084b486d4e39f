// A cross-process lock (a directory: mkdir is atomic), so parallel test runs
// provision or start a thing once. A lock older than `staleAfterMs` is taken
// to belong to a run that died.
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function withDirectoryLock<T>(lock: string, fn: () => Promise<T>, staleAfterMs = 15 * 60_000): Promise<T> {
  await mkdir(dirname(lock), { recursive: true });
  const deadline = Date.now() + staleAfterMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > staleAfterMs) await rmdir(lock).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`lock ${lock} held for too long`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
