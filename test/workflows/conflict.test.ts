import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { deadlineAfter } from '../../src/domain/calendar';
import { durationToMillis, parseDuration } from '../../src/domain/duration';
import type { PolicyCalendar } from '../../src/domain/policy';
import { ASSIGNEE_ROLE, PROCESS_STATUS } from '../../src/temporal/searchAttributes';
import {
  appealConflictUpdate,
  type ConflictWorkflow,
  conflictStatusQuery,
  resolveConflictUpdate,
  type ResolveRequest,
} from '../../workflows/conflict/contract';
import { conflictWorkflowId, type ConflictView } from '../../workflows/conflict/contract';
import {
  firstDecisionUpdate,
  REGISTRATION_WORKFLOW_TYPE,
  type RegistrationWorkflow,
  registrationStatusQuery,
  withdrawUpdate,
} from '../../workflows/registration/contract';
import {
  ACTIVE_STATUSES,
  registrationWorkflowId,
  type Actor,
  type RegistrationView,
} from '../../workflows/registration/contract';
import { eventually } from '../helpers/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../helpers/timeSkipping';
import {
  aPolicy,
  aRegistration,
  managerActor,
  partnerActor,
  type PolicyBuilder,
  type RegistrationBuilder,
} from './builders';
import {
  ADDRESSES,
  DAY,
  HOUR,
  MINUTE,
  claimHeldByEndedRegistration,
  claimsOn,
  emailsAbout,
  nextUtc,
  refusalOf,
  sleepUntil,
  submit,
  viewWhen,
  type RegistrationHandle,
  type Submitted,
} from './support';

// The conflict case on the time-skipping test server: a ladder of business-hour deadlines, the
// policy's default after the last one and a five-day appeal window take milliseconds. The server
// has one clock, so these tests run one after another and compute every instant from the server's
// own time or the case's view, never from the date today.

jest.setTimeout(120_000);

type CaseHandle = WorkflowHandle<ConflictWorkflow>;

let stack: TimeSkippingStack;
const started: RegistrationHandle[] = [];
const cases = new Map<string, CaseHandle>();

