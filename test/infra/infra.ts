// Provisions the real servers the integration tests run against:
// Apache Kafka (KRaft, single node) from Maven Central jars, and FerretDB
// (MongoDB wire protocol) built from the Go module proxy, on SQLite or on
// PostgreSQL from Debian (HOOKLINE_MONGO_SERVER). Downloads and builds are
// cached under the user's cache directory; runtime state (data, logs, pid
// files) lives in <repo>/.hookline/infra.
import { spawn, execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { cp, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { createServer, connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { withDirectoryLock } from './lock.js';

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

export const KAFKA_VERSION = '4.4.0';
export const FERRETDB_VERSION = 'v1.24.0';
/** Documented default ports; a busy port is replaced by a free one. */
export const DEFAULT_KAFKA_PORT = 39092;
export const DEFAULT_MONGO_PORT = 37017;
export const DEFAULT_POSTGRES_PORT = 35432;

/**
 * The MongoDB-compatible servers test/infra runs: FerretDB on SQLite (a file
 * per database, nothing else to install) or on PostgreSQL (Debian's package).
 * HOOKLINE_MONGO_SERVER picks one for the shared instance and for any
 * instance that does not name its own.
 */
export const MONGO_SERVERS = ['ferretdb-sqlite', 'ferretdb-postgresql'] as const;
export type MongoServer = (typeof MONGO_SERVERS)[number];
export const DEFAULT_MONGO_SERVER: MongoServer = 'ferretdb-sqlite';

export function selectedMongoServer(value = process.env.HOOKLINE_MONGO_SERVER): MongoServer {
  if (!value) return DEFAULT_MONGO_SERVER;
  if ((MONGO_SERVERS as readonly string[]).includes(value)) return value as MongoServer;
  throw new Error(`HOOKLINE_MONGO_SERVER must be one of ${MONGO_SERVERS.join(', ')}; got '${value}'`);
}

/** FerretDB as test/infra builds it (with ferretdb/<version>.patch), or as released, to measure what the patch changes. */
export type FerretDBBuild = 'patched' | 'unpatched';

export const cacheRoot =
  process.env.HOOKLINE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hookline');
export const stateRoot = process.env.HOOKLINE_INFRA_DIR ?? join(repoRoot, '.hookline', 'infra');

type Log = (line: string) => void;

/**
 * One Kafka + FerretDB pair (and FerretDB's PostgreSQL, on that backend):
 * where its state lives and the ports it prefers. The default instance is the
 * one every test project shares; a test that stops or restarts servers
 * (test/faults) runs an instance of its own.
 */
export interface InfraInstance {
  /** Data, logs, pid and port files of every server. */
  stateDir: string;
  kafkaPort: number;
  mongoPort: number;
  /** PostgreSQL's port (ferretdb-postgresql); without one, the port it had before, else a free one. */
  postgresPort?: number;
  /** Without one, HOOKLINE_MONGO_SERVER (default ferretdb-sqlite). */
  mongoServer?: MongoServer;
  /** Default 'patched'. */
  ferretdbBuild?: FerretDBBuild;
}

export const defaultInstance: InfraInstance = {
  stateDir: stateRoot,
  kafkaPort: Number(process.env.HOOKLINE_KAFKA_PORT ?? DEFAULT_KAFKA_PORT),
  mongoPort: Number(process.env.HOOKLINE_MONGO_PORT ?? DEFAULT_MONGO_PORT),
  postgresPort: Number(process.env.HOOKLINE_POSTGRES_PORT ?? DEFAULT_POSTGRES_PORT),
};

export type ServerName = 'kafka' | 'ferretdb' | 'postgresql';

const defaultLog: Log = (line) => process.stderr.write(`[infra] ${line}\n`);

export interface InfraEndpoints {
  kafkaBrokers: string;
  mongodbUri: string;
  /** Servers this call started (and that the caller should stop). */
  started: { kafka: boolean; mongo: boolean };
}

interface ServerState {
  pid: number;
  port: number;
  controllerPort?: number;
  /** FerretDB: which server and build runs, and the PostgreSQL port it was started against. */
  server?: MongoServer;
  build?: FerretDBBuild;
  postgresPort?: number;
}

// ---------- small helpers ----------

async function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  try {
    return await execFileAsync(cmd, args, { ...opts, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`.slice(0, 8000));
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] is the state, [1] the parent pid. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed process whose parent has not reaped it yet is a zombie: gone for our purposes.
  return procStat(pid)?.[0] !== 'Z';
}

/** Processes whose parent is `pid` (PostgreSQL's backends and helpers). */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (procStat(Number(entry))?.[1] === String(pid)) children.push(Number(entry));
  }
  return children;
}

/** utime + stime + cutime + cstime: the process's CPU and that of its children it has waited for. */
function cpuTicks(pid: number): number {
  const fields = procStat(pid);
  return fields ? [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0) : 0;
}

function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      // A port in the ephemeral range with no listener can "answer" a connection from itself
      // (TCP simultaneous open): that is a free port, not a server (it made a restart move once).
      const selfConnected = socket.localPort === port;
      socket.destroy();
      resolve(!selfConnected);
    });
    socket.once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The preferred port, unless a server keeps answering on it for 2 s (a restart must come back on its own port). */
async function choosePort(preferred: number): Promise<number> {
  for (let tries = 0; tries < 10; tries++) {
    if (!(await portAnswers(preferred))) return preferred;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return freePort();
}

async function readState(
  name: ServerName,
  instance: InfraInstance = defaultInstance,
): Promise<ServerState | undefined> {
  try {
    const state = JSON.parse(
      await readFile(join(instance.stateDir, name, 'server.json'), 'utf8'),
    ) as Partial<ServerState>;
    return typeof state.pid === 'number' && typeof state.port === 'number' ? (state as ServerState) : undefined;
  } catch {
    return undefined;
  }
}

async function writeState(name: ServerName, state: ServerState, instance: InfraInstance) {
  await writeFile(join(instance.stateDir, name, 'server.json'), JSON.stringify(state));
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logFile: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = existsSync(logFile) ? (await readFile(logFile, 'utf8')).slice(-3000) : '(no log)';
  throw new Error(`${what} did not become ready within ${timeoutMs} ms; log ${logFile}:\n${tail}`);
}

/** Starts a detached server whose output goes to a log file; it outlives this process. */
function spawnDetached(cmd: string, args: string[], logFile: string, cwd: string): number {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  return child.pid;
}

async function stopPid(pid: number, log: Log, name: string, signal: 'SIGTERM' | 'SIGINT' | 'SIGKILL' = 'SIGTERM') {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) {
    log(`${name} (pid ${pid}) ignored ${signal} for 30 s; killing`);
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  }
}

/** Parallel runs take turns. */
function withLock<T>(fn: () => Promise<T>, instance: InfraInstance = defaultInstance): Promise<T> {
  return withDirectoryLock(join(instance.stateDir, 'lock'), fn, 15 * 60_000);
}

// ---------- Kafka ----------

export async function installKafka(log: Log = defaultLog): Promise<string> {
  const dir = join(cacheRoot, `kafka-${KAFKA_VERSION}`);
  const libs = join(dir, 'libs');
  if (existsSync(join(dir, '.complete'))) return libs;
  const t0 = Date.now();
  log(`resolving Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs}`);
  await mkdir(dir, { recursive: true });
  await run('mvn', [
    '-q',
    '-B',
    '-f',
    join(here, 'pom.xml'),
    `-Dkafka.version=${KAFKA_VERSION}`,
    'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
    `-DoutputDirectory=${libs}`,
    '-DincludeScope=runtime',
  ]);
  await writeFile(join(dir, '.complete'), new Date().toISOString());
  log(`Kafka jars ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return libs;
}

function kafkaProperties(dataDir: string, port: number, controllerPort: number) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    // A single node: every internal topic has one replica; few partitions start fast.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=5',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=5',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    '',
  ].join('\n');
}

async function kafkaReady(port: number): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'hookline-infra',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    // Loads the group coordinator (creates __consumer_offsets) so the first test's
    // consumer group does not meet "coordinator is loading".
    await admin.describeGroups(['hookline-infra-warmup']);
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function startKafka(
  log: Log = defaultLog,
  instance: InfraInstance = defaultInstance,
): Promise<{ brokers: string; started: boolean }> {
  const dir = join(instance.stateDir, 'kafka');
  const logFile = join(dir, 'kafka.log');
  await mkdir(dir, { recursive: true });
  const previous = await readState('kafka', instance);
  if (previous && isAlive(previous.pid) && (await portAnswers(previous.port))) {
    await waitFor('Kafka', () => kafkaReady(previous.port), 60_000, logFile);
    return { brokers: `127.0.0.1:${previous.port}`, started: false };
  }
  const libs = await installKafka(log);
  const t0 = Date.now();
  const port = await choosePort(instance.kafkaPort);
  const controllerPort = await choosePort(port + 1);
  const dataDir = join(dir, 'data');
  // The KRaft voter set records the controller address: new ports need new storage.
  if (!previous || previous.port !== port || previous.controllerPort !== controllerPort) {
    await rm(dataDir, { recursive: true, force: true });
  }
  const propsFile = join(dir, 'server.properties');
  await writeFile(propsFile, kafkaProperties(dataDir, port, controllerPort));
  const java = ['-cp', `${libs}/*`];
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const clusterId = randomBytes(16).toString('base64url');
    await run('java', [
      ...java,
      'kafka.tools.StorageTool',
      'format',
      `--cluster-id=${clusterId}`,
      '-c',
      propsFile,
      '--standalone',
    ]);
  }
  const pid = spawnDetached(
    'java',
    [
      '-Xms256m',
      '-Xmx1g',
      '-XX:+UseG1GC',
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`,
      ...java,
      'kafka.Kafka',
      propsFile,
    ],
    logFile,
    dir,
  );
  await writeState('kafka', { pid, port, controllerPort }, instance);
  await waitFor('Kafka', () => kafkaReady(port), 120_000, logFile);
  log(`Kafka ${KAFKA_VERSION} up on 127.0.0.1:${port} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log ${logFile})`);
  return { brokers: `127.0.0.1:${port}`, started: true };
}

// ---------- FerretDB ----------

/** Fixes applied to FerretDB's source before building: see the file's header. */
export const FERRETDB_PATCH = join(here, 'ferretdb', `${FERRETDB_VERSION}.patch`);

export async function installFerretDB(log: Log = defaultLog, build: FerretDBBuild = 'patched'): Promise<string> {
  // A changed patch builds a new binary beside the old one.
  const patchHash = createHash('sha256')
    .update(await readFile(FERRETDB_PATCH))
    .digest('hex')
    .slice(0, 8);
  const dir = join(cacheRoot, `ferretdb-${FERRETDB_VERSION}-${build === 'patched' ? patchHash : 'unpatched'}`);
  const binary = join(dir, 'ferretdb');
  if (existsSync(join(dir, '.complete'))) return binary;
  return withDirectoryLock(
    `${dir}.lock`,
    async () => {
      if (existsSync(join(dir, '.complete'))) return binary;
      const t0 = Date.now();
      log(`downloading and building FerretDB ${FERRETDB_VERSION} (${build}) from the Go module proxy into ${dir}`);
      const { stdout } = await run('go', [
        'mod',
        'download',
        '-json',
        `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`,
      ]);
      const moduleDir = (JSON.parse(stdout) as { Dir?: string }).Dir;
      if (!moduleDir) throw new Error(`go mod download gave no module directory: ${stdout}`);
      // The module cache is read-only: build from a writable copy.
      const src = join(dir, 'src');
      await rm(src, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await cp(moduleDir, src, { recursive: true });
      await run('chmod', ['-R', 'u+w', src]);
      await writeFile(join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
      if (build === 'patched') await run('git', ['apply', FERRETDB_PATCH], { cwd: src });
      await run('go', ['build', '-trimpath', '-buildvcs=false', '-o', binary, './cmd/ferretdb'], {
        cwd: src,
        env: { ...process.env, CGO_ENABLED: '0' },
      });
      await chmod(binary, 0o755);
      await rm(src, { recursive: true, force: true });
      await writeFile(join(dir, '.complete'), new Date().toISOString());
      log(`FerretDB built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return binary;
    },
    15 * 60_000,
  );
}

