import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves with the exit code and how long the process took to end. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | string; tookMs: number }>;
}

/**
 * Starts a command as a user would, capturing everything it prints. `detached` gives it a process
 * group of its own, so that `process.kill(-pid, signal)` reaches its children too.
 */
export function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
  detached = false,
): RunningProcess {
  const child = spawn(command, args, { cwd, env, detached, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    output: () => output,
    exited,
    waitForOutput: async (text, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      const matches = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
      let ended = false;
      void exited.then(() => (ended = true));
      while (!matches()) {
        if (ended) throw new Error(`process ended before printing ${String(text)}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`no ${String(text)} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async (signal = 'SIGTERM') => {
      const started = Date.now();
      child.kill(signal);
      const code = await exited;
      return { code, tookMs: Date.now() - started };
    },
  };
}

/** The environment of the test process without the variables a test must choose itself. */
export function cleanEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'SMTP_URL',
    'NODE_OPTIONS',
    'ROE_DEV_AUTH',
    'NODE_ENV',
    'PORT',
    'HOST',
  ]) {
    delete env[name];
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface EmbeddedStart {
  dataDir: string;
  ports: { api: number; temporal: number; ui: number; metrics: number };
  /** The environment `npm start` gets: its own data directory and free ports, quiet logs. */
  env: NodeJS.ProcessEnv;
}

/** What `npm start` needs to run beside others: a fresh data directory (`prefix…` in tmp) and free ports. */
export async function embeddedStartIn(prefix: string): Promise<EmbeddedStart> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort(), metrics: await freePort() };
  const env = cleanEnv({
    ROE_DATA_DIR: dataDir,
    PORT: String(ports.api),
    TEMPORAL_DEV_PORT: String(ports.temporal),
    TEMPORAL_DEV_UI_PORT: String(ports.ui),
    ROE_WORKER_METRICS_PORT: String(ports.metrics),
    LOG_LEVEL: 'warn',
  });
  return { dataDir, ports, env };
}

/** True while something accepts TCP connections on 127.0.0.1:port. */
export async function isListening(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