beforeAll(async () => {
  stack = await startTimeSkippingStack();
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

let testStartedAt: number;
beforeEach(async () => {
  testStartedAt = await stack.env.currentTimeMs();
});

// Every registration and case a test started ends before the next test moves the clock: the
// registrations still active are withdrawn, which leaves each open case uncontested, and the clock
// moves past the appeal window of every decided case. Each one's audit trail and read model must
// then agree with its timeline or history.
afterEach(async () => {
  const registrations = started.splice(0);
  const decided = [...cases.values()];
  cases.clear();
  for (const handle of registrations) await withdrawIfActive(handle);
  for (const handle of decided) await endCase(handle);
  for (const handle of registrations) await expectRegistrationRecorded(await handle.result());
  expect((await stack.env.currentTimeMs()) - testStartedAt).toBeLessThan(365 * DAY);
});

const APPEAL_WINDOW = 5 * DAY; // P5D, the example policy's appealWindow
const now = () => stack.env.currentTimeMs();

/** A Monday-to-Friday, 09:00–17:00 UTC calendar: hand-checkable business time. */
const utcCalendar = (): PolicyCalendar => ({
  timezone: 'UTC',
  workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  hours: { start: '09:00', end: '17:00' },
  holidays: [],
});

type Tier = { role: 'channel_manager' | 'regional_director' | 'vp_partnerships'; sla: string };
const eightHourLadder = (): Tier[] => [
  { role: 'channel_manager', sla: 'PT8H' },
  { role: 'regional_director', sla: 'PT8H' },
  { role: 'vp_partnerships', sla: 'PT8H' },
];

async function withdrawIfActive(handle: RegistrationHandle): Promise<void> {
  if ((await handle.describe()).status.name !== 'RUNNING') return;
  const view = await handle.query(registrationStatusQuery);
  if (view.status === 'submitted' || !ACTIVE_STATUSES.includes(view.status)) return;
  try {
    await handle.executeUpdate(withdrawUpdate, {
      args: [{ reason: 'the test is over', by: partnerActor(view.partnerId) }],
    });
  } catch (error) {
    // A case may decide against it between the query and the withdrawal.
    if ((await refusalOf(Promise.reject(error))).type !== 'InvalidState') throw error;
  }
}

async function endCase(handle: CaseHandle): Promise<void> {
  if ((await handle.describe()).status.name === 'RUNNING') {
    const decided = await eventually(
      () => handle.query(conflictStatusQuery),
      (view) => view.status !== 'open',
    );
    await sleepUntil(stack.env, Date.parse(decided.resolution!.decidedAt) + APPEAL_WINDOW + MINUTE);
  }
  const final = await handle.result();
  const audit = (await stack.db.store.audit.bySubject(`conflict:${final.id}`, 500)).items;
  // As a set: transitions of a signal handler and of the ladder run side by side (see the report).
  expect(audit.map((event) => `${event.at} ${event.action}`).sort()).toEqual(
    final.history.map((entry) => `${entry.at} conflict.${entry.event}`).sort(),
  );
  expect(await stack.db.store.conflicts.get(final.id)).toEqual(final);
  expect(final.history.at(-1)?.event).toBe('closed');
}

/** One audit event per timeline entry, in order, and the read model equal to the final view. */
async function expectRegistrationRecorded(final: RegistrationView): Promise<void> {
  const audit = (await stack.db.store.audit.bySubject(`registration:${final.id}`, 500)).items;
  expect(audit.map((event) => event.action)).toEqual(final.timeline.map((entry) => `registration.${entry.event}`));
  expect(await stack.db.store.registrations.get(final.id)).toEqual(final);
}

/** Submits through the builder and waits for the first decision; the registration ends after the test. */
async function submitted(builder: RegistrationBuilder): Promise<Submitted> {
  const result = await submit(stack, builder);
  started.push(result.handle);
  return result;
}

/** A registration submitted (on the server's clock) at `at`, before it reached the account's claims. */
async function submittedEarlier(builder: RegistrationBuilder, at: number): Promise<Submitted> {
  const input = builder.submittedAtMs(at).build();
  const handle = await stack.client.workflow.start<RegistrationWorkflow>(REGISTRATION_WORKFLOW_TYPE, {
    workflowId: registrationWorkflowId(input.registrationId),
    taskQueue: stack.taskQueue,
    args: [input],
  });
  started.push(handle);
  return { input, handle, view: await handle.executeUpdate(firstDecisionUpdate) };
}

const caseHandleOf = (conflictId: string) =>
  stack.client.workflow.getHandle<ConflictWorkflow>(conflictWorkflowId(conflictId));

/** The case a registration collided into, once its workflow runs and satisfies `accept`. */
async function caseWhen(conflictId: string, accept: (view: ConflictView) => boolean = () => true) {
  const handle = caseHandleOf(conflictId);
  cases.set(conflictId, handle);
  const view = await eventually(
    () =>
      handle.query(conflictStatusQuery).catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }),
    (found) => found !== undefined && accept(found),
  );
  return { handle, view: view! };
}

interface Collision {
  holder: Submitted;
  contender: Submitted;
  conflictId: string;
  handle: CaseHandle;
  view: ConflictView;
  accountKey: string;
}

/** Northwind holds the account's cloud line; Fabrikam's registration collides and opens a case. */
async function collision(policy: PolicyBuilder = aPolicy()): Promise<Collision> {
  const first = aRegistration().withPolicy(policy);
  const holder = await submitted(first);
  const contender = await submitted(
    aRegistration().forPartner('fabrikam').onAccount(first.accountKey).withPolicy(policy),
  );
  const conflictId = contender.view.conflictId!;
  expect(conflictId).toBeDefined();
  const { handle, view } = await caseWhen(conflictId, (v) => v.parties.length === 2);
  await viewWhen(holder.handle, (v) => v.conflictId === conflictId);
  return { holder, contender, conflictId, handle, view, accountKey: first.accountKey };
}

