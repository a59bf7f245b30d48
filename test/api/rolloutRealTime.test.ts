import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/eventually';
import { EXAMPLE_POLICY } from '../../src/domain/policy';
import type { RolloutView } from '../../workflows/rollout/contract';

// A rollout walked end to end through the API in real time, with short due dates and cadence.

jest.setTimeout(120_000);
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => stack?.close());

const ADMIN = 'dev-admin';
const SPONSOR = { name: 'Sam Sponsor', email: 'sam.sponsor@vendor.example' };

async function draft(title: string): Promise<number> {
  const res = await stack.api.call<{ version: number }>('POST', '/api/policies', {
    token: ADMIN,
    body: { ...EXAMPLE_POLICY, title, noticePeriod: 'PT3S' },
  });
  expect(res.status).toBe(201);
  return res.body.version;
}

const view = (id: string) => stack.api.call<RolloutView>('GET', `/api/rollouts/${id}`, { token: 'dev-ops' });
const stageOf = (v: RolloutView, name: string) => v.stages.find((s) => s.name === name)!;

async function launch(version: number, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.api.call<{ id: string }>('POST', '/api/rollouts', {
    token: ADMIN,
    body: {
      policyVersion: version,
      sponsor: SPONSOR,
      reviewCadence: 'PT3S',
      acknowledgementThreshold: 0.3,
      stages: Object.fromEntries(
        ['align', 'design', 'document', 'enable', 'instrument', 'review'].map((s) => [s, { due: 'PT60S' }]),
      ),
      ...extra,
    },
  });
  expect(res.status).toBe(202);
  return res.body.id;
}

/** Completes the open stage's tasks and signs it off as an admin; waits until the next stage opens. */
async function finishStage(id: string, name: string, next: string): Promise<RolloutView> {
  const open = await eventually(
    () => view(id),
    (r) => r.body.currentStage === name,
  );
  for (const task of stageOf(open.body, name).tasks) {
    const done = await stack.api.call('POST', `/api/rollouts/${id}/tasks/${task.id}/complete`, { token: ADMIN });
    expect(done.status).toBe(200);
  }
  const signed = await stack.api.call('POST', `/api/rollouts/${id}/stages/${name}/sign-offs`, {
    token: ADMIN,
    body: { decision: 'approve', comment: 'looks right' },
  });
  expect(signed.status).toBe(200);
  return (
    await eventually(
      () => view(id),
      (r) => r.body.currentStage === next,
    )
  ).body;
}

it('answers a rollout at once after its launch with Align open, and shows a completed task on the next read', async () => {
  for (let i = 0; i < 3; i++) {
    const id = await launch(await draft(`Read your writes ${i}`));
    // No waiting: the launch answers once Align is open, so its task completes at once (the README does this).
    const launched = await view(id);
    expect({ status: launched.status, id: launched.body.id, stage: launched.body.currentStage }).toEqual({
      status: 200,
      id,
      stage: 'align',
    });
    const task = stageOf(launched.body, 'align').tasks[0];
    const done = await stack.api.call('POST', `/api/rollouts/${id}/tasks/${task.id}/complete`, { token: ADMIN });
    expect(done.status).toBe(200);
    expect(stageOf((await view(id)).body, 'align').tasks[0]).toMatchObject({ id: task.id, done: true });
  }
});

it('walks Align → Review, publishing at Enable, checking the playbook at Instrument, reviewing on its cadence', async () => {
  const version = await draft('FY28 rollout');
  const id = await launch(version);

  const first = await eventually(
    () => view(id),
    (r) => r.status === 200 && r.body.currentStage === 'align',
  );
  expect(stageOf(first.body, 'align').tasks.length).toBeGreaterThan(0);
  // A stage that is not current cannot be signed off; a request for changes keeps it open.
  expect(
    (
      await stack.api.call('POST', `/api/rollouts/${id}/stages/design/sign-offs`, {
        token: ADMIN,
        body: { decision: 'approve' },
      })
    ).status,
  ).toBe(409);
  const changes = await stack.api.call<RolloutView>('POST', `/api/rollouts/${id}/stages/align/sign-offs`, {
    token: ADMIN,
    body: { decision: 'request_changes', comment: 'add the marketplace route' },
  });
  expect(stageOf(changes.body, 'align').status).toBe('changes_requested');

  await finishStage(id, 'align', 'design');
  await finishStage(id, 'design', 'document');
  await finishStage(id, 'document', 'enable');
  // Document froze the draft.
  expect((await stack.api.call('PUT', `/api/policies/${version}`, { token: ADMIN, body: EXAMPLE_POLICY })).status).toBe(
    409,
  );

  // Enable published the version; one partner of three acknowledging passes a 30 % threshold.
  await eventually(
    () => stack.api.call<{ status: string }>('GET', `/api/policies/${version}`, { token: ADMIN }),
    (r) => r.body.status !== 'draft',
  );
  expect(
    (await stack.api.call('POST', `/api/policies/${version}/acknowledgements`, { token: 'dev-partner-northwind' }))
      .status,
  ).toBe(201);
  const instrument = await finishStage(id, 'enable', 'instrument');
  const checks =
    stageOf(instrument, 'instrument').checks ??
    (
      await eventually(
        () => view(id),
        (r) => Boolean(stageOf(r.body, 'instrument').checks),
      )
    ).body.stages[4].checks!;
  expect(checks.every((c) => c.passed)).toBe(true);
  expect(checks.map((c) => c.id)).toEqual(
    expect.arrayContaining(['playbook:S1', 'email-delivery', 'search-attributes']),
  );

  await finishStage(id, 'instrument', 'review');
  const reviewed = await eventually(
    () => view(id),
    (r) => r.body.reviews.length >= 2,
    { timeoutMs: 30_000 },
  );
  expect(reviewed.body.status).toBe('in_review');
  const review = reviewed.body.reviews[0];
  expect(review.maturity.map((m) => m.dimension)).toHaveLength(5);
  expect(review.maturity.every((m) => [1, 2, 3].includes(m.stage) && m.evidence.length > 0)).toBe(true);

  // The sponsor hears of each review.
  await eventually(
    () => stack.outbox.read(),
    (mails) => mails.some((m) => (m.subject ?? '').includes(`RoE review of policy version ${version}`)),
  );

  // A later version's rollout reaching Enable takes over: this one's review ends.
  const next = await launch(await draft('FY29 rollout'));
  await finishStage(next, 'align', 'design');
  await finishStage(next, 'design', 'document');
  await finishStage(next, 'document', 'enable');
  const handedOver = await eventually(
    () => view(id),
    (r) => r.body.status === 'completed',
  );
  expect(handedOver.body.currentStage).toBeNull();
  expect(handedOver.body.history.at(-1)).toMatchObject({ event: 'completed', detail: expect.stringContaining(next) });
});

