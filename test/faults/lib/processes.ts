// A dispatcher instance as a child process (the standalone entry point, as in
// production), so it can be killed with SIGKILL and started again.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../infra/infra.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export { freePort };

/** This process's environment without what Vitest set for its own workers. */
function parentEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS' && name !== 'TEST',
    ),
  );
}

export interface DispatcherProcess {
  name: string;
  url: string;
  /** Exit codes / signals of the processes this handle ran, in order (a crash shows here). */
  exits: string[];
  /** SIGKILL: no shutdown hook runs, requests in flight are cut, leases are left to expire. */
  kill9(): Promise<void>;
  /** Starts the process again with the same environment (instance id, port). */
  start(): Promise<void>;
  /** SIGTERM and wait (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  running(): boolean;
}

export async function startDispatcherProcess(
  name: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
): Promise<DispatcherProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const exits: string[] = [];

  const handle: DispatcherProcess = {
    name,
    url,
    exits,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      const fd = openSync(logFile, 'a');
      const process_ = spawn(
        process.execPath,
        ['--conditions=@hookline/source', '--import', 'tsx', 'services/dispatcher/src/main.ts'],
        {
          cwd: repoRoot,
          env: { ...parentEnv(), ...env, PORT: String(port), HOST: '127.0.0.1', DISPATCHER_INSTANCE_ID: name },
          stdio: ['ignore', fd, fd],
        },
      );
      closeSync(fd);
      child = process_;
      exited = new Promise((resolve) =>
        process_.once('exit', (code, signal) => {
          exits.push(signal ?? String(code));
          resolve();
        }),
      );
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (!handle.running())
          throw new Error(`dispatcher ${name} exited while starting (${exits.at(-1)}); log ${logFile}`);
        const ready = await fetch(`${url}/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) return;
        if (Date.now() > deadline) throw new Error(`dispatcher ${name} not ready within 90 s; log ${logFile}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async kill9() {
      if (!handle.running()) return;
      child!.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 15_000) {
      if (!handle.running()) return;
      child!.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  await handle.start();
  return handle;
}
