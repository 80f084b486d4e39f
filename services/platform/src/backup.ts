// `npm run backup -- <file>`: a consistent copy of HOOKLINE_DATA_DIR's database, taken
// while the platform runs or not (SQLite's online backup).
import { backupDataDir } from '@hookline/runtime';
import { loadRuntimeConfig } from '@hookline/config';

const destination = process.argv[2];
const config = loadRuntimeConfig();
if (!destination || config.HOOKLINE_DATA_DIR === ':memory:') {
  process.stderr.write(
    'usage: npm run backup -- <file>   (copies HOOKLINE_DATA_DIR/hookline.db, default .hookline/data)\n',
  );
  process.exit(2);
}
try {
  const { pages, bytes } = await backupDataDir(config.HOOKLINE_DATA_DIR, destination);
  process.stdout.write(
    `backed up ${config.HOOKLINE_DATA_DIR}/hookline.db to ${destination}: ${pages} pages, ${bytes} bytes\n`,
  );
} catch (error) {
  process.stderr.write(`backup failed: ${(error as Error).message}\n`);
  process.exit(1);
}