const resolution = (award: string, by: Actor, reason = 'the stronger claim') => ({
  args: [{ award, reason, by }] as [ResolveRequest],
});
const appeal = (by: Actor, reason = 'we met the customer first') => ({
  args: [{ reason, by }] as [{ reason: string; by: Actor }],
});

const opening = (view: ConflictView) => Date.parse(view.history.find((e) => e.event === 'opened')!.at);
const escalatedAt = (view: ConflictView) =>
  view.history.filter((e) => e.event === 'escalated').map((e) => Date.parse(e.at));
const validityOf = (submission: Submitted) =>
  durationToMillis(parseDuration(submission.input.policy.document.registration.validity)!);

/** At `at` or within two seconds after: a timer fires at its instant, plus the moments the worker takes. */
function expectAtOrJustAfter(actual: number | undefined, at: number): void {
  expect(actual).toBeDefined();
  expect(actual!).toBeGreaterThanOrEqual(at);
  expect(actual! - at).toBeLessThan(2000);
}

/** Subjects of the case's emails to one address (every subject names the case). */
async function caseSubjectsTo(conflictId: string, address: string, count = 1): Promise<string[]> {
  return eventually(
    async () =>
      (await emailsAbout(stack.outbox, conflictId)).filter((m) => m.to.includes(address)).map((m) => m.subject),
    (subjects) => subjects.length >= count,
  );
}

describe('a collision on an account and product line', () => {
  it('opens a case with both parties at tier 1 for the channel managers, due per the ladder on the business clock, and the holder keeps its approval', async () => {
    const { holder, contender, conflictId, handle, view } = await collision();

    expect(contender.view.status).toBe('in_conflict');
    expect(view).toMatchObject({
      id: conflictId,
      workflowId: conflictWorkflowId(conflictId),
      domain: holder.input.account.domain,
      productLine: 'cloud',
      region: 'emea',
      status: 'open',
      tier: 1,
      assigneeRole: 'channel_manager',
      policyVersion: 1,
      breaches: [],
    });
    expect(view.parties).toEqual([
      expect.objectContaining({
        kind: 'partner',
        registrationId: holder.input.registrationId,
        partnerId: 'northwind',
        partnerTier: 'gold',
        submittedAt: holder.input.submittedAt,
        holder: true,
      }),
      expect.objectContaining({
        kind: 'partner',
        registrationId: contender.input.registrationId,
        partnerId: 'fabrikam',
        partnerTier: 'platinum',
        submittedAt: contender.input.submittedAt,
        holder: false,
      }),
    ]);
    const { calendar } = holder.input.policy.document;
    expect(view.dueAt).toBe(new Date(deadlineAfter(opening(view), 'PT24H', calendar, 'business')).toISOString());

    const holderView = await holder.handle.query(registrationStatusQuery);
    expect(holderView).toMatchObject({ status: 'approved', conflictId });
    expect(holderView.expiresAt).toBe(holder.view.expiresAt);
    const contenderView = await viewWhen(contender.handle, (v) =>
      v.timeline.some((e) => e.event === 'conflict_opened'),
    );
    expect(contenderView).toMatchObject({ status: 'in_conflict', conflictId });

    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(PROCESS_STATUS)).toBe('open');
    expect(attributes.get(ASSIGNEE_ROLE)).toBe('channel_manager');
    expect(await caseSubjectsTo(conflictId, ADDRESSES.channelManager)).toEqual([
      expect.stringContaining(`Conflict to resolve: ${conflictId}`),
    ]);
    // Each party hears of the case without learning who the other is.
    const toFabrikam = await eventually(
      async () => (await emailsAbout(stack.outbox, conflictId)).filter((m) => m.to.includes('fiona@fabrikam.example')),
      (mails) => mails.length > 0,
    );
    expect(toFabrikam[0].text).not.toMatch(/northwind|nora/i);
    expect(toFabrikam[0].text).not.toContain(holder.input.registrationId);
  });

  it('lets a third claimant join the same open case instead of opening another', async () => {
    const { conflictId, accountKey } = await collision();
    const third = await submitted(aRegistration().forPartner('contoso').onAccount(accountKey));

    expect(third.view.status).toBe('in_conflict');
    expect(third.view.conflictId).toBe(conflictId);
    const { view } = await caseWhen(conflictId, (v) => v.parties.length === 3);
    expect(view.parties.map((p) => p.partnerId)).toEqual(['northwind', 'fabrikam', 'contoso']);
    expect(view.parties[2]).toMatchObject({ registrationId: third.input.registrationId, holder: false });
    expect(view.history.map((e) => e.event)).toEqual(['opened', 'party_joined']);
    expect(view.tier).toBe(1);
    await viewWhen(third.handle, (v) => v.timeline.some((e) => e.event === 'conflict_opened'));
  });

  it('opens a case with the direct team as the holding party on a named direct account', async () => {
    const { input, view: registrationView } = await submitted(aRegistration().onNamedDirectAccount());

    expect(registrationView.status).toBe('in_conflict');
    const { view } = await caseWhen(registrationView.conflictId!);
    expect(view.parties).toEqual([
      expect.objectContaining({ kind: 'direct', holder: true }),
      expect.objectContaining({ kind: 'partner', registrationId: input.registrationId, holder: false }),
    ]);
    expect(view.parties[0].registrationId).toBeUndefined();
    expect(view.status).toBe('open');
  });

  it('resolves by itself for the remaining party when the holder withdraws while the case is open', async () => {
    const { holder, contender, conflictId, accountKey } = await collision();

    await holder.handle.executeUpdate(withdrawUpdate, {
      args: [{ reason: 'lost interest', by: partnerActor('northwind') }],
    });
    const { view } = await caseWhen(conflictId, (v) => v.status !== 'open');

    expect(view.status).toBe('resolved');
    expect(view.resolution).toMatchObject({
      award: contender.input.registrationId,
      reason: 'the other claims were withdrawn',
    });
    const winner = await viewWhen(contender.handle, (v) => v.status !== 'in_conflict');
    expect(winner.status).toBe('approved');
    expect((await claimsOn(stack, accountKey, 'cloud'))?.holder).toMatchObject({
      registrationId: contender.input.registrationId,
    });
  });
});

