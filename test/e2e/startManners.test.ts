import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import {
  embeddedStartIn,
  isListening,
  startProcess,
  type EmbeddedStart,
  type RunningProcess,
} from '../helpers/processes';
import { freePort } from '../helpers/ports';

// `npm start` as a well-made dev server: it minds the ports it needs and not those it merely
// wants, keeps development tokens on loopback, and stops in order on whatever signal it gets.
jest.setTimeout(240_000);

const WORKER_METRICS_DEFAULT_PORT = 9464;
let start: EmbeddedStart;
let env: NodeJS.ProcessEnv;
let metricsHolder: Server | undefined;

beforeAll(async () => {
  start = await embeddedStartIn('roe-manners-');
  // The worker's default metrics port, as a user's other program (or another project) would hold it.
  env = { ...start.env, ROE_WORKER_METRICS_PORT: undefined, LOG_LEVEL: 'info' };
  metricsHolder = await holdPort(WORKER_METRICS_DEFAULT_PORT);
});

// A test that fails half-way still leaves nothing running for the next one.
const started: RunningProcess[] = [];
afterEach(async () => {
  for (const roe of started.splice(0)) {
    if (roe.child.exitCode === null && roe.child.signalCode === null) {
      process.kill(-roe.child.pid!, 'SIGKILL');
      await roe.exited;
    }
  }
  const devServer = recordedDevServerPid();
  if (devServer !== undefined && processExists(devServer)) process.kill(devServer, 'SIGKILL');
});

/** `npm start` (or `node` on its entry point) in a process group of its own, as a terminal runs it. */
function startRoe(command: string, args: string[], processEnv: NodeJS.ProcessEnv): RunningProcess {
  const roe = startProcess(command, args, processEnv, process.cwd(), true);
  started.push(roe);
  return roe;
}

afterAll(async () => {
  await new Promise((resolve) => (metricsHolder ? metricsHolder.close(resolve) : resolve(undefined)));
  rmSync(start.dataDir, { recursive: true, force: true });
});

const api = (path: string) => `http://127.0.0.1:${start.ports.api}${path}`;
/** An address of this machine other machines could use, if it has one. */
const outwardAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

it('starts beside a process holding 9464, serves the worker metrics on /metrics, and stops in order on a process-group SIGTERM sent twice', async () => {
  expect(await isListening(WORKER_METRICS_DEFAULT_PORT)).toBe(true);
  const roe = startRoe('npm', ['start'], env);
  await roe.waitForOutput('is ready');
  const banner = roe.output();
  expect(banner).toContain(`API:          http://localhost:${start.ports.api}/api`);
  expect(banner).toContain(`listening on 127.0.0.1:${start.ports.api} only; HOST=0.0.0.0 opens it`);
  expect(banner).toContain(`API docs:     http://localhost:${start.ports.api}/docs`);
  expect(banner).toContain(`Web app:      http://localhost:${start.ports.api}/`);
  expect(banner).toContain(`Temporal UI:  http://localhost:${start.ports.ui}`);
  expect(banner).toContain('Sign in with a dev token (Authorization: Bearer <token>)');
  expect(banner).toContain('dev-admin');
  // webpack's module summary of the workflow bundle is for debugging, not for every start.
  expect(banner).not.toMatch(/orphan modules|Workflow bundle created/);

  // npm start builds the web app first (up to date here: the test run built it) and serves it at /.
  expect(banner).toMatch(/web app: (up to date|built in)/);
  const page = await fetch(api('/'), { headers: { Accept: 'text/html' } });
  expect({ status: page.status, type: page.headers.get('content-type')?.toLowerCase() }).toEqual({
    status: 200,
    type: 'text/html; charset=utf-8',
  });
  expect(await page.text()).toContain('<div id="root">');

  const metrics = await (await fetch(api('/metrics'))).text();
  expect(metrics).toContain('roe_http_requests_total');
  expect(metrics).toMatch(/^temporal_\w+(\{[^}]*\})? \d/m);
  expect(metrics).toMatch(/^# TYPE temporal_\w+ (counter|gauge|histogram)$/m);

  if (outwardAddress) expect(await accepts(outwardAddress, start.ports.api)).toBe(false);
  expect(await accepts('127.0.0.1', start.ports.api)).toBe(true);

  const devServerPid = recordedDevServerPid()!;
  expect(processExists(devServerPid)).toBe(true);
  process.kill(-roe.child.pid!, 'SIGTERM');
  await roe.waitForOutput('shutting down');
  process.kill(-roe.child.pid!, 'SIGTERM'); // an impatient second Ctrl-C, or `docker stop` retried
  expect(await roe.exited).toBe(0);

  const stopped = roe
    .output()
    .split('\n')
    .filter((line) => line.startsWith('[roe] stopped '))
    .map((line) => line.slice('[roe] stopped '.length));
  expect(stopped).toEqual(['API', 'worker', 'store', 'Temporal connection', 'Temporal dev server']);
  expect(roe.output()).toContain('SIGTERM received again; already shutting down');
  expect(processExists(devServerPid)).toBe(false);
  expect(commandsMentioning(start.dataDir)).toEqual([]);
  expect(await isListening(start.ports.temporal)).toBe(false);
  expect(await isListening(start.ports.api)).toBe(false);
});

