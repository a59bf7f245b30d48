import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailer } from '../../src/notify/mailer';
import { eventually } from '../helpers/eventually';
import { createDatabase, dropDatabase } from '../helpers/store';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy';
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
  registrationOn,
  registrationUntil,
  repeated,
  startInProcessStack,
  type InProcessStack,
} from './support';

// PostgreSQL behind a loopback proxy the test cuts and restores: the API and the worker stay up
// the whole time and must recover by themselves.
jest.setTimeout(120_000);

let databaseUrl: string;
let proxy: TcpProxy;
let outboxDir: string;
let stack: InProcessStack;

beforeAll(async () => {
  databaseUrl = await createDatabase();
  const direct = new URL(databaseUrl);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const viaProxy = new URL(databaseUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  outboxDir = mkdtempSync(join(tmpdir(), 'roe-faults-outbox-'));
  const mailer = createMailer({ outboxDir, from: 'RoE Test <roe@test.example>' });
  stack = await startInProcessStack({ databaseUrl: viaProxy.toString(), mailer });
  await putSecondsPolicyInEffect(stack.call, (sql, params) => stack.store.db.query(sql, params));
}, 120_000);

afterAll(async () => {
  proxy?.restore();
  await stack?.close();
  await proxy?.close();
  if (databaseUrl) await dropDatabase(databaseUrl);
  if (outboxDir) rmSync(outboxDir, { recursive: true, force: true });
});

it('answers 503 problem+json while the store is unreachable, then recovers by itself and loses nothing', async () => {
  const approved = await register(stack.call, NORTHWIND);
  const pending = await register(stack.call, CONTOSO);
  expect([approved.status, pending.status]).toEqual(['approved', 'pending_review']);

  proxy.cut();
  const outageStarted = Date.now();

  const ready = await stack.api.call<{ status: number; checks: { store: string } }>('GET', '/readyz');
  expect(ready.status).toBe(503);
  expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(ready.body.checks.store).toMatch(/^unreachable/);

  for (const write of [
    () => stack.call('POST', '/api/policies', ADMIN, { ...SECONDS_POLICY, title: 'During the outage' }),
    () => stack.call('POST', '/api/registrations', NORTHWIND, registrationOn()),
  ]) {
    const started = Date.now();
    const refused = await write();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toMatchObject({ status: 503, type: '/problems/store-unavailable' });
    expect(Date.now() - started).toBeLessThan(10_000);
  }

  // The review SLA (3 s) and the protection (8 s) run out while the store is away: the workflows'
  // store writes fail and are retried by Temporal.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageStarted + 10_000 - Date.now())));
  expect((await stack.api.call('GET', '/readyz')).status).toBe(503);
  proxy.restore();

  await eventually(
    () => stack.api.call('GET', '/readyz'),
    (r) => r.status === 200,
    TIMER_WAIT,
  );
  const after = await stack.call<{ version: number }>('POST', '/api/policies', ADMIN, {
    ...SECONDS_POLICY,
    title: 'After the outage',
  });
  expect(after.status).toBe(201);

  const escalated = await registrationUntil(stack.call, CONTOSO, pending.id, (v) => hasEvent(v, 'review_escalated'));
  expect(escalated.review?.assigneeRole).toBe('regional_director');
  await registrationUntil(stack.call, NORTHWIND, approved.id, (v) => hasEvent(v, 'claim_released'));

  // The read model and the audit trail caught up with everything the workflows did meanwhile.
  const trails = await eventually(
    async () => ({
      approved: await auditActions(stack.call, `registration:${approved.id}`),
      pending: await auditActions(stack.call, `registration:${pending.id}`),
    }),
    (t) =>
      t.approved.some((a) => a.startsWith('registration.claim_released')) &&
      t.pending.some((a) => a.startsWith('registration.review_escalated')),
    TIMER_WAIT,
  );
  for (const expected of ['registration.evaluated', 'registration.expiry_reminder', 'registration.expired']) {
    expect(trails.approved.filter((a) => a.startsWith(expected))).toHaveLength(1);
  }
  expect(repeated(trails.approved)).toEqual([]);
  expect(repeated(trails.pending)).toEqual([]);
  const listed = await stack.call<{ items: { id: string; status: string }[] }>(
    'GET',
    `/api/registrations?partnerId=northwind&limit=500`,
    ADMIN,
  );
  expect(listed.body.items.find((r) => r.id === approved.id)?.status).toBe('expired');
});