describe('a party that ended before the case told it', () => {
  it('leaves the case at once, so the case resolves for the remaining party instead of waiting out the ladder', async () => {
    const builder = aRegistration().forPartner('fabrikam');
    await claimHeldByEndedRegistration(stack, builder.accountKey, 'cloud');

    const contender = await submitted(builder);
    expect(contender.view.status).toBe('in_conflict');
    const { view } = await caseWhen(contender.view.conflictId!, (v) => v.status !== 'open');

    expect(view.status).toBe('resolved');
    expect(view.resolution).toMatchObject({
      award: contender.input.registrationId,
      reason: 'the other claims were withdrawn',
    });
    expect(view.parties.map((p) => p.registrationId)).toEqual([contender.input.registrationId]);
    expect(view.history.find((e) => e.event === 'opened')?.detail).toBe('a conflict case opened with 2 claims');
    expect(view.history.map((e) => e.event)).toEqual(expect.arrayContaining(['party_left', 'resolved']));
    expect(view.breaches).toEqual([]);
    expect((await viewWhen(contender.handle, (v) => v.status !== 'in_conflict')).status).toBe('approved');
    expect((await claimsOn(stack, builder.accountKey, 'cloud'))?.holder).toMatchObject({
      registrationId: contender.input.registrationId,
    });
  });
});

