// Markdown tables of a run's results, printed by run.ts and written between
// markers into docs/performance.md (`npx tsx test/bench/report.ts [file]`
// regenerates them from a results JSON without running anything).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProfileRow } from './profile.js';
import type { BenchResult, Latency, ModeResult, PhaseResult } from './types.js';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const ms = (value: number | null | undefined, grace: unknown) => (value === null || value === undefined ? `> ${String(grace)} s` : `${Math.round(value)}`);
const fixed = (value: number | null | undefined, digits = 0) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const phase = (mode: ModeResult, name: PhaseResult['name']) => mode.phases.find((p) => p.name === name);
const subjectCores = (mode: ModeResult, p: PhaseResult | undefined) => p?.resources.cores[mode.kind];
const subjectCpu = (mode: ModeResult, p: PhaseResult | undefined) => p?.resources.cpuSeconds[mode.kind];

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function latency(l: Latency | undefined, grace: unknown): string {
  if (!l) return '—';
  return `${ms(l.p50, grace)} / ${ms(l.p95, grace)} / ${ms(l.p99, grace)}`;
}

function profileTable(rows: ProfileRow[], label: string): string {
  return table([label, 'ms', '%'], rows.map((row) => [row.name.replace(/\|/g, '\\|'), String(row.ms), row.share.toFixed(1)]));
}

