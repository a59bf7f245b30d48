import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { CLI_TYPE_NAMES, ROE_SEARCH_ATTRIBUTES } from './searchAttributes';
import { MISSING_BINARY_HINT, resolveTemporalBinary } from './binaries';
import { forgetDevServer, recordDevServer, stopOrphanedDevServer } from './devServerRecord';
import { assertPortFree } from '../ports';

export interface DevServerOptions {
  cliPath?: string;
  port: number;
  /** Undefined: headless (no Web UI). */
  uiPort?: number;
  namespace: string;
  /** SQLite file that keeps workflows across restarts; undefined keeps them in memory. */
  dbFilename?: string;
  onProgress?: (message: string) => void;
  startTimeoutMs?: number;
  /** Aborting gives up waiting for the server and stops it (a signal during start-up). */
  signal?: AbortSignal;
  /**
   * A process group of its own, out of reach of a signal to the caller's group (Ctrl-C, `docker
   * stop`), for a caller that stops the server itself once what uses it has stopped.
   */
  ownProcessGroup?: boolean;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** Stops the server gracefully (SIGTERM), forcing it after a grace period. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `temporal server start-dev` with every RoE search attribute registered. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const binary = resolveTemporalBinary('temporal', options.cliPath);
  const progress = options.onProgress ?? (() => undefined);
  if (!binary) return startWithSdkDownload(options, progress);
  const args = devServerArgs(options);
  if (options.dbFilename) {
    mkdirSync(dirname(options.dbFilename), { recursive: true });
    await stopOrphanedDevServer(options.dbFilename, progress);
  }
  await assertPortsFree(options);
  progress(`starting Temporal dev server (${binary.path}) on 127.0.0.1:${options.port}`);
  const child = spawn(binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownProcessGroup });
  const output = captureTail(child);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitUntilServing(address, options.namespace, exited, options.startTimeoutMs ?? 60_000, options.signal);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output().join('\n')}`);
  }
  progress(`Temporal dev server ready at ${address}`);
  const dbFilename = options.dbFilename;
  if (dbFilename && child.pid) recordDevServer(dbFilename, child.pid);
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    stop: async (graceMs = 5_000) => {
      await stopChild(child, exited, graceMs);
      if (dbFilename) forgetDevServer(dbFilename);
    },
  };
}

/** Last resort of the resolution order: the SDK downloads the CLI itself (needs its download host). */
async function startWithSdkDownload(options: DevServerOptions, progress: (m: string) => void): Promise<DevServer> {
  progress('no Temporal CLI found locally; asking the Temporal SDK to download one');
  await assertPortsFree(options);
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port: options.port,
        namespace: options.namespace,
        dbFilename: options.dbFilename,
        ...(options.dbFilename ? { extraArgs: SQLITE_FILE_PRAGMAS } : {}),
        ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
        searchAttributes: ROE_SEARCH_ATTRIBUTES,
      },
    });
    return {
      address: env.address,
      uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
      stop: () => env.teardown(),
    };
  } catch (error) {
    throw new Error(
      `Temporal CLI not found and the SDK could not download it (${(error as Error).message}): ${MISSING_BINARY_HINT}`,
    );
  }
}

/**
 * Write-ahead log instead of the default rollback journal: each commit appends to one file instead
 * of journalling and rewriting pages, which cut the dev server's CPU per registration by ~40%
 * (`npm run bench`). `synchronous` keeps its default, so what is committed is as durable as before.
 */
const SQLITE_FILE_PRAGMAS = ['--sqlite-pragma', 'journal_mode=wal'];

async function assertPortsFree(options: DevServerOptions): Promise<void> {
  await assertPortFree(options.port, '127.0.0.1');
  if (options.uiPort) await assertPortFree(options.uiPort, '127.0.0.1');
}

function devServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port)];
  args.push('--namespace', options.namespace, '--log-format', 'json', '--log-level', 'warn');
  if (options.dbFilename) args.push('--db-filename', options.dbFilename, ...SQLITE_FILE_PRAGMAS);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  for (const key of ROE_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
  return args;
}

async function waitUntilServing(
  address: string,
  namespace: string,
  exited: Promise<number | null>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error('start-up interrupted');
    if (gone !== undefined) throw new Error(`Temporal dev server exited with code ${gone} during start-up`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal dev server not ready at ${address} after ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function captureTail(child: ChildProcess, keep = 20): () => string[] {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - keep));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => [...lines];
}
