import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../src/temporal/devServer';
import { openStore, type Store } from '../../src/store';
import { seedDevelopment } from '../../src/store/seed';
import { freePort } from '../../test/helpers/ports';
import { createDatabase, dropDatabase } from '../../test/helpers/store';
import { childPids } from './machine';

// The product as it runs in production shape, one process each: the embedded dev server (the
// project's launcher, SQLite file), `src/worker.ts` and `src/server.ts` sharing a PostgreSQL
// database of their own, dev tokens on. The bench process keeps a store and a client beside them.

const REPO = resolve(__dirname, '..', '..');
export const TASK_QUEUE = 'roe';

export interface BenchProcess {
  name: string;
  pid: number;
}

export interface BenchStack {
  apiUrl: string;
  temporalAddress: string;
  client: Client;
  store: Store;
  /** The processes as they are now (the worker's pid changes when it is restarted). */
  processes(): BenchProcess[];
  /** Stops the product worker (SIGTERM, as a deployment would) and resolves with a function that starts it again. */
  stopWorker(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export async function startBenchStack(options: {
  keep: boolean;
  progress: (line: string) => void;
}): Promise<BenchStack> {
  const { progress } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'roe-bench-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const devServer: DevServer = await startDevServer({
      cliPath: process.env.TEMPORAL_CLI_PATH || undefined,
      port: await freePort(),
      namespace: 'default',
      dbFilename: join(dataDir, 'temporal', 'dev.sqlite'),
      onProgress: progress,
    });
    cleanups.push(() => devServer.stop());
    const devServerPid = childPids(process.pid, 'start-dev')[0];

    const databaseUrl = await createDatabase();
    if (!options.keep) cleanups.push(() => dropDatabase(databaseUrl));
    progress(`database ${new URL(databaseUrl).pathname.slice(1)} created`);
    const store = await openStore({ databaseUrl, dataDir });
    cleanups.push(() => store.db.close());
    await seedDevelopment(store, new Date());

    const connection = await Connection.connect({ address: devServer.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });

    const ports = { api: await freePort(), health: await freePort(), metrics: await freePort() };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      DATABASE_URL: databaseUrl,
      ROE_DATA_DIR: dataDir,
      ROE_DEV_AUTH: '1',
      // The rate limit guards against one caller hammering the API, which is what the bench does.
      ROE_RATE_LIMIT_PER_MINUTE: '1000000000',
      PORT: String(ports.api),
      ROE_WORKER_HEALTH_PORT: String(ports.health),
      ROE_WORKER_METRICS_PORT: String(ports.metrics),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      NODE_OPTIONS: '',
    };
    let worker = startNode('worker', 'src/worker.ts', env);
    cleanups.push(() => worker.stop());
    const api = startNode('api', 'src/server.ts', env);
    cleanups.push(() => api.stop());
    await waitForOk(`http://127.0.0.1:${ports.health}/healthz`, worker);
    await waitForOk(`http://127.0.0.1:${ports.api}/readyz`, api);
    progress(`worker (pid ${worker.pid}) and API (pid ${api.pid}) ready; dev server pid ${devServerPid ?? '?'}`);

    return {
      apiUrl: `http://127.0.0.1:${ports.api}`,
      temporalAddress: devServer.address,
      client,
      store,
      processes: () => [
        { name: 'worker', pid: worker.pid },
        { name: 'api', pid: api.pid },
        ...(devServerPid ? [{ name: 'devServer', pid: devServerPid }] : []),
      ],
      stopWorker: async () => {
        await worker.stop();
        return async () => {
          worker = startNode('worker', 'src/worker.ts', env);
          await waitForOk(`http://127.0.0.1:${ports.health}/healthz`, worker);
        };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

interface NodeProcess {
  pid: number;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `node --import tsx <entry>`, as `npm run worker` / `npm run api` run the built code. */
function startNode(name: string, entry: string, env: NodeJS.ProcessEnv): NodeProcess {
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each process, written when it stops.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping && code !== 0) {
      process.stderr.write(`${name} exited (${code ?? signal}):\n${output}\n`);
    }
  });
  return {
    pid: child.pid ?? -1,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForOk(url: string, owner: NodeProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (owner.child.exitCode !== null) throw new Error(`process ended before ${url} answered:\n${owner.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms:\n${owner.output()}`);
}