describe('a case nobody decides', () => {
  it('climbs a three-tier ladder tier by tier, then awards the earliest registration by default, telling each new tier', async () => {
    const calendar = utcCalendar();
    const policy = aPolicy()
      .withLadder(...eightHourLadder())
      .withCalendar(calendar);
    const monday = nextUtc(await now(), 1, 9);
    await sleepUntil(stack.env, monday);
    // Fabrikam submitted an hour before Northwind, but its registration reached the claims second.
    const first = aRegistration().withPolicy(policy);
    const holder = await submitted(first);
    const contender = await submittedEarlier(
      aRegistration().forPartner('fabrikam').onAccount(first.accountKey).withPolicy(policy),
      (await now()) - HOUR,
    );
    const conflictId = contender.view.conflictId!;
    const { handle, view } = await caseWhen(conflictId, (v) => v.parties.length === 2);
    const openedAt = opening(view);
    const dueTier1 = deadlineAfter(openedAt, 'PT8H', calendar, 'business');
    expect(view.dueAt).toBe(new Date(dueTier1).toISOString());
    // 8 working hours from Monday morning: the same time on Tuesday.
    expect(dueTier1 - openedAt).toBe(DAY);

    await sleepUntil(stack.env, dueTier1 - MINUTE);
    expect((await handle.query(conflictStatusQuery)).tier).toBe(1);

    await sleepUntil(stack.env, dueTier1 + MINUTE);
    const tier2 = (await caseWhen(conflictId, (v) => v.tier === 2)).view;
    expect(tier2).toMatchObject({ status: 'open', assigneeRole: 'regional_director' });
    expectAtOrJustAfter(escalatedAt(tier2)[0], dueTier1);
    const dueTier2 = Date.parse(tier2.dueAt!);
    expect(dueTier2).toBe(deadlineAfter(escalatedAt(tier2)[0], 'PT8H', calendar, 'business'));
    expect(await caseSubjectsTo(conflictId, ADDRESSES.regionalDirector)).toEqual([
      expect.stringContaining(`Conflict to resolve: ${conflictId}`),
    ]);
    expect((await handle.describe()).typedSearchAttributes.get(ASSIGNEE_ROLE)).toBe('regional_director');

    await sleepUntil(stack.env, dueTier2 + MINUTE);
    const tier3 = (await caseWhen(conflictId, (v) => v.tier === 3)).view;
    expect(tier3.assigneeRole).toBe('vp_partnerships');
    expectAtOrJustAfter(escalatedAt(tier3)[1], dueTier2);
    expect(await caseSubjectsTo(conflictId, ADDRESSES.vp)).toEqual([
      expect.stringContaining(`Conflict to resolve: ${conflictId}`),
    ]);
    const dueTier3 = Date.parse(tier3.dueAt!);

    await sleepUntil(stack.env, dueTier3 + MINUTE);
    const defaulted = (await caseWhen(conflictId, (v) => v.status !== 'open')).view;
    expect(defaulted.status).toBe('defaulted');
    expect(defaulted.resolution).toMatchObject({
      award: contender.input.registrationId,
      by: 'default',
      decidedBy: 'system:default',
      ruleId: 'ON-FINAL-BREACH:first_to_register',
    });
    expectAtOrJustAfter(Date.parse(defaulted.resolution!.decidedAt), dueTier3);
    expect(defaulted.breaches.map((b) => [b.tier, b.role])).toEqual([
      [1, 'channel_manager'],
      [2, 'regional_director'],
      [3, 'vp_partnerships'],
    ]);
    expectAtOrJustAfter(Date.parse(defaulted.breaches[0].at), dueTier1);
    expectAtOrJustAfter(Date.parse(defaulted.breaches[1].at), dueTier2);
    expectAtOrJustAfter(Date.parse(defaulted.breaches[2].at), dueTier3);

    const winner = await viewWhen(contender.handle, (v) => v.status === 'approved');
    expect(Date.parse(winner.expiresAt!) - Date.parse(defaulted.resolution!.decidedAt)).toBeGreaterThanOrEqual(
      validityOf(contender),
    );
    expect(
      Date.parse(winner.expiresAt!) - Date.parse(defaulted.resolution!.decidedAt) - validityOf(contender),
    ).toBeLessThan(2000);
    const loser = await viewWhen(holder.handle, (v) => v.status === 'rejected');
    expect(loser.decision!.reason).toContain(conflictId);
    expect(loser.decision!.reason).not.toMatch(/fabrikam/i);
    expect((await claimsOn(stack, first.accountKey, 'cloud'))?.holder).toMatchObject({
      registrationId: contender.input.registrationId,
    });
    // The assignees of every tier, in order: channel manager, regional director, VP.
    const assigned = await eventually(
      async () =>
        (await emailsAbout(stack.outbox, conflictId)).filter((m) => m.subject.startsWith('Conflict to resolve')),
      (mails) => mails.length >= 3,
    );
    expect(assigned.map((m) => m.to).sort()).toEqual(
      [[ADDRESSES.channelManager], [ADDRESSES.regionalDirector], [ADDRESSES.vp]].sort(),
    );
  });

  it('counts a tier deadline on the business clock across a weekend', async () => {
    const calendar = utcCalendar();
    const policy = aPolicy()
      .withLadder({ role: 'channel_manager', sla: 'PT4H' }, { role: 'regional_director', sla: 'PT8H' })
      .withCalendar(calendar);
    // Opened on a Friday at 15:00: 2 working hours on Friday, none on the weekend, 2 on Monday.
    const friday = nextUtc(await now(), 5, 15);
    await sleepUntil(stack.env, friday);
    const { conflictId, handle, view } = await collision(policy);
    const openedAt = opening(view);
    const dueAt = Date.parse(view.dueAt!);

    expect(dueAt).toBe(deadlineAfter(openedAt, 'PT4H', calendar, 'business'));
    expect(dueAt).toBe(friday + 3 * DAY - 4 * HOUR + (openedAt - friday));
    expect(new Date(dueAt).getUTCDay()).toBe(1);

    await sleepUntil(stack.env, dueAt - MINUTE);
    expect(await handle.query(conflictStatusQuery)).toMatchObject({ tier: 1, breaches: [] });

    await sleepUntil(stack.env, dueAt + MINUTE);
    const escalated = (await caseWhen(conflictId, (v) => v.tier === 2)).view;
    expectAtOrJustAfter(escalatedAt(escalated)[0], dueAt);
    expect(escalated.breaches).toEqual([{ tier: 1, role: 'channel_manager', at: expect.any(String) }]);
  });
});

