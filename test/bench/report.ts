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

const ms = (value: number | null | undefined, grace: unknown) =>
  value === null || value === undefined ? `> ${String(grace)} s` : `${Math.round(value)}`;
const fixed = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? '—' : value.toFixed(digits);
const phase = (mode: ModeResult, name: PhaseResult['name']) => mode.phases.find((p) => p.name === name);
const subjectCores = (mode: ModeResult, p: PhaseResult | undefined) => p?.resources.cores[mode.kind];
const subjectCpu = (mode: ModeResult, p: PhaseResult | undefined) => p?.resources.cpuSeconds[mode.kind];
/** The store's processes: FerretDB, and PostgreSQL when FerretDB runs on it. */
const storeGroupsOf = (result: BenchResult) => result.infra.storeGroups ?? ['ferretdb'];
const storeOf = (result: BenchResult, values: Record<string, number>) =>
  storeGroupsOf(result).reduce((sum, name) => sum + (values[name] ?? 0), 0);
/** CPU seconds per 1,000 deliveries of the mode's processes and the store together (null for the floor: it uses no store). */
function cpuPerThousandWithStore(result: BenchResult, mode: ModeResult, p: PhaseResult | undefined): number | null {
  if (!p || mode.kind === 'floor' || p.delivered === 0) return null;
  return (((p.resources.cpuSeconds[mode.kind] ?? 0) + storeOf(result, p.resources.cpuSeconds)) / p.delivered) * 1000;
}
/** Svix's server on this machine, all its processes (issue 17). */
const SVIX_CPU_PER_THOUSAND = 1.1;
const phaseLabels: Record<PhaseResult['name'], string> = {
  backlog: 'backlog',
  sustainable: 'sustainable',
  target: 'target',
  drain: 'drain',
  quiet: 'quiet tenant, no noise',
  'quiet-noisy': 'quiet tenant, noisy backlog held',
};

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function latency(l: Latency | undefined, grace: unknown): string {
  if (!l) return '—';
  return `${ms(l.p50, grace)} / ${ms(l.p95, grace)} / ${ms(l.p99, grace)}`;
}

function profileTable(rows: ProfileRow[], label: string): string {
  return table(
    [label, 'ms', '%'],
    rows.map((row) => [row.name.replace(/\|/g, '\\|'), String(row.ms), row.share.toFixed(1)]),
  );
}

