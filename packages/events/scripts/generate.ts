// Writes the generated artifacts of the event catalog (JSON Schemas, AsyncAPI,
// docs/events.md) from `buildArtifacts()`, and deletes the schema files of
// types no longer in the catalog.
//
//   npm run generate -w @hookline/events          write
//   npm run generate:check -w @hookline/events    list stale, missing and extra files, exit 1 if any; write nothing
//
// Paths resolve from this file, so it runs from the repository root or the package directory.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactPaths, buildArtifacts, regenerateCommand } from '../src/artifacts.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageDir, '..', '..');
const check = process.argv.includes('--check');

const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
const artifacts = buildArtifacts({ version });

const read = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const schemasDir = join(repoRoot, artifactPaths.schemasDir);
const extra = existsSync(schemasDir)
  ? readdirSync(schemasDir)
      .map((name) => `${artifactPaths.schemasDir}/${name}`)
      .filter((path) => !artifacts.has(path))
      .sort()
  : [];

const missing: string[] = [];
const stale: string[] = [];
for (const [path, content] of artifacts) {
  const current = read(join(repoRoot, path));
  if (current === undefined) missing.push(path);
  else if (current !== content) stale.push(path);
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

if (check) {
  const problems = [
    ...missing.map((path) => `missing: ${path}`),
    ...stale.map((path) => `stale:   ${path}`),
    ...extra.map((path) => `extra:   ${path} (no such event type in the catalog)`),
  ];
  if (problems.length === 0) {
    out(`${artifacts.size} generated files are up to date.`);
  } else {
    for (const problem of problems) out(problem);
    out(`Run \`${regenerateCommand}\` and commit the result.`);
    process.exitCode = 1;
  }
} else {
  for (const path of [...missing, ...stale]) {
    const target = join(repoRoot, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, artifacts.get(path) ?? '');
  }
  for (const path of extra) rmSync(join(repoRoot, path));
  out(
    `${artifacts.size} generated files: ${missing.length} created, ${stale.length} updated, ${extra.length} removed, ` +
      `${artifacts.size - missing.length - stale.length} unchanged.`,
  );
}