describe('a manager resolving a case', () => {
  it('at tier two, a regional director awards a registration: it is approved afresh, the other rejected, the claim moves', async () => {
    const { holder, contender, conflictId, handle, view, accountKey } = await collision();
    await sleepUntil(stack.env, Date.parse(view.dueAt!) + MINUTE);
    await caseWhen(conflictId, (v) => v.tier === 2);

    const resolved = await handle.executeUpdate(
      resolveConflictUpdate,
      resolution(contender.input.registrationId, managerActor('rd-emea'), 'Fabrikam brought the deal'),
    );

    expect(resolved).toMatchObject({
      status: 'resolved',
      tier: 2,
      resolution: {
        award: contender.input.registrationId,
        reason: 'Fabrikam brought the deal',
        decidedBy: 'rd-emea',
        by: 'manager',
      },
    });
    expect(resolved.dueAt).toBeUndefined();
    const decidedAt = Date.parse(resolved.resolution!.decidedAt);
    const winner = await viewWhen(contender.handle, (v) => v.status === 'approved');
    expect(Date.parse(winner.expiresAt!)).toBeGreaterThanOrEqual(decidedAt + validityOf(contender));
    expect(Date.parse(winner.expiresAt!) - decidedAt - validityOf(contender)).toBeLessThan(2000);
    expect(winner.decision!.reason).toContain(conflictId);
    const loser = await viewWhen(holder.handle, (v) => v.status === 'rejected');
    expect(loser.decision!.reason).toContain(conflictId);
    expect((await claimsOn(stack, accountKey, 'cloud'))?.holder).toMatchObject({
      kind: 'partner',
      registrationId: contender.input.registrationId,
      partnerId: 'fabrikam',
    });
    expect(await handle.query(conflictStatusQuery)).toMatchObject({ status: 'resolved' });
    expect((await handle.describe()).typedSearchAttributes.get(PROCESS_STATUS)).toBe('resolved');
  });

  it('refuses a channel manager once the case has escalated to tier two', async () => {
    const { contender, conflictId, handle, view } = await collision();
    await sleepUntil(stack.env, Date.parse(view.dueAt!) + MINUTE);
    await caseWhen(conflictId, (v) => v.tier === 2);

    const refusal = await refusalOf(
      handle.executeUpdate(resolveConflictUpdate, resolution(contender.input.registrationId, managerActor('cm-emea'))),
    );
    expect(refusal.type).toBe('NotAllowed');
    expect(refusal.message).toContain('regional director');
    expect(await handle.query(conflictStatusQuery)).toMatchObject({ status: 'open', tier: 2 });
  });

  it('refuses a second resolution of a decided case', async () => {
    const { holder, contender, handle } = await collision();
    await handle.executeUpdate(resolveConflictUpdate, resolution(holder.input.registrationId, managerActor('cm-emea')));

    const refusal = await refusalOf(
      handle.executeUpdate(resolveConflictUpdate, resolution(contender.input.registrationId, managerActor('vp'))),
    );
    expect(refusal.type).toBe('InvalidState');
    expect((await handle.query(conflictStatusQuery)).resolution?.award).toBe(holder.input.registrationId);
  });

  it('accepts exactly one of two resolutions sent at once', async () => {
    const { holder, contender, handle } = await collision();

    const results = await Promise.allSettled([
      handle.executeUpdate(resolveConflictUpdate, resolution(holder.input.registrationId, managerActor('cm-emea'))),
      handle.executeUpdate(resolveConflictUpdate, resolution(contender.input.registrationId, managerActor('vp'))),
    ]);

    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((await refusalOf(Promise.reject(refused[0].reason))).type).toBe('InvalidState');
    const winnerAward = (accepted[0] as PromiseFulfilledResult<ConflictView>).value.resolution!.award;
    const final = await handle.query(conflictStatusQuery);
    expect(final.resolution!.award).toBe(winnerAward);
    expect(final.history.filter((e) => e.event === 'resolved')).toHaveLength(1);
  });

  it('awarding the direct team rejects every partner registration and gives the line to the direct team', async () => {
    const { holder, contender, handle, accountKey } = await collision();
    await handle.executeUpdate(resolveConflictUpdate, resolution('direct', managerActor('cm-emea')));

    for (const party of [holder, contender]) {
      expect((await viewWhen(party.handle, (v) => v.status === 'rejected')).decision!.reason).toContain('direct team');
    }
    expect((await claimsOn(stack, accountKey, 'cloud'))?.holder).toMatchObject({ kind: 'direct' });
  });

  it('a co-sell approves every partner registration', async () => {
    const { holder, contender, handle } = await collision();
    await handle.executeUpdate(resolveConflictUpdate, resolution('co_sell', managerActor('cm-emea')));

    for (const party of [holder, contender]) {
      const view = await viewWhen(party.handle, (v) => v.status === 'approved' && v.decision?.decidedBy === 'cm-emea');
      expect(view.decision!.reason).toContain('co-sell');
    }
  });

  it('awarding nobody rejects every registration and frees the line for a new claim', async () => {
    const { holder, contender, handle, accountKey } = await collision();
    await handle.executeUpdate(resolveConflictUpdate, resolution('none', managerActor('cm-emea')));

    for (const party of [holder, contender]) await viewWhen(party.handle, (v) => v.status === 'rejected');
    expect((await claimsOn(stack, accountKey, 'cloud'))?.holder).toBeUndefined();
    const next = await submitted(aRegistration().onAccount(accountKey));
    expect(next.view.status).toBe('approved');
    expect(next.view.conflictId).toBeUndefined();
  });
});

