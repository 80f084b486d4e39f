// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and
// per source file or package, and inclusive time of the dispatcher's own
// functions, over the samples taken inside a window of the monotonic clock
// (the profile's timestamps and process.hrtime share CLOCK_MONOTONIC).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * tsx compiles each TypeScript file to one line, so the profile's line numbers
 * are all 1. Its cache (<tmpdir>/tsx-<uid>/, JSON {code, map}) keeps the source
 * map of every compiled file: the one whose source content is the file's
 * current content maps a function's column back to its line in the source.
 */
class TsxSourceMaps {
  private index: Map<string, { file: string; mtime: number }[]> | undefined;
  private readonly maps = new Map<string, SourceMap | null>();

  private build(): Map<string, { file: string; mtime: number }[]> {
    const index = new Map<string, { file: string; mtime: number }[]>();
    const dir = join(tmpdir(), `tsx-${process.getuid?.() ?? 0}`);
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return index;
    }
    for (const entry of entries) {
      const file = join(dir, entry);
      try {
        const text = readFileSync(file, 'utf8');
        const source = /"sources":\["([^"]+)"/.exec(text)?.[1];
        if (source) index.set(source, [...(index.get(source) ?? []), { file, mtime: statSync(file).mtimeMs }]);
      } catch {
        // not a cache entry
      }
    }
    return index;
  }

  private mapFor(path: string): SourceMap | null {
    if (this.maps.has(path)) return this.maps.get(path)!;
    this.index ??= this.build();
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // gone
    }
    let found: SourceMap | null = null;
    for (const candidate of [...(this.index.get(path) ?? [])].sort((a, b) => b.mtime - a.mtime)) {
      const entry = JSON.parse(readFileSync(candidate.file, 'utf8')) as {
        map?: { sourcesContent?: string[] } & object;
      };
      if (!entry.map) continue;
      if (entry.map.sourcesContent?.[0] === current || found === null)
        found = new SourceMap(entry.map as ConstructorParameters<typeof SourceMap>[0]);
      if (entry.map.sourcesContent?.[0] === current) break;
    }
    this.maps.set(path, found);
    return found;
  }

  /** 1-based source line of a 0-based generated position, if known. */
  line(path: string, line: number, column: number): number | undefined {
    if (!path.endsWith('.ts')) return undefined;
    const entry = this.mapFor(path)?.findEntry(line, column) as { originalLine?: number } | undefined;
    return entry?.originalLine === undefined ? undefined : entry.originalLine + 1;
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  /** Milliseconds covered by the samples in the window. */
  windowMs: number;
  samples: number;
  /** Busy = not (idle); shares below are of busy time unless said otherwise. */
  busyMs: number;
  idleShare: number;
  categories: ProfileRow[];
  topSelfFunctions: ProfileRow[];
  topSelfFiles: ProfileRow[];
  dispatcherInclusive: ProfileRow[];
}

function where(url: string, repoRoot: string): string {
  if (!url) return '';
  if (url.startsWith('node:')) return url;
  let path = url;
  try {
    if (url.startsWith('file://')) path = fileURLToPath(url);
  } catch {
    return url;
  }
  const rel = relative(repoRoot, path);
  const modules = rel.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = rel.slice(modules + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return rel;
}

/** Which part of the system a file belongs to, for the category table. */
function category(file: string, functionName: string): string {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8/native (program)';
  if (file.startsWith('services/dispatcher/')) return 'dispatcher code (services/dispatcher)';
  if (file.startsWith('packages/')) return `hookline packages (${file.split('/')[1]})`;
  if (file.startsWith('node_modules/')) {
    const pkg = file.slice('node_modules/'.length);
    if (pkg === 'mongodb' || pkg === 'bson' || pkg.startsWith('@mongodb-js')) return 'MongoDB driver + BSON';
    if (pkg === 'kafkajs') return 'kafkajs';
    if (pkg === 'undici') return 'undici (HTTP client)';
    if (pkg === 'zod') return 'zod (validation)';
    if (pkg === 'pino' || pkg.startsWith('pino')) return 'pino (logging)';
    if (pkg === 'cloudevents' || pkg === 'ajv' || pkg === 'ajv-formats') return `${pkg}`;
    if (pkg.includes('opentelemetry')) return 'OpenTelemetry';
    return 'other npm packages';
  }
  if (file.startsWith('node:')) return 'Node.js core (node:*)';
  if (file === '') return 'native / builtins (no URL)';
  return 'other';
}

export function summarizeProfile(
  file: string,
  repoRoot: string,
  window?: { fromUs: number; toUs: number },
  top = 25,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const sourceMaps = new TsxSourceMaps();
  const keys = new Map<number, { name: string; file: string; key: string }>();
  const keyOf = (node: ProfileNode) => {
    const cached = keys.get(node.id);
    if (cached) return cached;
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    const file = where(url, repoRoot);
    const name = functionName || '(anonymous)';
    let line: number | undefined = lineNumber + 1;
    if (url.startsWith('file://') && url.endsWith('.ts'))
      line = sourceMaps.line(fileURLToPath(url), lineNumber, columnNumber);
    const key = file ? `${name} — ${file}${line === undefined ? '' : `:${line}`}` : name;
    const result = { name, file, key };
    keys.set(node.id, result);
    return result;
  };
  // Per node: the distinct dispatcher functions on its stack (inclusive time).
  const stackKeys = new Map<number, string[]>();
  const dispatcherStack = (id: number): string[] => {
    const cached = stackKeys.get(id);
    if (cached) return cached;
    const node = byId.get(id)!;
    const up = parent.has(id) ? dispatcherStack(parent.get(id)!) : [];
    const { key, file } = keyOf(node);
    const result = file.startsWith('services/dispatcher/') && !up.includes(key) ? [...up, key] : up;
    stackKeys.set(id, result);
    return result;
  };

  const self = new Map<string, number>();
  const files = new Map<string, number>();
  const categories = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let t = profile.startTime;
  let windowUs = 0;
  let idleUs = 0;
  let samples = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    // Each sample stands for the time until the next one.
    const next = profile.timeDeltas[i + 1] ?? 0;
    const us = Math.max(0, next);
    const node = byId.get(profile.samples[i]!)!;
    const { name, file, key } = keyOf(node);
    samples++;
    windowUs += us;
    if (name === '(idle)') {
      idleUs += us;
      categories.set('idle', (categories.get('idle') ?? 0) + us);
      continue;
    }
    self.set(key, (self.get(key) ?? 0) + us);
    const fileKey = file || name;
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
    const cat = category(file, name);
    categories.set(cat, (categories.get(cat) ?? 0) + us);
    for (const k of dispatcherStack(node.id)) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
  const busyUs = windowUs - idleUs;
  const rows = (map: Map<string, number>, n: number, of = busyUs): ProfileRow[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        share: of > 0 ? Math.round((us / of) * 1000) / 10 : 0,
      }));
  return {
    file: relative(repoRoot, file),
    windowMs: Math.round(windowUs / 1000),
    samples,
    busyMs: Math.round(busyUs / 1000),
    idleShare: windowUs > 0 ? Math.round((idleUs / windowUs) * 1000) / 10 : 0,
    categories: rows(categories, 30, windowUs),
    topSelfFunctions: rows(self, top),
    topSelfFiles: rows(files, top),
    dispatcherInclusive: rows(inclusive, top),
  };
}