async function mongoReady(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close().catch(() => undefined);
  }
}

const serverOf = (instance: InfraInstance): MongoServer => instance.mongoServer ?? selectedMongoServer();

/**
 * Starts (or reuses) the instance's FerretDB on its backend; on PostgreSQL,
 * PostgreSQL first. `started` says whether either was started by this call.
 */
export async function startFerretDB(
  log: Log = defaultLog,
  instance: InfraInstance = defaultInstance,
): Promise<{ uri: string; started: boolean }> {
  const server = serverOf(instance);
  const build = instance.ferretdbBuild ?? 'patched';
  const dir = join(instance.stateDir, 'ferretdb');
  const logFile = join(dir, 'ferretdb.log');
  await mkdir(join(dir, 'data'), { recursive: true });
  await mkdir(join(dir, 'ferretdb-state'), { recursive: true });
  const postgres = server === 'ferretdb-postgresql' ? await startPostgreSQL(log, instance) : undefined;
  const previous = await readState('ferretdb', instance);
  if (previous && isAlive(previous.pid) && (await portAnswers(previous.port))) {
    const running = `${previous.server ?? DEFAULT_MONGO_SERVER} (${previous.build ?? 'patched'} build)`;
    if (running !== `${server} (${build} build)`) {
      throw new Error(
        `${instance.stateDir} runs ${running}, not the ${server} (${build} build) asked for: stop it first (npm run infra:stop, or stopServer)`,
      );
    }
    if (!postgres || previous.postgresPort === postgres.port) {
      const uri = `mongodb://127.0.0.1:${previous.port}/`;
      await waitFor('FerretDB', () => mongoReady(uri), 30_000, logFile);
      return { uri, started: postgres?.started ?? false };
    }
    log(`PostgreSQL came back on port ${postgres.port}, not ${previous.postgresPort}: restarting FerretDB`);
    await stopPid(previous.pid, log, 'ferretdb');
  }
  const binary = await installFerretDB(log, build);
  const t0 = Date.now();
  const port = await choosePort(instance.mongoPort);
  const debugPort = await freePort();
  const backend = postgres
    ? ['--handler=postgresql', `--postgresql-url=postgres://postgres@127.0.0.1:${postgres.port}/${POSTGRES_DATABASE}`]
    : [
        '--handler=sqlite',
        // WAL without an fsync per commit, as MongoDB acknowledges a write before its
        // journal is flushed (every 100 ms): a killed server loses nothing committed,
        // an operating-system crash may lose the last moments.
        `--sqlite-url=file:${join(dir, 'data')}/?_pragma=synchronous(normal)`,
      ];
  const pid = spawnDetached(
    binary,
    [
      ...backend,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      `--state-dir=${join(dir, 'ferretdb-state')}`,
      '--telemetry=disable',
      '--log-level=warn',
    ],
    logFile,
    dir,
  );
  await writeState(
    'ferretdb',
    { pid, port, server, build, ...(postgres ? { postgresPort: postgres.port } : {}) },
    instance,
  );
  const uri = `mongodb://127.0.0.1:${port}/`;
  await waitFor('FerretDB', () => mongoReady(uri), 60_000, logFile);
  const on = postgres ? `PostgreSQL on 127.0.0.1:${postgres.port}` : 'SQLite';
  log(
    `FerretDB ${FERRETDB_VERSION}${build === 'patched' ? '' : ' (unpatched)'} on ${on} up on 127.0.0.1:${port} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log ${logFile})`,
  );
  return { uri, started: true };
}