it('blocks Instrument when a playbook scenario fails, naming expected and actual', async () => {
  const res = await stack.api.call<{ version: number }>('POST', '/api/policies', {
    token: ADMIN,
    body: {
      ...EXAMPLE_POLICY,
      title: 'Broken playbook',
      noticePeriod: 'PT3S',
      playbook: [{ ...EXAMPLE_POLICY.playbook![0], id: 'S9', expect: { outcome: 'rejected' } }],
    },
  });
  const id = await launch(res.body.version, { acknowledgementThreshold: 0 });
  await finishStage(id, 'align', 'design');
  await finishStage(id, 'design', 'document');
  await finishStage(id, 'document', 'enable');
  await finishStage(id, 'enable', 'instrument');
  const blocked = await eventually(
    () => view(id),
    (r) => stageOf(r.body, 'instrument').status === 'blocked',
  );
  const failing = stageOf(blocked.body, 'instrument').checks!.find((c) => !c.passed)!;
  expect(failing.id).toBe('playbook:S9');
  expect(failing.detail).toMatch(/expected rejected.*got approved/);
});

it('reminds the owner half-way and tells the sponsor once a stage is overdue', async () => {
  const version = await draft('Overdue stage');
  const owner = { name: 'Olga Owner', email: 'olga.owner@vendor.example' };
  const id = await launch(version, { stages: { align: { due: 'PT4S', owner } } });
  const overdue = await eventually(
    () => view(id),
    (r) => r.body.history.some((e) => e.event === 'stage_overdue'),
    {
      timeoutMs: 20_000,
    },
  );
  const events = overdue.body.history.map((e) => e.event);
  expect(events.indexOf('stage_reminder')).toBeGreaterThan(-1);
  expect(events.indexOf('stage_reminder')).toBeLessThan(events.indexOf('stage_overdue'));
  const align = stageOf(overdue.body, 'align');
  const overdueAt = Date.parse(overdue.body.history.find((e) => e.event === 'stage_overdue')!.at);
  expect(overdueAt).toBeGreaterThanOrEqual(Date.parse(align.dueAt!));
  expect(align.status).toBe('active');
  const mails = await eventually(
    () => stack.outbox.read(),
    (all) => all.some((m) => (m.subject ?? '').startsWith('Overdue: stage align')),
  );
  const escalation = mails.find(
    (m) => (m.subject ?? '').startsWith('Overdue: stage align') && (m.text ?? '').includes('Olga Owner'),
  )!;
  const recipients = (Array.isArray(escalation.to) ? escalation.to : [escalation.to]).flatMap(
    (a) => a?.value.map((v) => v.address) ?? [],
  );
  expect(recipients.sort()).toEqual([SPONSOR.email, owner.email].sort());
  const reminder = mails.find(
    (m) => (m.subject ?? '').startsWith('Reminder: stage align') && JSON.stringify(m.to).includes(owner.email),
  );
  expect(reminder).toBeDefined();
});

it('refuses a sign-off by someone who is not a named approver, with 403', async () => {
  const version = await draft('Named approvers');
  const id = await launch(version, { stages: { align: { due: 'PT60S', approvers: ['rd-emea'], owner: 'cm-emea' } } });
  await eventually(
    () => view(id),
    (r) => r.body.currentStage === 'align',
  );
  const byAdmin = await stack.api.call('POST', `/api/rollouts/${id}/stages/align/sign-offs`, {
    token: ADMIN,
    body: { decision: 'approve' },
  });
  expect(byAdmin.status).toBe(403);
  const byOther = await stack.api.call('POST', `/api/rollouts/${id}/stages/align/sign-offs`, {
    token: 'dev-cm-emea',
    body: { decision: 'approve' },
  });
  expect(byOther.status).toBe(403);
  const byApprover = await stack.api.call('POST', `/api/rollouts/${id}/stages/align/sign-offs`, {
    token: 'dev-rd-emea',
    body: { decision: 'approve' },
  });
  expect(byApprover.status).toBe(200);
  const unknown = await stack.api.call('POST', '/api/rollouts', {
    token: ADMIN,
    body: { policyVersion: version, sponsor: SPONSOR, stages: { design: { approvers: ['nobody'] } } },
  });
  expect(unknown.status).toBe(400);
});

// Found by the OpenAPI fuzzer: a version beyond the database's integer range answered 500.
it('refuses a policy version out of range with 400 naming policyVersion', async () => {
  const res = await stack.api.call('POST', '/api/rollouts', {
    token: ADMIN,
    body: { policyVersion: 552742674809830, sponsor: SPONSOR },
  });
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([expect.objectContaining({ path: 'policyVersion' })]);
});
