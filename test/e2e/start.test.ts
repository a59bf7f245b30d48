import { rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { checkedCall } from '../helpers/api';
import { embeddedStartIn, isListening, startProcess } from '../helpers/processes';
import { EXAMPLE_POLICY } from '../../src/domain/policy';

// `npm start` exactly as a new user runs it: embedded dev server, PGlite, seeded directory.
jest.setTimeout(240_000);

let dataDir: string;
let ports: { api: number; temporal: number; ui: number; metrics: number };
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ dataDir, ports, env } = await embeddedStartIn('roe-start-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const api = (path: string, token = 'dev-admin', init: { method?: string; body?: unknown } = {}) =>
  checkedCall<any>(`http://127.0.0.1:${ports.api}`, init.method ?? 'GET', path, { token, body: init.body }); // eslint-disable-line @typescript-eslint/no-explicit-any

it('starts everything, keeps it across a clean SIGTERM restart, and seeds only once', async () => {
  const first = startProcess('npm', ['start'], env);
  await first.waitForOutput('is ready');
  const banner = first.output();
  expect(banner).toContain(`http://localhost:${ports.api}/api`);
  expect(banner).toContain(`Temporal UI:  http://localhost:${ports.ui}`);
  for (const token of ['dev-admin', 'dev-ops', 'dev-cm-emea', 'dev-rd-emea', 'dev-vp', 'dev-partner-northwind']) {
    expect(banner).toContain(token);
  }
  expect(banner).toContain('development directory created, policy v1 created');

  expect((await api('/readyz')).body).toMatchObject({ status: 'ready' });
  expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
  expect((await api('/api/policies/current', 'dev-partner-contoso')).body).toMatchObject({
    version: 1,
    status: 'effective',
  });
  const metrics = await (await fetch(`http://127.0.0.1:${ports.api}/metrics`)).text();
  expect(metrics).toContain('roe_http_requests_total');
  expect(metrics).toMatch(/temporal_/);

  const draft = await api('/api/policies', 'dev-admin', {
    method: 'POST',
    body: { ...EXAMPLE_POLICY, title: 'FY28 draft' },
  });
  expect(draft.status).toBe(201);
  const workflowId = await startWaitingWorkflow(ports.temporal);

  const stopped = await first.stop('SIGTERM');
  expect(stopped.code).toBe(0);
  expect(stopped.tookMs).toBeLessThan(10_000);
  expect(await isListening(ports.temporal)).toBe(false);
  expect(await isListening(ports.api)).toBe(false);

  const second = startProcess('npm', ['start'], env);
  try {
    await second.waitForOutput('is ready');
    expect(second.output()).toContain('development directory already present, policy v1 already present');
    const policies = await api('/api/policies');
    expect(policies.body.items.map((p: { version: number; title: string }) => [p.version, p.title])).toEqual([
      [1, 'FY27 Partner Rules of Engagement'],
      [2, 'FY28 draft'],
    ]);
    expect((await api('/api/directory/partners')).body.items).toHaveLength(3);
    const workflow = await api(`/api/workflows/${workflowId}`, 'dev-ops');
    expect(workflow.body).toMatchObject({ workflowId, status: 'running' });
  } finally {
    const again = await second.stop('SIGINT');
    expect(again.code).toBe(0);
    expect(again.tookMs).toBeLessThan(10_000);
  }
});

it('refuses a bad configuration with one line per variable and exit code 1, starting nothing', async () => {
  const bad = startProcess('npm', ['start'], { ...env, PORT: 'abc', SMTP_URL: 'http://mail' });
  expect(await bad.exited).toBe(1);
  const lines = bad
    .output()
    .split('\n')
    .filter((line) => /^\s+[A-Z_]+: /.test(line));
  expect(lines.map((line) => line.trim().split(':')[0]).sort()).toEqual(['PORT', 'SMTP_URL']);
  expect(await isListening(ports.temporal)).toBe(false);

  const production = startProcess('npm', ['start'], { ...env, NODE_ENV: 'production', ROE_DEV_AUTH: '1' });
  expect(await production.exited).toBe(1);
  expect(production.output()).toMatch(/ROE_DEV_AUTH: development tokens are refused when NODE_ENV=production/);
});

/** A workflow no worker polls: it stays running, so a restart shows whether Temporal kept it. */
async function startWaitingWorkflow(port: number): Promise<string> {
  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  try {
    const client = new Client({ connection });
    const workflowId = `restart-probe-${Date.now()}`;
    await client.workflow.start('restartProbe', { workflowId, taskQueue: 'nobody-polls-this', args: [] });
    return workflowId;
  } finally {
    await connection.close();
  }
}
