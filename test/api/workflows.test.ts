import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startTestTemporal, type TestTemporal } from '../helpers/temporal';
import { openTestStore, type TestStore } from '../helpers/store';
import { startTestApi, type TestApi } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { finishSignal, statusProbe } from '../fixtures/workflows/statusProbe';

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `probe-${randomUUID()}`;

beforeAll(async () => {
  temporal = await startTestTemporal();
  db = await openTestStore();
  api = await startTestApi({ store: db.store, temporal: temporal.client });
  connection = await NativeConnection.connect({ address: temporal.address });
  worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('../fixtures/workflows/statusProbe'),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

describe('GET /api/workflows/{workflowId}', () => {
  it('describes a running workflow with its own status query as state', async () => {
    const workflowId = `probe-${randomUUID()}`;
    await temporal.client.workflow.start(statusProbe, { workflowId, taskQueue, args: ['first'] });
    const res = await eventually(
      () => api.call('GET', `/api/workflows/${workflowId}`, { token: 'dev-ops' }),
      (r) => r.body?.state !== null,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      workflowId,
      type: 'statusProbe',
      status: 'running',
      state: { label: 'first', stage: 'waiting' },
    });
    expect(res.body.historyLength).toBeGreaterThan(0);
    expect(Date.parse(res.body.startedAt)).not.toBeNaN();
    expect(res.body.closedAt).toBeUndefined();
  });

  it('reports a completed workflow with its close time', async () => {
    const workflowId = `probe-${randomUUID()}`;
    const handle = await temporal.client.workflow.start(statusProbe, { workflowId, taskQueue, args: ['second'] });
    await handle.signal(finishSignal);
    await handle.result();
    const res = await api.call('GET', `/api/workflows/${workflowId}`, { token: 'dev-admin' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('completed');
    expect(Date.parse(res.body.closedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.startedAt));
  });

  it('answers 404 problem+json for a workflow that does not exist', async () => {
    const res = await api.call('GET', '/api/workflows/registration-nope', { token: 'dev-ops' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('is for operators only', async () => {
    expect((await api.call('GET', '/api/workflows/x', { token: 'dev-partner-northwind' })).status).toBe(403);
    expect((await api.call('GET', '/api/workflows/x', { token: 'dev-cm-emea' })).status).toBe(403);
    expect((await api.call('GET', '/api/workflows/x')).status).toBe(401);
  });
});

describe('GET /api/workflows', () => {
  it('lists workflows filtered by type and status, and pages with a cursor', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()].map((id) => `probe-list-${id}`);
    for (const workflowId of ids) {
      const handle = await temporal.client.workflow.start(statusProbe, { workflowId, taskQueue, args: ['listed'] });
      await handle.signal(finishSignal);
      await handle.result();
    }
    const page = await eventually(
      () => api.call('GET', '/api/workflows?type=statusProbe&status=completed&limit=500', { token: 'dev-ops' }),
      (r) => ids.every((id) => r.body.items.some((w: { workflowId: string }) => w.workflowId === id)),
    );
    expect(page.status).toBe(200);
    expect(
      page.body.items.every(
        (w: { type: string; status: string }) => w.type === 'statusProbe' && w.status === 'completed',
      ),
    ).toBe(true);

    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const res = await api.call(
        'GET',
        `/api/workflows?type=statusProbe&status=completed&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        {
          token: 'dev-ops',
        },
      );
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      res.body.items.forEach((w: { workflowId: string }) => seen.add(w.workflowId));
      cursor = res.body.nextCursor;
    } while (cursor);
    for (const id of ids) expect(seen.has(id)).toBe(true);

    const runningOnly = await api.call('GET', '/api/workflows?type=statusProbe&status=running', { token: 'dev-ops' });
    expect(runningOnly.body.items.some((w: { workflowId: string }) => ids.includes(w.workflowId))).toBe(false);
  });

  it('rejects an unknown status or a malformed type, naming the parameter', async () => {
    const badStatus = await api.call('GET', '/api/workflows?status=sleeping', { token: 'dev-ops' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors[0].path).toBe('status');
    const badType = await api.call('GET', "/api/workflows?type=x' OR 1=1", { token: 'dev-ops' });
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].path).toBe('type');
  });

  // Found by the OpenAPI fuzzer: Temporal refused the page token and the API answered 500.
  it.each(['AAAA', Buffer.from('not a page token').toString('base64url'), '%E2%9B%B1'])(
    'refuses a cursor it did not issue (%s) with 400 naming the parameter',
    async (cursor) => {
      const res = await api.call('GET', `/api/workflows?status=completed&cursor=${cursor}`, { token: 'dev-ops' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    },
  );
});

describe('GET /api/audit', () => {
  it('refuses a cursor it did not issue, naming the parameter', async () => {
    const res = await api.call('GET', '/api/audit?subject=policy:1&cursor=AAAA', { token: 'dev-ops' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });
});
