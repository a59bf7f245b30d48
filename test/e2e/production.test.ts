import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { freePort } from '../helpers/ports';
import { checkedCall as call } from '../helpers/api';
import { cleanEnv, startProcess, type RunningProcess } from '../helpers/processes';
import { startTestTemporal, type TestTemporal } from '../helpers/temporal';
import { openTestDatabaseServer, type TestDatabaseServer } from '../helpers/store';
import { eventually } from '../helpers/eventually';

// The production shape: `npm run build`, then `npm run worker` and `npm run api` as separate
// processes against a Temporal cluster and a shared PostgreSQL, dev auth off. Without DATABASE_URL
// that PostgreSQL is PGlite served over the wire protocol, and the test's name says so.
jest.setTimeout(240_000);

let temporal: TestTemporal;
let database: TestDatabaseServer | undefined;
let databaseUrl: string;
let dataDir: string;
let worker: RunningProcess | undefined;
let apiProcess: RunningProcess | undefined;

beforeAll(async () => {
  execFileSync('npm', ['run', 'build'], { stdio: 'pipe' });
  temporal = await startTestTemporal();
  database = await openTestDatabaseServer();
  databaseUrl = database.databaseUrl;
  dataDir = mkdtempSync(join(tmpdir(), 'roe-prod-'));
});

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  apiProcess?.child.kill('SIGKILL');
  await temporal?.stop();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const storeName = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite over the wire (DATABASE_URL unset)';

it(`runs the worker and the API as separate processes that stop cleanly on SIGTERM, on ${storeName}`, async () => {
  const ports = { api: await freePort(), health: await freePort(), metrics: await freePort() };
  const env = cleanEnv({
    NODE_ENV: 'production',
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: databaseUrl,
    ROE_DATA_DIR: dataDir,
    PORT: String(ports.api),
    ROE_WORKER_HEALTH_PORT: String(ports.health),
    ROE_WORKER_METRICS_PORT: String(ports.metrics),
    LOG_LEVEL: 'info',
  });
  worker = startProcess('npm', ['run', 'worker'], env);
  apiProcess = startProcess('npm', ['run', 'api'], env);
  await worker.waitForOutput('worker polling');
  await apiProcess.waitForOutput('API listening');

  const base = `http://127.0.0.1:${ports.api}`;
  const ready = await eventually(
    () => call<{ status: string }>(base, 'GET', '/readyz'),
    (r) => r.status === 200,
  );
  expect(ready.body.status).toBe('ready');
  expect((await fetch(`http://127.0.0.1:${ports.health}/healthz`)).status).toBe(200);
  expect(await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text()).toMatch(/temporal_/);

  // Production refuses development tokens; a service API key made with the bootstrap command works.
  expect((await call(base, 'GET', '/api/policies', { token: 'dev-admin' })).status).toBe(401);
  const key = bootstrapAdminKey(env);
  const created = await call<{ version: number }>(base, 'PUT', '/api/directory/partners/acme', {
    token: key,
    body: {
      name: 'Acme',
      type: 'reseller',
      tier: 'gold',
      regions: ['na'],
      contacts: [{ name: 'A', email: 'a@acme.example' }],
    },
  });
  expect(created.status).toBe(201);

  const logs = apiProcess.output() + worker.output();
  expect(logs).not.toContain(key);

  const [apiStopped, workerStopped] = await Promise.all([apiProcess.stop('SIGTERM'), worker.stop('SIGTERM')]);
  expect(apiStopped).toMatchObject({ code: 0 });
  expect(workerStopped).toMatchObject({ code: 0 });
  expect(Math.max(apiStopped.tookMs, workerStopped.tookMs)).toBeLessThan(10_000);
});

it('refuses to start the API without a cluster address and a shared database', async () => {
  const bad = startProcess('npm', ['run', 'api'], cleanEnv({ ROE_DATA_DIR: dataDir }));
  expect(await bad.exited).toBe(1);
  expect(bad.output()).toMatch(/TEMPORAL_ADDRESS: required/);
  expect(bad.output()).toMatch(/DATABASE_URL: required/);
});

/** `npm run api-key`, as an operator bootstraps the first admin of a deployment without JWT. */
function bootstrapAdminKey(env: NodeJS.ProcessEnv): string {
  const printed = execFileSync('npm', ['run', '-s', 'api-key', '--', '--name', 'ci-admin', '--role', 'admin'], {
    env,
    encoding: 'utf8',
  });
  const key = /^roe_[0-9a-f]{12}_\S+$/m.exec(printed)?.[0];
  if (!key) throw new Error(`no key printed:\n${printed}`);
  return key;
}