it('opens the API to other machines with HOST=0.0.0.0, and stops cleanly on SIGINT to the main process alone', async () => {
  const roe = startRoe('node', ['--import', 'tsx', 'src/main.ts'], { ...env, HOST: '0.0.0.0' });
  await roe.waitForOutput('is ready');
  expect(roe.output()).toContain(`listening on 0.0.0.0:${start.ports.api}`);
  expect(roe.output()).toContain(`the dev tokens below work for anyone who can reach 0.0.0.0:${start.ports.api}`);
  if (outwardAddress) expect(await accepts(outwardAddress, start.ports.api)).toBe(true);
  const devServerPid = recordedDevServerPid()!;

  roe.child.kill('SIGINT');
  expect(await roe.exited).toBe(0);
  expect(roe.output()).toContain('stopped Temporal dev server');
  expect(processExists(devServerPid)).toBe(false);
});

it('stops what it had started on a SIGTERM during start-up, exiting 0 with no dev server left', async () => {
  const roe = startRoe('npm', ['start'], env);
  await roe.waitForOutput('starting Temporal dev server');
  process.kill(-roe.child.pid!, 'SIGTERM');
  expect(await roe.exited).toBe(0);
  expect(roe.output()).not.toContain('is ready');
  expect(commandsMentioning(start.dataDir)).toEqual([]);
  expect(await isListening(start.ports.temporal)).toBe(false);
});

it('refuses to start on a taken port it needs, with one line naming the port and the variable that moves it', async () => {
  const apiPort = await freePort();
  const holder = await holdPort(apiPort);
  try {
    const roe = startRoe('npm', ['start'], { ...env, PORT: String(apiPort) });
    expect(await roe.exited).toBe(1);
    expect(roe.output()).toContain(`port ${apiPort} is taken: set PORT to another port\n`);
    expect(await isListening(start.ports.temporal)).toBe(false);
  } finally {
    await new Promise((resolve) => holder!.close(resolve));
  }

  const devPort = await freePort();
  const devHolder = await holdPort(devPort);
  try {
    const roe = startRoe('npm', ['start'], { ...env, TEMPORAL_DEV_PORT: String(devPort) });
    expect(await roe.exited).toBe(1);
    expect(roe.output()).toContain(`port ${devPort} is taken: set TEMPORAL_DEV_PORT to another port\n`);
  } finally {
    await new Promise((resolve) => devHolder!.close(resolve));
  }
});

/** Holds `port` on loopback; undefined when another program already holds it (taken either way). */
function holdPort(port: number): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The dev server `npm start` recorded beside its database, while one runs. */
function recordedDevServerPid(): number | undefined {
  try {
    const record = readFileSync(join(start.dataDir, 'temporal', 'dev-server.pid'), 'utf8');
    return (JSON.parse(record) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Running programs whose command line names `text` (the dev server names its data directory). */
function commandsMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((command) => command.includes(text));
}
