import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStore, type Store } from '../../src/store';
import { seedDevelopment } from '../../src/store/seed';
import { startTestApi, type TestApi } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { freePort } from '../helpers/ports';
import { cleanEnv, startProcess, type RunningProcess } from '../helpers/processes';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtpCapture';
import { createDatabase, dropDatabase } from '../helpers/store';
import { startTestTemporal, type TestTemporal } from '../helpers/temporal';
import {
  ADMIN,
  CONTOSO,
  NORTHWIND,
  SECONDS_POLICY,
  TIMER_WAIT,
  auditActions,
  hasEvent,
  putSecondsPolicyInEffect,
  register,
  registrationUntil,
  repeated,
} from './support';

// The production worker (`src/worker.ts`) killed with SIGKILL in the middle of sending email, then
// started again: Temporal retries what was in flight once its start-to-close timeout (1 minute)
// has passed, and nothing is lost or sent twice.
jest.setTimeout(240_000);

const VP = 'dev-vp';

let temporal: TestTemporal;
let databaseUrl: string;
let dataDir: string;
let store: Store;
let api: TestApi;
let smtp: SmtpCapture;
let workerEnv: NodeJS.ProcessEnv;
let worker: RunningProcess | undefined;

const call = <T>(method: string, path: string, token: string, body?: unknown) =>
  api.call<T>(method, path, { token, body });

async function startWorker(): Promise<RunningProcess> {
  const started = startProcess(process.execPath, ['--import', 'tsx', 'src/worker.ts'], workerEnv);
  await started.waitForOutput('worker polling');
  return started;
}

beforeAll(async () => {
  temporal = await startTestTemporal();
  databaseUrl = await createDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'roe-faults-worker-'));
  store = await openStore({ databaseUrl, dataDir });
  await seedDevelopment(store, new Date());
  smtp = await startSmtpCapture();
  const taskQueue = `roe-faults-${randomUUID()}`;
  workerEnv = cleanEnv({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtp.url,
    ROE_DATA_DIR: dataDir,
    ROE_WORKER_HEALTH_PORT: String(await freePort()),
    ROE_WORKER_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  });
  api = await startTestApi({ store, temporal: temporal.client }, { taskQueue });
  await putSecondsPolicyInEffect(call, (sql, params) => store.db.query(sql, params));
  worker = await startWorker();
}, 120_000);

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await api?.close();
  await smtp?.stop();
  await store?.db.close();
  await temporal?.stop();
  if (databaseUrl) await dropDatabase(databaseUrl);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('after a kill -9 mid-send and a restart, every timer fires and no decision, audit event or email is lost or doubled', async () => {
  const expiring = await register(call, NORTHWIND);
  const reviewed = await register(call, CONTOSO);
  const decided = await call('POST', `/api/registrations/${reviewed.id}/decision`, VP, {
    outcome: 'approve',
    reason: 'decided just before the crash',
  });
  expect(decided.status).toBe(200);

  // The notice goes to contoso, fabrikam, northwind in turn: it dies while fabrikam's is in flight.
  const draft = await call<{ version: number }>('POST', '/api/policies', ADMIN, {
    ...SECONDS_POLICY,
    title: 'Announced across a crash',
    noticePeriod: 'PT1H',
  });
  const held = smtp.holdNextMessage('fiona@fabrikam.example');
  expect((await call('POST', `/api/policies/${draft.body.version}/publish`, ADMIN, {})).status).toBe(202);
  await held;
  expect(await worker!.stop('SIGKILL')).toMatchObject({ code: 'SIGKILL' });
  worker = await startWorker();

  const notice = new RegExp(`\\(version ${draft.body.version}\\)`);
  const noticesTo = (to: string) => smtp.delivered.filter((m) => m.to.includes(to) && notice.test(m.subject));
  await eventually(
    async () => ['carl@contoso.example', 'fiona@fabrikam.example', 'nora@northwind.example'].map(noticesTo),
    (lists) => lists.every((l) => l.length > 0),
    { timeoutMs: 150_000, intervalMs: 500 },
  );

  const expired = await registrationUntil(call, NORTHWIND, expiring.id, (v) => hasEvent(v, 'claim_released'));
  expect(hasEvent(expired, 'expiry_reminder')).toBe(true);
  const approvedThenExpired = await registrationUntil(call, CONTOSO, reviewed.id, (v) => v.status === 'expired');
  expect(approvedThenExpired.decision).toMatchObject({ outcome: 'approved', reason: 'decided just before the crash' });

  const trails = await eventually(
    async () => [
      await auditActions(call, `registration:${expiring.id}`),
      await auditActions(call, `registration:${reviewed.id}`),
    ],
    (t) => t.every((actions) => actions.some((a) => a.startsWith('registration.expired'))),
    TIMER_WAIT,
  );
  for (const actions of trails) expect(repeated(actions)).toEqual([]);
  expect(trails[1].filter((a) => a.startsWith('registration.approved'))).toHaveLength(1);
  // Each registration's own emails, by subject, arrived once.
  await eventually(
    async () => smtp.delivered.filter((m) => m.subject === `Registration ${expiring.id} expired`),
    (mails) => mails.length === 1,
    TIMER_WAIT,
  );
  expect(repeated(smtp.delivered.map((m) => m.messageId))).toEqual([]);
  expect(noticesTo('carl@contoso.example')).toHaveLength(1);
});
