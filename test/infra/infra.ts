// Provisions the real servers the integration tests run against:
// Apache Kafka (KRaft, single node) from Maven Central jars, and FerretDB
// (MongoDB wire protocol, SQLite backend) built from the Go module proxy.
// Downloads and builds are cached under the user's cache directory; runtime
// state (data, logs, pid files) lives in <repo>/.hookline/infra.
import { spawn, execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
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

export const cacheRoot =
  process.env.HOOKLINE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hookline');
export const stateRoot = process.env.HOOKLINE_INFRA_DIR ?? join(repoRoot, '.hookline', 'infra');

type Log = (line: string) => void;

/**
 * One Kafka + FerretDB pair: where its state lives and the ports it prefers.
 * The default instance is the one every test project shares; a test that stops
 * or restarts servers (test/faults) runs an instance of its own.
 */
export interface InfraInstance {
  /** Data, logs, pid and port files of both servers. */
  stateDir: string;
  kafkaPort: number;
  mongoPort: number;
}

export const defaultInstance: InfraInstance = {
  stateDir: stateRoot,
  kafkaPort: Number(process.env.HOOKLINE_KAFKA_PORT ?? DEFAULT_KAFKA_PORT),
  mongoPort: Number(process.env.HOOKLINE_MONGO_PORT ?? DEFAULT_MONGO_PORT),
};

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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
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
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function choosePort(preferred: number): Promise<number> {
  return (await portAnswers(preferred)) ? freePort() : preferred;
}

async function readState(name: string, instance: InfraInstance = defaultInstance): Promise<ServerState | undefined> {
  try {
    const state = JSON.parse(await readFile(join(instance.stateDir, name, 'server.json'), 'utf8')) as Partial<ServerState>;
    return typeof state.pid === 'number' && typeof state.port === 'number' ? (state as ServerState) : undefined;
  } catch {
    return undefined;
  }
}

async function writeState(name: string, state: ServerState, instance: InfraInstance) {
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

async function stopPid(pid: number, log: Log, name: string, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) {
    log(`${name} (pid ${pid}) ignored SIGTERM for 30 s; killing`);
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

export async function startKafka(log: Log = defaultLog, instance: InfraInstance = defaultInstance): Promise<{ brokers: string; started: boolean }> {
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
    await run('java', [...java, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', propsFile, '--standalone']);
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

export async function installFerretDB(log: Log = defaultLog): Promise<string> {
  // A changed patch builds a new binary beside the old one.
  const patchHash = createHash('sha256').update(await readFile(FERRETDB_PATCH)).digest('hex').slice(0, 8);
  const dir = join(cacheRoot, `ferretdb-${FERRETDB_VERSION}-${patchHash}`);
  const binary = join(dir, 'ferretdb');
  if (existsSync(join(dir, '.complete'))) return binary;
  const t0 = Date.now();
  log(`downloading and building FerretDB ${FERRETDB_VERSION} from the Go module proxy into ${dir}`);
  const { stdout } = await run('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`]);
  const moduleDir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`go mod download gave no module directory: ${stdout}`);
  // The module cache is read-only: build from a writable copy.
  const src = join(dir, 'src');
  await rm(src, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(moduleDir, src, { recursive: true });
  await run('chmod', ['-R', 'u+w', src]);
  await writeFile(join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  await run('git', ['apply', FERRETDB_PATCH], { cwd: src });
  await run('go', ['build', '-trimpath', '-buildvcs=false', '-o', binary, './cmd/ferretdb'], {
    cwd: src,
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  await chmod(binary, 0o755);
  await rm(src, { recursive: true, force: true });
  await writeFile(join(dir, '.complete'), new Date().toISOString());
  log(`FerretDB built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return binary;
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

export async function startFerretDB(log: Log = defaultLog, instance: InfraInstance = defaultInstance): Promise<{ uri: string; started: boolean }> {
  const dir = join(instance.stateDir, 'ferretdb');
  const logFile = join(dir, 'ferretdb.log');
  await mkdir(join(dir, 'data'), { recursive: true });
  await mkdir(join(dir, 'ferretdb-state'), { recursive: true });
  const previous = await readState('ferretdb', instance);
  if (previous && isAlive(previous.pid) && (await portAnswers(previous.port))) {
    const uri = `mongodb://127.0.0.1:${previous.port}/`;
    await waitFor('FerretDB', () => mongoReady(uri), 30_000, logFile);
    return { uri, started: false };
  }
  const binary = await installFerretDB(log);
  const t0 = Date.now();
  const port = await choosePort(instance.mongoPort);
  const debugPort = await freePort();
  const pid = spawnDetached(
    binary,
    [
      '--handler=sqlite',
      // WAL without an fsync per commit, as MongoDB acknowledges a write before its
      // journal is flushed (every 100 ms): a killed server loses nothing committed,
      // an operating-system crash may lose the last moments.
      `--sqlite-url=file:${join(dir, 'data')}/?_pragma=synchronous(normal)`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      `--state-dir=${join(dir, 'ferretdb-state')}`,
      '--telemetry=disable',
      '--log-level=warn',
    ],
    logFile,
    dir,
  );
  await writeState('ferretdb', { pid, port }, instance);
  const uri = `mongodb://127.0.0.1:${port}/`;
  await waitFor('FerretDB', () => mongoReady(uri), 60_000, logFile);
  log(`FerretDB ${FERRETDB_VERSION} (SQLite) up on 127.0.0.1:${port} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log ${logFile})`);
  return { uri, started: true };
}

// ---------- both ----------

/**
 * Makes sure both servers run. KAFKA_BROKERS / MONGODB_URI, when set, name
 * servers to use instead: then nothing is started for them.
 */
export async function ensureInfra(log: Log = defaultLog): Promise<InfraEndpoints> {
  return withLock(async () => {
    // Install both first (they are independent and the slow part on a cold machine).
    await Promise.all([
      process.env.KAFKA_BROKERS ? undefined : installKafka(log),
      process.env.MONGODB_URI ? undefined : installFerretDB(log),
    ]);
    const [kafka, mongo] = await Promise.all([
      process.env.KAFKA_BROKERS ? { brokers: process.env.KAFKA_BROKERS, started: false } : startKafka(log),
      process.env.MONGODB_URI ? { uri: process.env.MONGODB_URI, started: false } : startFerretDB(log),
    ]);
    return { kafkaBrokers: kafka.brokers, mongodbUri: mongo.uri, started: { kafka: kafka.started, mongo: mongo.started } };
  });
}

export async function stopInfra(which: { kafka: boolean; mongo: boolean } = { kafka: true, mongo: true }, log: Log = defaultLog) {
  await withLock(async () => {
    for (const name of ['kafka', 'ferretdb'] as const) {
      if (!(name === 'kafka' ? which.kafka : which.mongo)) continue;
      const state = await readState(name);
      if (!state) continue;
      await stopPid(state.pid, log, name);
      log(`${name} stopped`);
    }
  });
}

export async function infraStatus(instance: InfraInstance = defaultInstance) {
  const result: Record<string, unknown> = {};
  for (const name of ['kafka', 'ferretdb'] as const) {
    const state = await readState(name, instance);
    result[name] = state
      ? { ...state, running: isAlive(state.pid) && (await portAnswers(state.port)) }
      : { running: false };
  }
  return result;
}

// ---------- an instance of one's own: start, stop and restart each server ----------

/** Starts (or reuses) both servers of `instance`; always its own servers, whatever KAFKA_BROKERS / MONGODB_URI say. */
export async function startInstance(instance: InfraInstance, log: Log = defaultLog): Promise<{ kafkaBrokers: string; mongodbUri: string }> {
  return withLock(async () => {
    const [kafka, mongo] = await Promise.all([startKafka(log, instance), startFerretDB(log, instance)]);
    return { kafkaBrokers: kafka.brokers, mongodbUri: mongo.uri };
  }, instance);
}

/** Stops one server of `instance`: SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves once the process is gone. */
export async function stopServer(instance: InfraInstance, name: 'kafka' | 'ferretdb', signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', log: Log = defaultLog) {
  const state = await readState(name, instance);
  if (!state) return;
  await stopPid(state.pid, log, name, signal);
}

/**
 * Stops and starts one server of `instance` again on the same port and data
 * directory (clients reconnect to the same address; Kafka keeps its topics and
 * offsets, FerretDB its databases). Fails if the port was taken meanwhile.
 */
export async function restartServer(instance: InfraInstance, name: 'kafka' | 'ferretdb', signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', log: Log = defaultLog): Promise<string> {
  const before = await readState(name, instance);
  await stopServer(instance, name, signal, log);
  const address = name === 'kafka' ? (await startKafka(log, instance)).brokers : (await startFerretDB(log, instance)).uri;
  const after = await readState(name, instance);
  if (before && after && before.port !== after.port) throw new Error(`${name} came back on port ${after.port}, not ${before.port}`);
  return address;
}

/** Stops both servers of `instance`. */
export async function stopInstance(instance: InfraInstance, log: Log = defaultLog) {
  await Promise.all([stopServer(instance, 'kafka', 'SIGTERM', log), stopServer(instance, 'ferretdb', 'SIGTERM', log)]);
}