// ---------- PostgreSQL, FerretDB's storage on ferretdb-postgresql ----------

/** The database FerretDB keeps every MongoDB database in (one schema each). */
const POSTGRES_DATABASE = 'ferretdb';

/**
 * The tests' PostgreSQL settings. Commits do not wait for their WAL to be
 * flushed (synchronous_commit=off; the WAL writer flushes every 50 ms), like
 * MongoDB acknowledging a write before its journal is flushed (every 100 ms)
 * and like the SQLite backend's synchronous=normal: a killed FerretDB loses
 * nothing (PostgreSQL has every commit), a killed PostgreSQL or an
 * operating-system crash may lose the last ≤ 150 ms of commits (3 ×
 * wal_writer_delay), never consistency (fsync stays on).
 */
const postgresSettings = [
  'listen_addresses=127.0.0.1',
  // TCP only: the default socket directory may not be writable, and a deep state directory is too long for a socket path.
  'unix_socket_directories=',
  'synchronous_commit=off',
  'wal_writer_delay=50ms',
  // FerretDB keeps up to 50 connections per user (pool_max_conns); room for psql besides.
  'max_connections=100',
].flatMap((setting) => ['-c', setting]);

/** Debian's PostgreSQL binaries (the newest major installed), or HOOKLINE_POSTGRES_BIN. */
function findPostgresBin(): string | undefined {
  if (process.env.HOOKLINE_POSTGRES_BIN) return process.env.HOOKLINE_POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((major) => /^\d+$/.test(major) && existsSync(join(root, major, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : undefined;
}

const isRoot = () => process.getuid?.() === 0;

/** Installs Debian's postgresql package when no PostgreSQL is there (root only); returns the binaries' directory. */
export async function installPostgreSQL(log: Log = defaultLog): Promise<string> {
  const found = findPostgresBin();
  if (found) return found;
  if (!isRoot()) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/<major>/bin/postgres) and only root can install it: run `apt-get install postgresql` as root, or set HOOKLINE_POSTGRES_BIN to a directory holding postgres, initdb and psql',
    );
  }
  return withDirectoryLock(
    join(cacheRoot, 'postgresql-install.lock'),
    async () => {
      const again = findPostgresBin();
      if (again) return again;
      const t0 = Date.now();
      log('installing PostgreSQL from Debian: apt-get update && apt-get install postgresql');
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      await run('apt-get', ['update'], { env });
      await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { env });
      const bin = findPostgresBin();
      if (!bin)
        throw new Error('apt-get installed postgresql, yet there is no /usr/lib/postgresql/<major>/bin/postgres');
      log(`PostgreSQL installed in ${((Date.now() - t0) / 1000).toFixed(1)} s (${bin})`);
      return bin;
    },
    15 * 60_000,
  );
}

