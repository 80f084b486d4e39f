// The data directory of the embedded backends: one SQLite database, owned by one
// process at a time. The owner holds an exclusive SQLite lock on `hookline.lock`
// for as long as it runs; the OS drops the lock when the process ends, however
// it ends (kill -9 included), so a stale lock never needs cleaning up.
import { mkdirSync } from 'node:fs';
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
    super(`HOOKLINE_DATA_DIR ${path} is in use by another Hookline process (it holds ${join(path, 'hookline.lock')}): stop that process, or set another HOOKLINE_DATA_DIR`);
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
