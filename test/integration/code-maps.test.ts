// The code maps in the services' READMEs, and the docs that point to them, name only files that exist:
// every relative link and every backticked path (`src/domain/project/offers.ts`, `public/app.js`) resolves,
// from the README's folder or from the repository's root.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const services = readdirSync(join(root, 'services')).filter((name) =>
  existsSync(join(root, 'services', name, 'README.md')),
);
/** The services whose README has a code map, and the doc page about each. */
const mapped: Record<string, string> = {
  marketplace: 'docs/marketplace.md',
  accounting: 'docs/accounting.md',
  coworking: 'docs/coworking.md',
  scheduler: 'docs/scheduler.md',
  console: 'docs/console.md',
  platform: 'README.md',
};

const pathLike = /^[\w.@-]+(\/[\w.*@-]+)+\/?$|^[\w-]+\.(ts|js|mjs|md|json|yaml|html|css|svg)$/;

/** The relative links and the backticked paths of a Markdown text. */
function pathsIn(markdown: string): string[] {
  const links = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^(https?:|mailto:|#)/.test(target));
  const code = [...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!).filter((span) => pathLike.test(span));
  return [...links.map((link) => link.split('#')[0]!), ...code].filter(Boolean);
}

/** Whether `path` names something from `base` or from the root; a `*` matches any run of characters in one segment. */
function exists(path: string, base: string): boolean {
  return [base, root].some((from) => {
    const full = resolve(from, path);
    if (!full.includes('*')) return existsSync(full);
    const folder = dirname(full);
    const pattern = new RegExp(
      `^${full
        .slice(folder.length + 1)
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '[^/]*')}$`,
    );
    return existsSync(folder) && readdirSync(folder).some((name) => pattern.test(name));
  });
}

describe('code maps', () => {
  it.each(services)('services/%s/README.md names only paths that exist', (service) => {
    const readme = join(root, 'services', service, 'README.md');
    const missing = pathsIn(readFileSync(readme, 'utf8')).filter((path) => !exists(path, dirname(readme)));
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(mapped))('services/%s/README.md has a code map, and %s links to it', (service, doc) => {
    const readme = readFileSync(join(root, 'services', service, 'README.md'), 'utf8');
    expect(readme).toMatch(/^## Code map$/m);
    const page = readFileSync(join(root, doc), 'utf8');
    const target = relative(dirname(join(root, doc)), join(root, 'services', service, 'README.md'));
    expect(page).toContain(`](${target}#code-map)`);
  });

  it('the check finds what is missing', () => {
    const paths = pathsIn(
      'see [a](../../docs/nowhere.md#x), `src/gone.ts`, `POST /v1/connections`, `hookline.coworking`, [web](https://x.example)',
    );
    expect(paths).toEqual(['../../docs/nowhere.md', 'src/gone.ts']);
    expect(paths.filter((path) => !exists(path, join(root, 'services', 'marketplace')))).toEqual(paths);
    expect(exists('src/domain/*.test.ts', join(root, 'services', 'marketplace'))).toBe(true);
  });
});