describe('an appeal', () => {
  it('by a losing partner within the window reopens the case one tier up and puts the appellant back in conflict', async () => {
    const { holder, contender, conflictId, handle } = await collision();
    const decided = await handle.executeUpdate(
      resolveConflictUpdate,
      resolution(holder.input.registrationId, managerActor('cm-emea')),
    );
    await viewWhen(contender.handle, (v) => v.status === 'rejected');
    await sleepUntil(stack.env, Date.parse(decided.resolution!.decidedAt) + 2 * DAY);

    const reopened = await handle.executeUpdate(appealConflictUpdate, appeal(partnerActor('fabrikam')));

    expect(reopened).toMatchObject({ status: 'open', tier: 2, assigneeRole: 'regional_director' });
    expect(reopened.resolution).toBeUndefined();
    expect(reopened.appeals).toEqual([
      { partnerId: 'fabrikam', at: expect.any(String), reason: 'we met the customer first' },
    ]);
    const appellant = await viewWhen(contender.handle, (v) => v.status === 'in_conflict');
    expect(appellant).toMatchObject({ conflictId });
    // Status and decision agree: the case's earlier rejection is no longer the decision.
    expect(appellant.decision).toMatchObject({
      outcome: 'in_conflict',
      reason: 'the case was reopened on appeal',
      ruleIds: ['CONFLICT-APPEAL'],
    });
    expect((await holder.handle.query(registrationStatusQuery)).status).toBe('approved');
    expect(await caseSubjectsTo(conflictId, ADDRESSES.regionalDirector)).toEqual([
      expect.stringContaining(`Conflict to resolve: ${conflictId}`),
    ]);
  });

  it('lets a further colliding claim join the case reopened on appeal instead of opening another', async () => {
    const { holder, contender, conflictId, handle, accountKey } = await collision();
    await handle.executeUpdate(resolveConflictUpdate, resolution(holder.input.registrationId, managerActor('cm-emea')));
    await viewWhen(contender.handle, (v) => v.status === 'rejected');
    await handle.executeUpdate(appealConflictUpdate, appeal(partnerActor('fabrikam')));

    const third = await submitted(aRegistration().forPartner('contoso').onAccount(accountKey));

    expect(third.view.status).toBe('in_conflict');
    if (third.view.conflictId !== conflictId) cases.set(third.view.conflictId!, caseHandleOf(third.view.conflictId!));
    expect(third.view.conflictId).toBe(conflictId);
    await caseWhen(conflictId, (v) => v.parties.length === 3);
  });

  it('is allowed once: a second appeal of the same partner is refused naming APPEAL-ONCE', async () => {
    const { holder, contender, handle } = await collision();
    await handle.executeUpdate(resolveConflictUpdate, resolution(holder.input.registrationId, managerActor('cm-emea')));
    await viewWhen(contender.handle, (v) => v.status === 'rejected');
    await handle.executeUpdate(appealConflictUpdate, appeal(partnerActor('fabrikam')));
    await handle.executeUpdate(
      resolveConflictUpdate,
      resolution(holder.input.registrationId, managerActor('rd-emea'), 'confirmed on appeal'),
    );
    await viewWhen(contender.handle, (v) => v.status === 'rejected');

    const refusal = await refusalOf(handle.executeUpdate(appealConflictUpdate, appeal(partnerActor('fabrikam'))));
    expect(refusal.type).toBe('RuleViolation');
    expect(refusal.details).toEqual([{ ruleId: 'APPEAL-ONCE' }]);
    expect((await handle.query(conflictStatusQuery)).status).toBe('resolved');
  });

  it('ends when the appeal window closes, so a late appeal is refused, and the rejected registration has ended', async () => {
    const { holder, contender, handle } = await collision();
    const decided = await handle.executeUpdate(
      resolveConflictUpdate,
      resolution(holder.input.registrationId, managerActor('cm-emea')),
    );
    await viewWhen(contender.handle, (v) => v.status === 'rejected');

    await sleepUntil(stack.env, Date.parse(decided.resolution!.decidedAt) + APPEAL_WINDOW + HOUR);
    expect((await contender.handle.result()).status).toBe('rejected');

    // The case ends when its appeal window closes: nothing can reopen it (the API answers 409
    // naming APPEAL-WINDOW for a step on an ended, decided case).
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    await expect(handle.executeUpdate(appealConflictUpdate, appeal(partnerActor('fabrikam')))).rejects.toThrow();
  });
});