export function renderTables(result: BenchResult): string {
  const grace = result.options.grace;
  const floor = result.modes.find((mode) => mode.kind === 'floor');
  const floorRate = phase(floor ?? ({ phases: [] } as unknown as ModeResult), 'backlog')?.deliveriesPerSec;
  const out: string[] = [];
  const m = result.machine;
  out.push(
    `Run \`${result.run}\` (${result.startedAt.slice(0, 16).replace('T', ' ')} UTC), commit \`${result.git.commit.slice(0, 10)}\`${
      result.git.uncommittedInDispatcherOrPackages.length > 0
        ? ` + ${result.git.uncommittedInDispatcherOrPackages.length} uncommitted file(s) in services/dispatcher or packages`
        : ''
    }; ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, load average at start ${m.loadavgAtStart.join(' ')}; ${
      result.infra.own ? "the bench's own Kafka and FerretDB" : 'the shared test servers'
    }${result.infra.mongoServer ? ` (${result.infra.mongoServer}; the store's CPU is ${storeGroupsOf(result).join(' + ')})` : ''}. Backlog ${String(result.options.backlog)} events, target ${String(result.options.rate)} events/s for ${String(result.options.rateSeconds)} s, fan-out ${result.fanout} deliveries per event.`,
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
        'CPU s per 1,000 deliveries (backlog)',
        `CPU s per 1,000 deliveries with the store: backlog / drain (Svix ≈ ${SVIX_CPU_PER_THOUSAND})`,
        'peak RSS MiB',
        Number(result.options.drain) > 0
          ? `drain of ${Number(result.options.drain) * result.fanout} deliveries: deliveries/s, max RSS MiB`
          : 'drain: deliveries/s, max RSS MiB',
        'quiet tenant, first-attempt p99 ms: without / with the noisy backlog (change)',
        'delivery log, p95 ms of the slowest query',
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
          mode.kind === 'floor' || !floorRate || !backlog
            ? '—'
            : `${((backlog.deliveriesPerSec / floorRate) * 100).toFixed(1)} %`,
          target
            ? `${share > 99.95 ? '100' : share.toFixed(1)} % of ${target.expectedDeliveries} in ${String(grace)} s (published ${fixed(target.publishedPerSec)}/s)`
            : '—',
          latency(target?.latencyMs, grace),
          latency(target?.firstAttemptLatencyMs, grace),
          sustainable
            ? `${fixed(sustainable.publishedPerSec)}: ${latency(sustainable.latencyMs, grace)}`
            : 'same as target',
          fixed(subjectCores(mode, backlog), 2),
          cpu !== undefined && backlog && backlog.delivered > 0 ? ((cpu / backlog.delivered) * 1000).toFixed(2) : '—',
          mode.kind === 'floor'
            ? '—'
            : `${fixed(cpuPerThousandWithStore(result, mode, backlog), 2)} / ${fixed(cpuPerThousandWithStore(result, mode, phase(mode, 'drain')), 2)}`,
          mode.peakRssMiB.map((v) => v.toFixed(0)).join(' + '),
          (() => {
            const drain = phase(mode, 'drain');
            return drain
              ? `${fixed(drain.deliveriesPerSec)}, ${drain.rss ? drain.rss.maxMiB.map((v) => v.toFixed(0)).join(' + ') : '—'}`
              : '—';
          })(),
          mode.noisy ? `${noisyP99s(mode)}` : '—',
          mode.deliveryLog && mode.deliveryLog.queries.length > 0
            ? `${Math.max(...mode.deliveryLog.queries.map((q) => q.p95Ms)).toFixed(0)}`
            : '—',
          mode.kind === 'floor'
            ? 'none'
            : `${fixed(backlog?.mongo?.opsPerDelivery, 2)} / ${fixed(sustainable?.mongo?.opsPerDelivery, 2)}`,
          mode.kind === 'floor' ? '—' : fixed(backlog?.mongo?.waitMsPerDelivery, 1),
        ];
      }),
    ),
    '',
  );
  out.push('Per phase (cores = CPU seconds ÷ wall seconds of the phase; 2 cores in all):', '');
  out.push(
    table(
      [
        'mode',
        'phase',
        'events',
        'published/s',
        'delivered / expected',
        'deliveries/s',
        'p50 / p95 / p99 ms',
        'p99 ms, first attempts',
        'subject cores',
        'store cores',
        'Kafka cores',
        'receivers cores',
        'bench cores',
        'CPU s per 1,000 deliveries, subject + store',
        'max RSS MiB (VmRSS every 250 ms)',
        'MongoDB ops',
        'load avg after',
      ],
      result.modes.flatMap((mode) =>
        mode.phases.map((p) => [
          mode.mode,
          phaseLabels[p.name] ?? p.name,
          String(p.events),
          fixed(p.publishedPerSec),
          `${p.delivered} / ${p.expectedDeliveries}`,
          fixed(p.deliveriesPerSec),
          latency(p.latencyMs, grace),
          p.firstAttemptLatencyMs ? ms(p.firstAttemptLatencyMs.p99, grace) : '—',
          fixed(p.resources.cores[mode.kind], 2),
          fixed(storeOf(result, p.resources.cores), 2),
          fixed(p.resources.cores.kafka, 2),
          fixed(p.resources.cores.receivers, 2),
          fixed(p.resources.cores.orchestrator, 2),
          fixed(cpuPerThousandWithStore(result, mode, p), 2),
          p.rss ? p.rss.maxMiB.map((v) => v.toFixed(0)).join(' + ') : '—',
          p.mongo ? String(p.mongo.ops) : '—',
          p.loadavgAfter[0]?.toFixed(2) ?? '—',
        ]),
      ),
    ),
    '',
  );
  if (result.infra.storeGroups) {
    out.push(
      `Store cores: ${storeGroupsOf(result).join(' + ')}. A backlog's or drain's CPU is read once the store has had no request for 1 s after the last delivery (the writes recording it included).`,
      '',
    );
  }
  const timelines = result.modes.filter((mode) => (phase(mode, 'backlog')?.timeline?.length ?? 0) > 1);
  if (timelines.length > 0) {
    out.push('Backlog drain, deliveries per second in each 10-second step:', '');
    for (const mode of timelines) out.push(`- ${mode.mode}: ${phase(mode, 'backlog')!.timeline!.join(', ')}`);
    out.push('');
  }
  out.push(...cpuSection(result), ...drainSection(result), ...noisySection(result), ...deliveryLogSection(result));
  const x1 = result.modes.find((mode) => mode.mode === 'dispatcher-x1');
  const x1Backlog = x1 && phase(x1, 'backlog');
  if (x1Backlog?.mongo && x1Backlog.delivered > 0) {
    out.push(
      `MongoDB requests of one dispatcher per delivery, backlog phase (${x1Backlog.delivered} deliveries), by command:`,
      '',
    );
    out.push(
      table(
        ['command', 'requests', 'per delivery', 'mean round trip ms', 'round-trip ms per delivery'],
        Object.entries(x1Backlog.mongo.byCommand)
          .sort((a, b) => b[1].count * b[1].meanMs - a[1].count * a[1].meanMs)
          .map(([command, n]) => [
            command,
            String(n.count),
            (n.count / x1Backlog.delivered).toFixed(3),
            n.meanMs.toFixed(1),
            ((n.count * n.meanMs) / x1Backlog.delivered).toFixed(1),
          ]),
      ),
      '',
    );
  }
  if (result.storeProbe && result.storeProbe.length > 0) {
    const sizes = Object.keys(result.storeProbe[0]!.medianMs);
    out.push(
      `The store alone (the bench's FerretDB, no dispatcher running): median ms of the dispatcher's query shapes on a collection of ${sizes.join(' and ')} delivery-like documents:`,
      '',
      table(
        ['operation', ...sizes.map((size) => `${size} docs`)],
        result.storeProbe.map((row) => [row.operation, ...sizes.map((size) => fixed(row.medianMs[size], 1))]),
      ),
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
  for (const note of result.infra.notes ?? []) out.push(`- servers: ${note}`);
  for (const mode of result.modes)
    for (const p of mode.phases)
      if (p.stoppedWaiting) out.push(`- ${mode.mode}, ${p.name}: stopped waiting ${p.stoppedWaiting}`);
  for (const mode of result.modes) for (const note of mode.notes) out.push(`- ${mode.mode}: ${note}`);
  for (const error of result.errors) out.push(`- error: ${error}`);
  return out.join('\n').trimEnd();
}

function noisyP99s(mode: ModeResult): string {
  const p99 = (name: PhaseResult['name']) => phase(mode, name)?.firstAttemptLatencyMs?.p99;
  const delta = mode.noisy?.firstAttemptP99DeltaMs;
  return `${fixed(p99('quiet'))} / ${fixed(p99('quiet-noisy'))} (${delta === null || delta === undefined ? '—' : `${delta > 0 ? '+' : ''}${delta.toFixed(0)}`})`;
}

/** CPU per 1,000 deliveries of the dispatcher and the store together, beside Svix's. */
function cpuSection(result: BenchResult): string[] {
  const rows = result.modes
    .filter((mode) => mode.kind === 'dispatcher')
    .flatMap((mode) =>
      (['backlog', 'drain'] as const)
        .map((name) => phase(mode, name))
        .filter((p): p is PhaseResult => p !== undefined && p.delivered > 0)
        .map((p) => {
          const dispatcher = p.resources.cpuSeconds[mode.kind] ?? 0;
          const store = storeOf(result, p.resources.cpuSeconds);
          return [
            mode.mode,
            p.name,
            String(p.delivered),
            dispatcher.toFixed(1),
            store.toFixed(1),
            ((dispatcher / p.delivered) * 1000).toFixed(2),
            ((store / p.delivered) * 1000).toFixed(2),
            (((dispatcher + store) / p.delivered) * 1000).toFixed(2),
          ];
        }),
    );
  if (rows.length === 0) return [];
  return [
    `CPU seconds per 1,000 deliveries, the dispatcher and the store (${storeGroupsOf(result).join(' + ')}) together; Svix on this machine: ≈ ${SVIX_CPU_PER_THOUSAND} for all its processes (server, PostgreSQL, Redis). Kafka, the receivers and the bench are left out of both sides' figures here:`,
    '',
    table(
      [
        'mode',
        'phase',
        'deliveries',
        'dispatcher CPU s',
        'store CPU s',
        'dispatcher per 1,000',
        'store per 1,000',
        'dispatcher + store per 1,000',
      ],
      rows,
    ),
    '',
  ];
}

function drainSection(result: BenchResult): string[] {
  const out: string[] = [];
  for (const mode of result.modes) {
    const drain = phase(mode, 'drain');
    if (!drain) continue;
    const dispatcher = drain.resources.cpuSeconds[mode.kind] ?? 0;
    out.push(
      `Drain of ${drain.events} events (${drain.expectedDeliveries} deliveries) published at once, ${mode.mode}, after the phases above (deliveries/s: the slope between 5 % and 95 % received; RSS: VmRSS every ${drain.rss?.intervalMs ?? 250} ms, ${drain.rss?.samples ?? 0} samples; aim: under 300 MiB while draining):`,
      '',
      table(
        [
          'delivered / expected',
          'deliveries/s',
          'drained in s',
          'published/s',
          'RSS MiB before',
          'max RSS MiB while draining',
          'peak RSS MiB (VmHWM, whole run)',
          'dispatcher cores',
          'store cores',
          'CPU s per 1,000: dispatcher / with the store',
        ],
        [
          [
            `${drain.delivered} / ${drain.expectedDeliveries}`,
            fixed(drain.deliveriesPerSec),
            fixed(drain.drainSeconds, 1),
            fixed(drain.publishedPerSec),
            drain.rss?.startMiB ? drain.rss.startMiB.map((v) => v.toFixed(0)).join(' + ') : '—',
            drain.rss ? drain.rss.maxMiB.map((v) => v.toFixed(0)).join(' + ') : '—',
            mode.peakRssMiB.map((v) => v.toFixed(0)).join(' + '),
            fixed(drain.resources.cores[mode.kind], 2),
            fixed(storeOf(result, drain.resources.cores), 2),
            drain.delivered > 0
              ? `${((dispatcher / drain.delivered) * 1000).toFixed(2)} / ${fixed(cpuPerThousandWithStore(result, mode, drain), 2)}`
              : '—',
          ],
        ],
      ),
      '',
    );
    if ((drain.timeline?.length ?? 0) > 1)
      out.push(`Deliveries per second in each 10-second step of the drain: ${drain.timeline!.join(', ')}`, '');
  }
  return out;
}

const commands = (p: PhaseResult | undefined) =>
  p?.mongo
    ? Object.entries(p.mongo.byCommand)
        .sort((a, b) => b[1].count - a[1].count)
        .map(([command, n]) => `${command} ${n.count} (${n.meanMs.toFixed(0)})`)
        .join(', ')
    : '—';
const gauges = (values: Record<string, number>) =>
  Object.keys(values).length === 0
    ? 'not read'
    : Object.entries(values)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ');

function noisySection(result: BenchResult): string[] {
  const out: string[] = [];
  const grace = result.options.grace;
  for (const mode of result.modes) {
    const noisy = mode.noisy;
    if (!noisy) continue;
    const seconds = (value: number | null) =>
      value === null ? 'not at all (see the notes below)' : `after ${value.toFixed(1)} s`;
    const ingest = noisy.ingest;
    out.push(
      `Noisy tenant, ${mode.mode}: a second tenant with one connection (every event type) to a receiver answering 200 after ${(noisy.receiver.delayMs / 1000).toFixed(0)} s (\`maxInFlight\` ${noisy.receiver.maxInFlight}, timeout ${(noisy.receiver.timeoutMs / 1000).toFixed(0)} s). Its ${noisy.events} events (one delivery each) were published in ${noisy.publishSeconds.toFixed(1)} s; the dispatcher had handed them all off (its ingest group committed every event) ${seconds(noisy.handedOffSeconds)} and settled them all (its deliveries group committed every hand-off: each delivery in its lane and stored pending) ${seconds(noisy.settledSeconds)} from the first publish. During that ingest (${ingest.seconds.toFixed(0)} s): dispatcher ${fixed(ingest.resources.cores[mode.kind], 2)} cores, store ${fixed(storeOf(result, ingest.resources.cores), 2)} cores, ${ingest.mongoOps} MongoDB requests, RSS at most ${ingest.rss ? ingest.rss.maxMiB.map((v) => v.toFixed(0)).join(' + ') : '—'} MiB. Then the quiet tenant's ${String(result.options.quietRate)} events/s (${Number(result.options.quietRate) * result.fanout} deliveries/s to its 9 connections) for ${String(result.options.quietSeconds)} s, without and with that backlog (aim: its first-attempt p99 changes by less than 50 ms):`,
      '',
    );
    const rows = (['quiet', 'quiet-noisy'] as const)
      .map((name) => phase(mode, name))
      .filter((p): p is PhaseResult => p !== undefined)
      .map((p) => [
        p.name === 'quiet' ? 'without the noisy backlog' : `with ${noisy.events} noisy deliveries held`,
        fixed(p.publishedPerSec),
        `${p.delivered} / ${p.expectedDeliveries}`,
        latency(p.firstAttemptLatencyMs, grace),
        latency(p.latencyMs, grace),
        fixed(p.resources.cores[mode.kind], 2),
        fixed(storeOf(result, p.resources.cores), 2),
        p.rss ? p.rss.maxMiB.map((v) => v.toFixed(0)).join(' + ') : '—',
      ]);
    out.push(
      table(
        [
          'quiet tenant',
          'events/s',
          'delivered / expected',
          'first attempts p50 / p95 / p99 ms',
          'all p50 / p95 / p99 ms',
          'dispatcher cores',
          'store cores',
          'max RSS MiB',
        ],
        rows,
      ),
      '',
      `MongoDB requests of the dispatcher (mean round trip ms) without the backlog: ${commands(phase(mode, 'quiet'))}; with it: ${commands(phase(mode, 'quiet-noisy'))}.`,
      '',
      `Change of the quiet tenant's first-attempt p99 with the backlog: ${noisy.firstAttemptP99DeltaMs === null ? '—' : `${noisy.firstAttemptP99DeltaMs > 0 ? '+' : ''}${noisy.firstAttemptP99DeltaMs.toFixed(0)} ms`}. The noisy receiver answered ${noisy.noisyRequests.answered} requests from the first noisy publish to the end (${noisy.noisyRequests.duringQuietNoisy} during the quiet phase with the backlog), held at most ${noisy.noisyRequests.peakAtOnce} at once (its connection's limit: ${noisy.receiver.maxInFlight}). The dispatcher's gauges once settled: ${gauges(noisy.gauges.atSettled)}; at the end: ${gauges(noisy.gauges.atEnd)} (\`/metrics\` answered in ${noisy.scrapeMs.atSettled} and ${noisy.scrapeMs.atEnd} ms: its gauges count the store at each scrape).`,
      '',
    );
  }
  return out;
}

function deliveryLogSection(result: BenchResult): string[] {
  const out: string[] = [];
  for (const mode of result.modes) {
    const log = mode.deliveryLog;
    if (!log) continue;
    const tenants = Object.entries(log.stored.byTenant)
      .map(
        ([label, t]) =>
          `${label} tenant ${t.total ?? '?'} (${Object.entries(t.byStatus)
            .map(([status, n]) => `${status} ${n}`)
            .join(', ')})`,
      )
      .join('; ');
    const stored =
      log.stored.total === null
        ? `an uncounted number of deliveries stored (the count got no answer in ${fixed(log.stored.countSeconds)} s)`
        : `${log.stored.total} deliveries stored (${tenants}; counted in ${fixed(log.stored.countSeconds, 1)} s)`;
    out.push(
      `The delivery log through the API, ${mode.mode}, last, with ${stored}: \`GET /v1/deliveries?limit=50\` first page, up to ${log.requestsPerQuery} requests one after another per query (fewer when a query's time budget, ${String(result.options.deliveryLogBudget ?? '—')} s, was spent; p95: nearest rank), aim: p95 under 500 ms with 100,000 stored:`,
      '',
      table(
        ['tenant', 'query', 'deliveries matching', 'rows', 'requests', 'p50 ms', 'p95 ms', 'max ms'],
        log.queries.map((q) => [
          q.tenant,
          q.errors.length > 0 ? `${q.query} (errors: ${q.errors.join('; ').replace(/\|/g, '\\|')})` : q.query,
          q.matching === null ? '—' : String(q.matching),
          String(q.rows),
          String(q.requests ?? '—'),
          q.p50Ms.toFixed(0),
          q.p95Ms.toFixed(0),
          q.maxMs.toFixed(0),
        ]),
      ),
      '',
      ...(log.skipped
        ? [`Not made (a request before them got no answer in 300 s): ${log.skipped.join(', ')}.`, '']
        : []),
    );
  }
  return out;
}

export function updatePerformanceDoc(path: string, result: BenchResult): void {
  const generated = `${START}\n<!-- generated by test/bench/report.ts from test/bench/results/${result.run}.json: do not edit by hand -->\n\n${renderTables(result)}\n\n${END}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : `# Performance\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${generated}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n${generated}\n`;
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
