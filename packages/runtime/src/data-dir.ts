// The data directory of the embedded backends: one SQLite database, owned by one
// process at a time. The owner holds an exclusive SQLite lock on `hookline.lock`
// for as long as it runs; the OS drops the lock when the process ends, however
// it ends (kill -9 included), so a stale lock never needs cleaning up.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSqlite } from '@hookline/store';

export interface DataDir {
  path: string;
  /** The database the embedded bus and store share. */
  database: string;
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(readonly path: string) {
    super(
      `HOOKLINE_DATA_DIR ${path} is in use by another Hookline process (it holds ${join(path, 'hookline.lock')}): stop that process, or set another HOOKLINE_DATA_DIR`,
    );
    this.name = 'DataDirInUseError';
  }
}

export function openDataDir(directory: string): DataDir {
  const path = resolve(directory);
  mkdirSync(path, { recursive: true });
  const { DatabaseSync } = loadSqlite();
  const lock = new DatabaseSync(join(path, 'hookline.lock'), { timeout: 0 });
  try {
    // In EXCLUSIVE locking mode SQLite keeps the write lock of the first write until the connection closes.
    lock.exec('PRAGMA locking_mode = EXCLUSIVE; CREATE TABLE IF NOT EXISTS owner (pid INTEGER); DELETE FROM owner;');
    lock.prepare('INSERT INTO owner (pid) VALUES (?)').run(process.pid);
  } catch (error) {
    lock.close();
    if ((error as { errcode?: number }).errcode === 5) throw new DataDirInUseError(path);
    throw error;
  }
  return {
    path,
    database: join(path, 'hookline.db'),
    release: () => {
      if (lock.isOpen) lock.close();
    },
  };
}

/**
 * Copies the data directory's database to `destination` while the platform may be running:
 * SQLite's online backup API reads a consistent snapshot page by page, beside the writer (WAL).
 * The copy is a complete database: put it in place of `hookline.db` (with no `-wal`/`-shm`
 * beside it) in a stopped platform's data directory to restore it.
 */
export async function backupDataDir(directory: string, destination: string): Promise<{ pages: number; bytes: number }> {
  const { DatabaseSync, backup } = loadSqlite();
  const source = join(resolve(directory), 'hookline.db');
  if (!existsSync(source)) throw new Error(`no database in ${resolve(directory)} (nothing was stored there yet)`);
  if (existsSync(destination)) throw new Error(`${destination} exists: the backup never overwrites a file`);
  const database = new DatabaseSync(source, { readOnly: true, timeout: 5_000 });
  try {
    const pages = await backup(database, destination);
    return { pages, bytes: statSync(destination).size };
  } finally {
    database.close();
  }
}
