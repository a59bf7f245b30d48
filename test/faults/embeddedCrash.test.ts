import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkedCall as callApi } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { embeddedStartIn, isListening, startProcess, type RunningProcess } from '../helpers/processes';
import { outboxIn } from '../helpers/stack';
import {
  ADMIN,
  CONTOSO,
  NORTHWIND,
  SECONDS_POLICY,
  TIMER_WAIT,
  auditActions,
  hasEvent,
  register,
  registrationUntil,
  repeated,
} from './support';

// `npm start` (dev server child, PGlite, worker and API in one process group) killed with SIGKILL
// while registrations are in flight, then started again on the same data directory.
jest.setTimeout(240_000);

const VP = 'dev-vp';

let dataDir: string;
let ports: { api: number; temporal: number; ui: number; metrics: number };
let env: NodeJS.ProcessEnv;
let running: RunningProcess | undefined;

const call = <T>(method: string, path: string, token: string, body?: unknown) =>
  callApi<T>(`http://127.0.0.1:${ports.api}`, method, path, { token, body });

async function startEmbedded(): Promise<RunningProcess> {
  const started = startProcess('npm', ['start'], env, process.cwd(), true);
  await started.waitForOutput('is ready');
  return started;
}

/**
 * kill -9 of the whole stack: the process group and the Temporal dev server, which has a process
 * group of its own (so that Ctrl-C reaches it only through the ordered shutdown).
 */
async function killEmbedded(target: RunningProcess): Promise<void> {
  const devServer = childrenOf(mainPidOf(target)).find((p) => p.command.includes('server start-dev'));
  process.kill(-target.child.pid!, 'SIGKILL');
  if (devServer) process.kill(devServer.pid, 'SIGKILL');
  await target.exited;
  await eventually(
    async () => (await isListening(ports.temporal)) || (await isListening(ports.api)),
    (listening) => !listening,
  );
}

beforeAll(async () => {
  ({ dataDir, ports, env } = await embeddedStartIn('roe-faults-embedded-'));
});

afterAll(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) await killEmbedded(running);
  rmSync(dataDir, { recursive: true, force: true });
});

it('comes back after kill -9 of the whole stack: timers fire, decisions stay, nothing is doubled', async () => {
  running = await startEmbedded();
  const draft = await call<{ version: number }>('POST', '/api/policies', ADMIN, {
    ...SECONDS_POLICY,
    noticePeriod: 'PT3S',
  });
  expect(draft.status).toBe(201);
  expect((await call('POST', `/api/policies/${draft.body.version}/publish`, ADMIN, {})).status).toBe(202);
  await eventually(
    async () => (await call<{ version: number }>('GET', '/api/policies/current', ADMIN)).body.version,
    (version) => version === draft.body.version,
    TIMER_WAIT,
  );

  const expiring = await register(call, NORTHWIND);
  const decided = await register(call, CONTOSO);
  const pending = await register(call, CONTOSO);
  const decision = await call('POST', `/api/registrations/${decided.id}/decision`, VP, {
    outcome: 'approve',
    reason: 'decided just before the crash',
  });
  expect(decision.status).toBe(200);
  await killEmbedded(running);

  running = await startEmbedded();
  const expired = await registrationUntil(call, NORTHWIND, expiring.id, (v) => hasEvent(v, 'claim_released'));
  expect(hasEvent(expired, 'expiry_reminder')).toBe(true);
  const approvedThenExpired = await registrationUntil(call, CONTOSO, decided.id, (v) => v.status === 'expired');
  expect(approvedThenExpired.decision).toMatchObject({ outcome: 'approved', reason: 'decided just before the crash' });
  const escalated = await registrationUntil(call, CONTOSO, pending.id, (v) => hasEvent(v, 'review_escalated'));
  // With a 3 s SLA it may have climbed on to the VP by the time the restarted stack answers: the
  // first breach took it one step up the ladder, from the channel manager.
  expect(escalated.timeline.find((t) => t.event === 'review_escalated')?.detail).toBe(
    'SLA breached; escalated from channel_manager to regional_director',
  );
  expect(['regional_director', 'vp_partnerships']).toContain(escalated.review?.assigneeRole);

  const subjects = [`registration:${expiring.id}`, `registration:${decided.id}`, `registration:${pending.id}`];
  const trails = await eventually(
    async () => Promise.all(subjects.map((subject) => auditActions(call, subject))),
    ([a, b, c]) =>
      a.some((x) => x.startsWith('registration.claim_released')) &&
      b.some((x) => x.startsWith('registration.claim_released')) &&
      c.some((x) => x.startsWith('registration.review_escalated')),
    TIMER_WAIT,
  );
  for (const actions of trails) expect(repeated(actions)).toEqual([]);
  expect(trails[1].filter((a) => a.startsWith('registration.approved'))).toHaveLength(1);

  // The outbox: every email of the expired registration, none twice (an activity in flight at the
  // kill is retried after its 1-minute start-to-close timeout).
  const outbox = outboxIn(join(dataDir, 'outbox'));
  const expected = [
    `Registration ${expiring.id} received`,
    `Registration ${expiring.id}: approved`,
    `Registration ${expiring.id} expired`,
    `Registration ${decided.id}: approved`,
    `Registration ${decided.id} expired`,
  ];
  const mails = await eventually(
    () => outbox.read(),
    (all) => expected.every((subject) => all.some((m) => m.subject === subject)),
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  expect(repeated(mails.map((m) => m.messageId ?? ''))).toEqual([]);
  expect(mails.filter((m) => m.subject?.startsWith(`Registration ${expiring.id} expires `))).toHaveLength(1);
});

it('after kill -9 of the main process alone, a restart stops the dev server it left behind', async () => {
  const before = await register(call, NORTHWIND);
  const devServerPid = childrenOf(mainPidOf(running!)).find((p) => p.command.includes('server start-dev'))!.pid;
  process.kill(mainPidOf(running!), 'SIGKILL');
  await running!.exited;
  expect(isAlive(devServerPid)).toBe(true);

  running = await startEmbedded();
  expect(running.output()).toContain(`stopping the Temporal dev server (pid ${devServerPid})`);
  expect(isAlive(devServerPid)).toBe(false);
  const after = await call<{ id: string }>('GET', `/api/registrations/${before.id}`, NORTHWIND);
  expect(after.body.id).toBe(before.id);
});

/** `npm start` runs the product as its child (`exec node …`). */
function mainPidOf(npm: RunningProcess): number {
  return childrenOf(npm.child.pid!).find((p) => p.command.includes('src/main.ts'))!.pid;
}

function childrenOf(parent: number): { pid: number; command: string }[] {
  return execFileSync('ps', ['-ww', '-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[2]) === parent)
    .map((m) => ({ pid: Number(m[1]), command: m[3] }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