/** PostgreSQL refuses to run as root: as root, its server and initdb run as Debian's `postgres` user (setpriv execs, so the pid is the server's). */
function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
  return isRoot()
    ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]]
    : [cmd, args];
}

function psql(bin: string, port: number, sql: string, database = 'postgres') {
  return run(join(bin, 'psql'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'postgres',
    '-d',
    database,
    '-X',
    '-v',
    'ON_ERROR_STOP=1',
    '-tAc',
    sql,
  ]);
}

export async function startPostgreSQL(
  log: Log = defaultLog,
  instance: InfraInstance = defaultInstance,
): Promise<{ port: number; started: boolean }> {
  const dir = join(instance.stateDir, 'postgresql');
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgresql.log');
  await mkdir(dir, { recursive: true });
  const bin = await installPostgreSQL(log);
  const ready = (port: number) => psql(bin, port, 'SELECT 1').then(() => true);
  const previous = await readState('postgresql', instance);
  if (previous && isAlive(previous.pid) && (await portAnswers(previous.port))) {
    await waitFor('PostgreSQL', () => ready(previous.port), 60_000, logFile);
    return { port: previous.port, started: false };
  }
  const t0 = Date.now();
  // The port it had (a restarted server keeps its address), else the instance's, else any.
  const preferred = previous?.port ?? instance.postgresPort;
  const port = preferred ? await choosePort(preferred) : await freePort();
  if (isRoot()) await run('chown', ['postgres:postgres', dir]);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await rm(dataDir, { recursive: true, force: true });
    // C locale: text compares byte by byte, as MongoDB compares strings (FerretDB accepts C, POSIX, C.UTF8, en_US.UTF8).
    const [initdb, initdbArgs] = asPostgresUser(join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    await run(initdb, initdbArgs, { cwd: dir }).catch((error: Error) => {
      throw new Error(
        `${error.message}\n(as root, initdb runs as the postgres user, who must be able to reach ${dir}: every parent directory needs o+x)`,
      );
    });
  }
  // A crash leaves postmaster.pid behind; PostgreSQL sees its process is gone and recovers from the WAL.
  const [cmd, args] = asPostgresUser(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), ...postgresSettings]);
  const pid = spawnDetached(cmd, args, logFile, dir);
  await writeState('postgresql', { pid, port }, instance);
  await waitFor('PostgreSQL', () => ready(port), 120_000, logFile);
  const exists =
    (await psql(bin, port, `SELECT 1 FROM pg_database WHERE datname = '${POSTGRES_DATABASE}'`)).stdout.trim() === '1';
  if (!exists)
    await psql(
      bin,
      port,
      `CREATE DATABASE ${POSTGRES_DATABASE} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
    );
  const version = (await psql(bin, port, 'SHOW server_version')).stdout.trim();
  log(`PostgreSQL ${version} up on 127.0.0.1:${port} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log ${logFile})`);
  return { port, started: true };
}

// ---------- all ----------

/**
 * Makes sure the servers run. KAFKA_BROKERS / MONGODB_URI, when set, name
 * servers to use instead: then nothing is started for them.
 */
export async function ensureInfra(log: Log = defaultLog): Promise<InfraEndpoints> {
  return withLock(async () => {
    const server = selectedMongoServer();
    // Install first (the installs are independent and the slow part on a cold machine).
    await Promise.all([
      process.env.KAFKA_BROKERS ? undefined : installKafka(log),
      process.env.MONGODB_URI ? undefined : installFerretDB(log),
      process.env.MONGODB_URI || server !== 'ferretdb-postgresql' ? undefined : installPostgreSQL(log),
    ]);
    const [kafka, mongo] = await Promise.all([
      process.env.KAFKA_BROKERS ? { brokers: process.env.KAFKA_BROKERS, started: false } : startKafka(log),
      process.env.MONGODB_URI ? { uri: process.env.MONGODB_URI, started: false } : startFerretDB(log),
    ]);
    return {
      kafkaBrokers: kafka.brokers,
      mongodbUri: mongo.uri,
      started: { kafka: kafka.started, mongo: mongo.started },
    };
  });
}

/** Stops the shared instance's servers (`mongo`: FerretDB, then its PostgreSQL if one runs). */
export async function stopInfra(
  which: { kafka: boolean; mongo: boolean } = { kafka: true, mongo: true },
  log: Log = defaultLog,
) {
  await withLock(async () => {
    const names: ServerName[] = [
      ...(which.kafka ? ['kafka' as const] : []),
      ...(which.mongo ? ['ferretdb' as const, 'postgresql' as const] : []),
    ];
    for (const name of names) if (await stopServer(defaultInstance, name, 'SIGTERM', log)) log(`${name} stopped`);
  });
}

export async function infraStatus(instance: InfraInstance = defaultInstance) {
  const result: Record<string, unknown> = {};
  for (const name of ['kafka', 'ferretdb', 'postgresql'] as const) {
    const state = await readState(name, instance);
    result[name] = state
      ? { ...state, running: isAlive(state.pid) && (await portAnswers(state.port)) }
      : { running: false };
  }
  const ferretdb = result.ferretdb as { running: boolean; server?: MongoServer };
  // What runs, and what a start would run (HOOKLINE_MONGO_SERVER).
  return {
    mongoServer: {
      running: ferretdb.running ? (ferretdb.server ?? DEFAULT_MONGO_SERVER) : null,
      selected: serverOf(instance),
    },
    ...result,
  };
}

/**
 * CPU seconds a server of `instance` has used so far, the processes it started
 * included: PostgreSQL works in one backend process per connection, so its
 * figure is the postmaster's, its live children's and those it has reaped.
 */
export async function serverCpuSeconds(instance: InfraInstance, name: ServerName): Promise<number | undefined> {
  const state = await readState(name, instance);
  if (!state || !isAlive(state.pid)) return undefined;
  const ticks =
    cpuTicks(state.pid) +
    (name === 'postgresql' ? childPids(state.pid).reduce((sum, pid) => sum + cpuTicks(pid), 0) : 0);
  return ticks / 100; // USER_HZ
}

// ---------- an instance of one's own: start, stop and restart each server ----------

/** Starts (or reuses) the servers of `instance`; always its own servers, whatever KAFKA_BROKERS / MONGODB_URI say. */
export async function startInstance(
  instance: InfraInstance,
  log: Log = defaultLog,
): Promise<{ kafkaBrokers: string; mongodbUri: string }> {
  return withLock(async () => {
    const [kafka, mongo] = await Promise.all([startKafka(log, instance), startFerretDB(log, instance)]);
    return { kafkaBrokers: kafka.brokers, mongodbUri: mongo.uri };
  }, instance);
}

/** Starts (or reuses) only the MongoDB-compatible server of `instance` (FerretDB, and PostgreSQL under it). */
export async function startMongoServer(instance: InfraInstance, log: Log = defaultLog): Promise<string> {
  return withLock(async () => (await startFerretDB(log, instance)).uri, instance);
}

/**
 * Stops one server of `instance`: SIGTERM (a clean shutdown) or SIGKILL (a
 * crash); resolves once its processes are gone, true if one was running.
 * PostgreSQL gets SIGINT for a clean shutdown (its "fast" mode: SIGTERM would
 * wait for FerretDB's pooled connections to close), and a SIGKILL goes to its
 * backends too, as a crash of the machine's database would end them.
 */
export async function stopServer(
  instance: InfraInstance,
  name: ServerName,
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
  log: Log = defaultLog,
): Promise<boolean> {
  const state = await readState(name, instance);
  if (!state || !isAlive(state.pid)) return false;
  if (name !== 'postgresql') {
    await stopPid(state.pid, log, name, signal);
  } else if (signal === 'SIGTERM') {
    await stopPid(state.pid, log, name, 'SIGINT');
  } else {
    const all = [state.pid, ...childPids(state.pid)];
    for (const pid of all) process.kill(pid, 'SIGKILL');
    while (all.some(isAlive)) await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Stops only the MongoDB-compatible server of `instance` (FerretDB, then PostgreSQL). */
export async function stopMongoServer(instance: InfraInstance, log: Log = defaultLog) {
  await stopServer(instance, 'ferretdb', 'SIGTERM', log);
  await stopServer(instance, 'postgresql', 'SIGTERM', log);
}

/**
 * Stops and starts one server of `instance` again on the same port and data
 * directory (clients reconnect to the same address; Kafka keeps its topics and
 * offsets, FerretDB and PostgreSQL their databases). Fails if the port was
 * taken meanwhile. Restarting 'ferretdb' on PostgreSQL restarts FerretDB only;
 * 'postgresql' restarts the database under it.
 */
export async function restartServer(
  instance: InfraInstance,
  name: ServerName,
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
  log: Log = defaultLog,
): Promise<string> {
  const before = await readState(name, instance);
  await stopServer(instance, name, signal, log);
  const address =
    name === 'kafka'
      ? (await startKafka(log, instance)).brokers
      : name === 'ferretdb'
        ? (await startFerretDB(log, instance)).uri
        : `postgres://127.0.0.1:${(await startPostgreSQL(log, instance)).port}`;
  const after = await readState(name, instance);
  if (before && after && before.port !== after.port)
    throw new Error(`${name} came back on port ${after.port}, not ${before.port}`);
  return address;
}

/** Stops every server of `instance`. */
export async function stopInstance(instance: InfraInstance, log: Log = defaultLog) {
  await Promise.all([stopServer(instance, 'kafka', 'SIGTERM', log), stopMongoServer(instance, log)]);
}