export function renderTables(result: BenchResult): string {
  const grace = result.options.grace;
  const floor = result.modes.find((mode) => mode.kind === 'floor');
  const floorRate = phase(floor ?? ({ phases: [] } as unknown as ModeResult), 'backlog')?.deliveriesPerSec;
  const out: string[] = [];
  const m = result.machine;
  out.push(
    `Run \`${result.run}\` (${result.startedAt.slice(0, 16).replace('T', ' ')} UTC), commit \`${result.git.commit.slice(0, 10)}\`${
      result.git.uncommittedInDispatcherOrPackages.length > 0 ? ` + ${result.git.uncommittedInDispatcherOrPackages.length} uncommitted file(s) in services/dispatcher or packages` : ''
    }; ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, load average at start ${m.loadavgAtStart.join(' ')}; ${
      result.infra.own ? "the bench's own Kafka and FerretDB" : 'the shared test servers'
    }. Backlog ${String(result.options.backlog)} events, target ${String(result.options.rate)} events/s for ${String(result.options.rateSeconds)} s, fan-out ${result.fanout} deliveries per event.`,
    '',
  );
  out.push(
    table(
      [
        'mode',
        'deliveries/s sustained (backlog drain)',
        '÷ floor',
        `at ${String(result.options.rate)} events/s: delivered`,
        'p50 / p95 / p99 ms, all',
        'p50 / p95 / p99 ms, first attempts',
        'at the sustainable rate: events/s, p50 / p95 / p99 ms (all)',
        'CPU, cores (backlog)',
        'CPU s per 1,000 deliveries',
        'peak RSS MiB',
        'MongoDB ops per delivery (backlog / sustainable)',
        'MongoDB round-trip ms per delivery (backlog)',
      ],
      result.modes.map((mode) => {
        const backlog = phase(mode, 'backlog');
        const target = phase(mode, 'target');
        const sustainable = phase(mode, 'sustainable');
        const cpu = subjectCpu(mode, backlog);
        const share = (target?.latencyMs?.deliveredShare ?? 0) * 100;
        return [
          mode.mode,
          fixed(backlog?.deliveriesPerSec),
          mode.kind === 'floor' || !floorRate || !backlog ? '—' : `${((backlog.deliveriesPerSec / floorRate) * 100).toFixed(1)} %`,
          target ? `${share > 99.95 ? '100' : share.toFixed(1)} % of ${target.expectedDeliveries} in ${String(grace)} s (published ${fixed(target.publishedPerSec)}/s)` : '—',
          latency(target?.latencyMs, grace),
          latency(target?.firstAttemptLatencyMs, grace),
          sustainable ? `${fixed(sustainable.publishedPerSec)}: ${latency(sustainable.latencyMs, grace)}` : 'same as target',
          fixed(subjectCores(mode, backlog), 2),
          cpu !== undefined && backlog && backlog.delivered > 0 ? ((cpu / backlog.delivered) * 1000).toFixed(2) : '—',
          mode.peakRssMiB.map((v) => v.toFixed(0)).join(' + '),
          mode.kind === 'floor' ? 'none' : `${fixed(backlog?.mongo?.opsPerDelivery, 2)} / ${fixed(sustainable?.mongo?.opsPerDelivery, 2)}`,
          mode.kind === 'floor' ? '—' : fixed(backlog?.mongo?.waitMsPerDelivery, 1),
        ];
      }),
    ),
    '',
  );
  out.push('Per phase (cores = CPU seconds ÷ wall seconds of the phase; 2 cores in all):', '');
  out.push(
    table(
      ['mode', 'phase', 'events', 'published/s', 'delivered / expected', 'deliveries/s', 'p50 / p95 / p99 ms', 'p99 ms, first attempts', 'subject cores', 'FerretDB cores', 'Kafka cores', 'receivers cores', 'bench cores', 'MongoDB ops', 'load avg after'],
      result.modes.flatMap((mode) =>
        mode.phases.map((p) => [
          mode.mode,
          p.name,
          String(p.events),
          fixed(p.publishedPerSec),
          `${p.delivered} / ${p.expectedDeliveries}`,
          fixed(p.deliveriesPerSec),
          latency(p.latencyMs, grace),
          p.firstAttemptLatencyMs ? ms(p.firstAttemptLatencyMs.p99, grace) : '—',
          fixed(p.resources.cores[mode.kind], 2),
          fixed(p.resources.cores.ferretdb, 2),
          fixed(p.resources.cores.kafka, 2),
          fixed(p.resources.cores.receivers, 2),
          fixed(p.resources.cores.orchestrator, 2),
          p.mongo ? String(p.mongo.ops) : '—',
          p.loadavgAfter[0]?.toFixed(2) ?? '—',
        ]),
      ),
    ),
    '',
  );
  const timelines = result.modes.filter((mode) => (phase(mode, 'backlog')?.timeline?.length ?? 0) > 1);
  if (timelines.length > 0) {
    out.push('Backlog drain, deliveries per second in each 10-second step:', '');
    for (const mode of timelines) out.push(`- ${mode.mode}: ${phase(mode, 'backlog')!.timeline!.join(', ')}`);
    out.push('');
  }
  const x1 = result.modes.find((mode) => mode.mode === 'dispatcher-x1');
  const x1Backlog = x1 && phase(x1, 'backlog');
  if (x1Backlog?.mongo && x1Backlog.delivered > 0) {
    out.push(`MongoDB requests of one dispatcher per delivery, backlog phase (${x1Backlog.delivered} deliveries), by command:`, '');
    out.push(
      table(
        ['command', 'requests', 'per delivery', 'mean round trip ms', 'round-trip ms per delivery'],
        Object.entries(x1Backlog.mongo.byCommand)
          .sort((a, b) => b[1].count * b[1].meanMs - a[1].count * a[1].meanMs)
          .map(([command, n]) => [command, String(n.count), (n.count / x1Backlog.delivered).toFixed(3), n.meanMs.toFixed(1), ((n.count * n.meanMs) / x1Backlog.delivered).toFixed(1)]),
      ),
      '',
    );
  }
  if (result.storeProbe && result.storeProbe.length > 0) {
    const sizes = Object.keys(result.storeProbe[0]!.medianMs);
    out.push(
      `The store alone (the bench's FerretDB, no dispatcher running): median ms of the dispatcher's query shapes on a collection of ${sizes.join(' and ')} delivery-like documents:`,
      '',
      table(['operation', ...sizes.map((size) => `${size} docs`)], result.storeProbe.map((row) => [row.operation, ...sizes.map((size) => fixed(row.medianMs[size], 1))])),
      '',
    );
  }
  const profile = x1?.profile;
  if (profile?.backlog) {
    const p = profile.backlog;
    out.push(
      `CPU profile of the single dispatcher during the backlog drain (\`--cpu-prof\`, ${p.samples} samples over ${(p.windowMs / 1000).toFixed(1)} s, ${p.idleShare} % idle; file \`${profile.file}\`, not committed). Time by part (share of the window):`,
      '',
      profileTable(p.categories, 'part'),
      '',
      'Top functions by self time (share of busy time):',
      '',
      profileTable(p.topSelfFunctions.slice(0, 20), 'function — file:line'),
      '',
      "The dispatcher's own functions by inclusive time (share of busy time; nested calls counted in each):",
      '',
      profileTable(p.dispatcherInclusive.slice(0, 15), 'function — file:line'),
      '',
    );
  }
  if (profile?.target) {
    const p = profile.target;
    out.push(
      `Same profile, target-rate phase (${(p.windowMs / 1000).toFixed(1)} s, ${p.idleShare} % idle), time by part:`,
      '',
      profileTable(p.categories, 'part'),
      '',
      'Top functions by self time:',
      '',
      profileTable(p.topSelfFunctions.slice(0, 12), 'function — file:line'),
      '',
    );
  }
  for (const mode of result.modes) for (const note of mode.notes) out.push(`- ${mode.mode}: ${note}`);
  for (const error of result.errors) out.push(`- error: ${error}`);
  return out.join('\n').trimEnd();
}

export function updatePerformanceDoc(path: string, result: BenchResult): void {
  const generated = `${START}\n<!-- generated by test/bench/report.ts from test/bench/results/${result.run}.json: do not edit by hand -->\n\n${renderTables(result)}\n\n${END}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : `# Performance\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? `${current.slice(0, start)}${generated}${current.slice(end + END.length)}` : `${current.trimEnd()}\n\n${generated}\n`;
  writeFileSync(path, next);
}

// Run directly: regenerate the doc's tables from a results file.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = process.argv[2] ?? join(here, 'results', 'latest.json');
  const result = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
  updatePerformanceDoc(join(here, '..', '..', 'docs', 'performance.md'), result);
  process.stdout.write(`${renderTables(result)}\n`);
}
