/**
 * Regenerates the workflow histories that test/workflows/replay.test.ts replays, so that a change to
 * workflow code that would break running registrations or account claims fails CI. Each one is a
 * representative execution on the time-skipping test server with the product worker and a seeded
 * store, written as Temporal's JSON history format to test/fixtures/histories/<name>.json.
 *
 *   node --import tsx scripts/generate-histories.ts      (or: npm run histories)
 *
 * Regenerate only on purpose: the committed files stand for executions already running in
 * production, recorded by the workflow code of their time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '../test/workflows/histories';
import {
  ACCOUNT_CLAIMS_WORKFLOW_TYPE,
  type AccountClaimsWorkflow,
  accountClaimsWorkflowId,
  claimUpdate,
  releaseUpdate,
  type ClaimRequest,
} from '../workflows/accountClaims/contract';
import {
  decideUpdate,
  firstDecisionUpdate,
  provideInfoUpdate,
  REGISTRATION_WORKFLOW_TYPE,
  type RegistrationWorkflow,
  recordProgressUpdate,
  requestExtensionUpdate,
  withdrawUpdate,
} from '../workflows/registration/contract';
import { registrationWorkflowId, type Actor } from '../workflows/registration/contract';
import {
  appealConflictUpdate,
  conflictStatusQuery,
  resolveConflictUpdate,
  type ConflictWorkflow,
} from '../workflows/conflict/contract';
import { conflictWorkflowId, type ConflictView } from '../workflows/conflict/contract';
import { cancelPolicyChangeUpdate } from '../workflows/policyChange/contract';
import { EXAMPLE_POLICY } from '../src/domain/policy';
import { DEV_PEOPLE } from '../src/devDirectory';
import { recipientKeyOf } from '../activities/managerDigest/index';
import { managerDigestStatusQuery, managerDigestWorkflowId } from '../workflows/managerDigest/contract';
import { eventually } from '../test/helpers/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../test/helpers/timeSkipping';
import { aPolicy, aRegistration, managerActor, partnerActor } from '../test/workflows/builders';
import { launchRollout } from '../test/workflows/rollouts';
import {
  claimHeldByEndedRegistration,
  DAY,
  HOUR,
  MINUTE,
  nextUtc,
  sleepUntil,
  startPolicyChange,
  startRegistration,
  submit,
  viewWhen,
} from '../test/workflows/support';

const HISTORIES_DIR = join(__dirname, '..', 'test', 'fixtures', 'histories');
const MANAGER_DIGEST_WINDOW = 15 * MINUTE;

type Scenario = (stack: TimeSkippingStack) => Promise<Record<string, WorkflowHandle>>;

const northwind = partnerActor('northwind');
const withdrawal = (by: Actor, reason: string) => ({ args: [{ reason, by }] as [{ reason: string; by: Actor }] });

/** Auto-approved; progress updates, a staleness reminder, both expiry reminders, then expiry. */
const autoApprovedThenExpired: Scenario = async (stack) => {
  const policy = aPolicy().withValidity('P90D').withReminders('P14D', 'P3D').withStaleAfter('P30D');
  const { handle, view } = await submit(stack, aRegistration().withPolicy(policy));
  const decidedAt = Date.parse(view.decision!.decidedAt);
  await sleepUntil(stack.env, decidedAt + 20 * DAY);
  await handle.executeUpdate(recordProgressUpdate, {
    args: [{ note: 'demo held', stage: 'discovery', by: northwind }],
  });
  await sleepUntil(stack.env, decidedAt + 50 * DAY + MINUTE);
  await viewWhen(handle, (v) => v.timeline.some((entry) => entry.event === 'stale_reminder'));
  await handle.executeUpdate(recordProgressUpdate, { args: [{ note: 'proposal sent', by: northwind }] });
  await sleepUntil(stack.env, Date.parse(view.expiresAt!) + MINUTE);
  await handle.result();
  return { 'registration-auto-approved-expired': handle };
};

/** Reviewed: reminder, SLA breach escalating to the regional director, info asked and given, approved, extended, withdrawn. */
const pendingEscalatedApprovedWithdrawn: Scenario = async (stack) => {
  const { handle, view } = await submit(stack, aRegistration().inSegment('enterprise'));
  await sleepUntil(stack.env, Date.parse(view.review!.dueAt) + MINUTE);
  await viewWhen(handle, (v) => v.review?.assigneeRole === 'regional_director');
  const director = managerActor('rd-emea');
  await handle.executeUpdate(decideUpdate, {
    args: [{ outcome: 'request_info', reason: 'Which subsidiary buys?', by: director }],
  });
  await sleepUntil(stack.env, Date.parse(view.review!.dueAt) + DAY);
  await handle.executeUpdate(provideInfoUpdate, { args: [{ message: 'The German one', by: northwind }] });
  await handle.executeUpdate(decideUpdate, { args: [{ outcome: 'approve', reason: 'co-sell agreed', by: director }] });
  await handle.executeUpdate(requestExtensionUpdate, { args: [{ reason: 'procurement delay', by: northwind }] });
  await handle.executeUpdate(withdrawUpdate, withdrawal(northwind, 'the customer postponed'));
  await handle.result();
  return { 'registration-pending-escalated-approved-withdrawn': handle };
};

/** Two partners on one account and product line: the second is in conflict and withdraws; so does the first. */
const inConflictWithdrawn: Scenario = async (stack) => {
  const first = aRegistration();
  const holder = await submit(stack, first);
  const contender = await submit(stack, aRegistration().forPartner('fabrikam').onAccount(first.accountKey));
  await contender.handle.executeUpdate(withdrawUpdate, withdrawal(partnerActor('fabrikam'), 'another partner has it'));
  await contender.handle.result();
  await holder.handle.executeUpdate(withdrawUpdate, withdrawal(northwind, 'lost interest'));
  await holder.handle.result();
  return { 'registration-in-conflict-withdrawn': contender.handle };
};

/** Rejected by route at once, without a claim. */
const rejectedByRoute: Scenario = async (stack) => {
  const { handle } = await startRegistration(stack, aRegistration().inSegment('strategic'));
  await handle.result();
  return { 'registration-rejected-by-route': handle };
};

/** Claims, a conflict and releases on one account, rolling over to a new run (continue-as-new). */
const accountClaimsRolledOver: Scenario = async (stack) => {
  const accountKey = 'replay-fixture.example';
  const handle = await stack.client.workflow.start<AccountClaimsWorkflow>(ACCOUNT_CLAIMS_WORKFLOW_TYPE, {
    workflowId: accountClaimsWorkflowId(accountKey),
    taskQueue: stack.taskQueue,
    args: [{ accountKey, maxHistoryEvents: 30 }],
  });
  const claimOf = (registrationId: string, productLine: string, partnerId: string): ClaimRequest => ({
    registrationId,
    partnerId,
    productLine,
    submittedAt: '2027-01-04T09:00:00.000Z',
    namedDirect: false,
  });
  const claim = (request: ClaimRequest) => handle.executeUpdate(claimUpdate, { args: [request] });
  await claim(claimOf('reg-a', 'cloud', 'northwind'));
  await claim(claimOf('reg-b', 'cloud', 'fabrikam'));
  await claim(claimOf('reg-c', 'analytics', 'contoso'));
  await claim(claimOf('reg-a', 'cloud', 'northwind'));
  await handle.executeUpdate(releaseUpdate, {
    args: [{ registrationId: 'reg-a', productLine: 'cloud', reason: 'expired' }],
  });
  await claim(claimOf('reg-d', 'cloud', 'contoso'));
  await claim(claimOf('reg-e', 'security', 'northwind'));
  await handle.executeUpdate(releaseUpdate, {
    args: [{ registrationId: 'reg-b', productLine: 'cloud', reason: 'withdrawn' }],
  });
  const latest = await stack.client.workflow.getHandle(handle.workflowId).describe();
  if (latest.runId === handle.firstExecutionRunId) throw new Error('the account claims did not continue as new');
  return {
    'account-claims-continued-as-new': stack.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId),
    'account-claims-after-continue-as-new': stack.client.workflow.getHandle(handle.workflowId, latest.runId),
  };
};

/**
 * After the review patches (reminder on the SLA's clock, after a pause, breach once at the top):
 * a VP-only ladder, info asked and given, reminded half-way through what was left, overdue, approved.
 */
const overdueAtTopAfterInfo: Scenario = async (stack) => {
  const policy = aPolicy().withLadder({ role: 'vp_partnerships', sla: 'PT24H' });
  const { handle, view } = await submit(stack, aRegistration().inSegment('enterprise').withPolicy(policy));
  const vp = managerActor('vp');
  await handle.executeUpdate(decideUpdate, { args: [{ outcome: 'request_info', reason: 'Which entity?', by: vp }] });
  await sleepUntil(stack.env, Date.parse(view.review!.dueAt) + DAY);
  await handle.executeUpdate(provideInfoUpdate, { args: [{ message: 'The holding', by: northwind }] });
  await sleepUntil(stack.env, Date.parse(view.review!.dueAt) + 20 * DAY);
  await viewWhen(handle, (v) => v.timeline.some((entry) => entry.event === 'review_overdue'));
  await handle.executeUpdate(decideUpdate, { args: [{ outcome: 'reject', reason: 'direct deal', by: vp }] });
  await handle.result();
  return { 'registration-overdue-at-top-after-info': handle };
};

/** Northwind holds the line, Fabrikam (submitted `earlierBy` before it) collides: the case once both parties are in. */
async function conflictOf(stack: TimeSkippingStack, policy: ReturnType<typeof aPolicy>, earlierBy = 0) {
  const first = aRegistration().withPolicy(policy);
  const holder = await submit(stack, first);
  const contenderBuilder = aRegistration().forPartner('fabrikam').onAccount(first.accountKey).withPolicy(policy);
  const contender = earlierBy
    ? await submitEarlier(stack, contenderBuilder, (await stack.env.currentTimeMs()) - earlierBy)
    : await submit(stack, contenderBuilder);
  const handle = stack.client.workflow.getHandle<ConflictWorkflow>(conflictWorkflowId(contender.view.conflictId!));
  const caseWhen = (accept: (view: ConflictView) => boolean) =>
    eventually(
      () => handle.query(conflictStatusQuery).catch(() => undefined),
      (v) => v !== undefined && accept(v),
    ).then((v) => v!);
  const view = await caseWhen((v) => v.parties.length === 2);
  return { holder, contender, handle, view, caseWhen };
}

async function submitEarlier(stack: TimeSkippingStack, builder: ReturnType<typeof aRegistration>, at: number) {
  const input = builder.submittedAtMs(at).build();
  const handle = await stack.client.workflow.start<RegistrationWorkflow>(REGISTRATION_WORKFLOW_TYPE, {
    workflowId: registrationWorkflowId(input.registrationId),
    taskQueue: stack.taskQueue,
    args: [input],
  });
  return { input, handle, view: await handle.executeUpdate(firstDecisionUpdate) };
}

/**
 * A collision on the example ladder: tier 1 (channel manager) misses its deadline, a regional
 * director awards the newcomer, the appeal window passes; the winner later withdraws.
 */
const conflictResolvedAtTierTwo: Scenario = async (stack) => {
  const { holder, contender, handle, view, caseWhen } = await conflictOf(stack, aPolicy());
  await sleepUntil(stack.env, Date.parse(view.dueAt!) + MINUTE);
  await caseWhen((v) => v.tier === 2);
  const decided = await handle.executeUpdate(resolveConflictUpdate, {
    args: [{ award: contender.input.registrationId, reason: 'Fabrikam brought the deal', by: managerActor('rd-emea') }],
  });
  await viewWhen(contender.handle, (v) => v.status === 'approved');
  await viewWhen(holder.handle, (v) => v.status === 'rejected');
  await sleepUntil(stack.env, Date.parse(decided.resolution!.decidedAt) + 5 * DAY + MINUTE);
  await handle.result();
  await holder.handle.result();
  await contender.handle.executeUpdate(withdrawUpdate, withdrawal(partnerActor('fabrikam'), 'the customer postponed'));
  await contender.handle.result();
  return {
    'conflict-resolved-at-tier-two': handle,
    'registration-conflict-winner-resolved-at-tier-two': contender.handle,
    'registration-conflict-loser-resolved-at-tier-two': holder.handle,
  };
};

/**
 * Nobody decides a three-tier ladder of 8 business hours each: the policy's first_to_register awards
 * the earlier submission (the newcomer), no appeal comes, the case closes after the window.
 */
const conflictDefaultedAfterAppealWindow: Scenario = async (stack) => {
  const policy = aPolicy()
    .withLadder(
      { role: 'channel_manager', sla: 'PT8H' },
      { role: 'regional_director', sla: 'PT8H' },
      { role: 'vp_partnerships', sla: 'PT8H' },
    )
    .withCalendar({
      timezone: 'UTC',
      workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      hours: { start: '09:00', end: '17:00' },
    });
  await sleepUntil(stack.env, nextUtc(await stack.env.currentTimeMs(), 1, 9));
  const { holder, contender, handle, caseWhen } = await conflictOf(stack, policy, HOUR);
  for (const tier of [1, 2, 3]) {
    const current = await caseWhen((v) => v.tier === tier);
    await sleepUntil(stack.env, Date.parse(current.dueAt!) + MINUTE);
  }
  const defaulted = await caseWhen((v) => v.status === 'defaulted');
  await viewWhen(contender.handle, (v) => v.status === 'approved');
  await sleepUntil(stack.env, Date.parse(defaulted.resolution!.decidedAt) + 5 * DAY + MINUTE);
  await handle.result();
  await holder.handle.result();
  await contender.handle.executeUpdate(withdrawUpdate, withdrawal(partnerActor('fabrikam'), 'the customer postponed'));
  await contender.handle.result();
  return {
    'conflict-defaulted-after-appeal-window': handle,
    'registration-conflict-winner-defaulted-after-appeal-window': contender.handle,
    'registration-conflict-loser-defaulted-after-appeal-window': holder.handle,
  };
};

/**
 * The holder is awarded at tier one, the newcomer appeals within the window and its registration is
 * in conflict again (since patch reopened-decision its decision says so); the director confirms.
 */
const reopenedOnAppeal: Scenario = async (stack) => {
  const { holder, contender, handle, caseWhen } = await conflictOf(stack, aPolicy());
  const decided = await handle.executeUpdate(resolveConflictUpdate, {
    args: [{ award: holder.input.registrationId, reason: 'Northwind held it first', by: managerActor('cm-emea') }],
  });
  await viewWhen(contender.handle, (v) => v.status === 'rejected');
  await sleepUntil(stack.env, Date.parse(decided.resolution!.decidedAt) + DAY);
  await handle.executeUpdate(appealConflictUpdate, {
    args: [{ reason: 'we met the customer first', by: partnerActor('fabrikam') }],
  });
  await viewWhen(contender.handle, (v) => v.status === 'in_conflict' && v.decision?.outcome === 'in_conflict');
  await caseWhen((v) => v.status === 'open' && v.tier === 2);
  await handle.executeUpdate(resolveConflictUpdate, {
    args: [{ award: holder.input.registrationId, reason: 'confirmed on appeal', by: managerActor('rd-emea') }],
  });
  await viewWhen(contender.handle, (v) => v.status === 'rejected');
  await sleepUntil(stack.env, (await stack.env.currentTimeMs()) + 5 * DAY + MINUTE);
  await contender.handle.result();
  return { 'registration-reopened-on-appeal': contender.handle };
};

/**
 * Since patch ended-party-leaves-when-told: the line's holder had ended before the case could tell
 * it, so it leaves at once and the case awards the newcomer; the appeal window passes.
 */
const conflictHolderEndedBeforeTold: Scenario = async (stack) => {
  const builder = aRegistration().forPartner('fabrikam');
  await claimHeldByEndedRegistration(stack, builder.accountKey, 'cloud');
  const contender = await submit(stack, builder);
  const handle = stack.client.workflow.getHandle<ConflictWorkflow>(conflictWorkflowId(contender.view.conflictId!));
  const decided = await eventually(
    () => handle.query(conflictStatusQuery).catch(() => undefined),
    (v) => v !== undefined && v.status === 'resolved',
  );
  await viewWhen(contender.handle, (v) => v.status === 'approved');
  await sleepUntil(stack.env, Date.parse(decided!.resolution!.decidedAt) + 5 * DAY + MINUTE);
  await handle.result();
  await contender.handle.executeUpdate(withdrawUpdate, withdrawal(partnerActor('fabrikam'), 'the customer postponed'));
  await contender.handle.result();
  return { 'conflict-holder-ended-before-told': handle };
};

/** As POST /api/policies/{version}/publish: a draft (validity P60D, notice P10D) scheduled now, its change workflow started. */
async function publishPolicy(stack: TimeSkippingStack, title: string) {
  const document = { ...aPolicy().withValidity('P60D').build().document, title, noticePeriod: 'P10D' };
  const draft = await stack.db.store.policies.createDraft(document);
  const publishedAt = await stack.env.currentTimeMs();
  const effectiveAt = publishedAt + 10 * DAY;
  const policy = (await stack.db.store.policies.schedule(draft.version, new Date(publishedAt), new Date(effectiveAt)))!;
  const handle = await startPolicyChange(stack, policy);
  return { policy, handle, publishedAt, effectiveAt };
}

/** Notice to every partner, Northwind acknowledges, reminders at 50 % and 90 % of the notice, effective. */
const policyChangeEffective: Scenario = async (stack) => {
  const { policy, handle, effectiveAt } = await publishPolicy(stack, 'Replay: effective');
  await stack.db.store.policies.acknowledge(policy.version, 'northwind', 'partner:northwind');
  await sleepUntil(stack.env, effectiveAt + MINUTE);
  const final = await handle.result();
  if (final.status !== 'effective' || final.remindersSent.length !== 2)
    throw new Error(`the policy change did not end effective after two reminders: ${JSON.stringify(final)}`);
  return { 'policy-change-effective': handle };
};

/** Notice, the first reminder, then cancelled by an admin before the effective instant. */
const policyChangeCancelled: Scenario = async (stack) => {
  const { handle, publishedAt } = await publishPolicy(stack, 'Replay: cancelled');
  await sleepUntil(stack.env, publishedAt + 6 * DAY);
  await handle.executeUpdate(cancelPolicyChangeUpdate, { args: [{ reason: 'rules under review', by: 'admin:ada' }] });
  const final = await handle.result();
  if (final.status !== 'cancelled' || final.remindersSent.length !== 1)
    throw new Error(`the policy change did not end cancelled after one reminder: ${JSON.stringify(final)}`);
  return { 'policy-change-cancelled': handle };
};

/**
 * A rollout through every stage: a request for changes on Align, Enable waiting for 80 % of the
 * partners, Instrument's checks, two reviews after the effective date; a later version's rollout
 * reaching Enable then hands it over.
 */
async function rolloutAndTheNext(stack: TimeSkippingStack): Promise<{ first: WorkflowHandle; later: WorkflowHandle }> {
  const first = await launchRollout(stack, 'Replay: rollout');
  await first.viewWhen((v) => v.currentStage === 'align');
  await first.signOff('align', 'request_changes', 'add the marketplace route');
  await first.finish('align', 'design');
  await first.finish('design', 'document');
  await first.finish('document', 'enable');
  await stack.db.store.policies.acknowledge(first.version, 'northwind', 'partner:northwind');
  await stack.db.store.policies.acknowledge(first.version, 'contoso', 'partner:contoso');
  await first.completeTasks('enable');
  await first.signOff('enable', 'approve', 'trained');
  await sleepUntil(stack.env, (await stack.env.currentTimeMs()) + DAY);
  await stack.db.store.policies.acknowledge(first.version, 'fabrikam', 'partner:fabrikam');
  await sleepUntil(stack.env, (await stack.env.currentTimeMs()) + DAY);
  await first.viewWhen((v) => v.stages.find((s) => s.name === 'instrument')!.checks !== undefined);
  await first.finish('instrument', 'review');
  const effectiveAt = Date.parse((await stack.db.store.policies.get(first.version))!.effectiveAt!);
  await sleepUntil(stack.env, effectiveAt + 180 * DAY + MINUTE);
  await first.viewWhen((v) => v.reviews.length === 2);
  await eventually(
    () => stack.db.store.rollouts.get(first.rolloutId),
    (v) => v?.status === 'in_review',
  );
  const later = await launchRollout(stack, 'Replay: next rollout');
  await later.finish('align', 'design');
  await later.finish('design', 'document');
  await later.finish('document', 'enable');
  const done = await first.handle.result();
  if (done.status !== 'completed' || done.reviews.length !== 2)
    throw new Error(`the rollout did not complete after two reviews: ${JSON.stringify(done.history)}`);
  await later.handle.terminate('replay fixture recorded');
  return { first: first.handle, later: later.handle };
}

const rolloutFullPath: Scenario = async (stack) => ({ 'rollout-full-path': (await rolloutAndTheNext(stack)).first });

/** Since patch hand-over-signalled-by-workflow: the next rollout finds the earlier one and signals it itself. */
const rolloutHandOverByWorkflow: Scenario = async (stack) => {
  const { first, later } = await rolloutAndTheNext(stack);
  return { 'rollout-full-path-hand-over-by-workflow': first, 'rollout-next-hands-over-by-workflow': later };
};

/**
 * A rollout whose Align passes its due date (owner reminded half-way, then the sponsor told), and
 * whose Instrument is blocked by a playbook scenario giving the wrong outcome, signed off again.
 */
const rolloutOverdueAndBlocked: Scenario = async (stack) => {
  const rollout = await launchRollout(stack, 'Replay: overdue and blocked', {
    policy: { playbook: [{ ...EXAMPLE_POLICY.playbook![0], id: 'S9', expect: { outcome: 'rejected' } }] },
    stages: { align: { owner: { name: 'Olga Owner', email: 'olga.owner@vendor.example' }, due: 'P4D' } },
    acknowledgementThreshold: 0,
  });
  const opened = await rollout.viewWhen((v) => v.currentStage === 'align');
  await sleepUntil(stack.env, Date.parse(opened.stages[0].dueAt!) + MINUTE);
  await rollout.viewWhen((v) => v.history.some((e) => e.event === 'stage_overdue'));
  await rollout.finish('align', 'design');
  await rollout.finish('design', 'document');
  await rollout.finish('document', 'enable');
  await rollout.finish('enable', 'instrument');
  await rollout.viewWhen((v) => v.stages[4].status === 'blocked');
  await rollout.completeTasks('instrument');
  const retried = await rollout.signOff('instrument', 'approve', 'try again');
  if (retried.history.filter((e) => e.event === 'checks_failed').length !== 2)
    throw new Error(`Instrument did not stay blocked: ${JSON.stringify(retried.history)}`);
  await rollout.handle.terminate('replay fixture recorded');
  return { 'rollout-overdue-and-blocked': rollout.handle };
};

/** Since patch currency-rates: a dollar deal under a euro policy without a USD rate is reviewed, then approved. */
const otherCurrencyReviewed: Scenario = async (stack) => {
  const { handle, view } = await submit(stack, aRegistration().withAmount(20_000, 'USD'));
  if (view.status !== 'pending_review') throw new Error(`the dollar deal was not reviewed: ${view.status}`);
  await handle.executeUpdate(decideUpdate, {
    args: [{ outcome: 'approve', reason: 'rate checked', by: managerActor('cm-emea') }],
  });
  await handle.executeUpdate(withdrawUpdate, withdrawal(northwind, 'the customer postponed'));
  await handle.result();
  return { 'registration-other-currency-reviewed': handle };
};

/**
 * Since patch store-refused-step: a registration whose own text the store cannot hold (a lone
 * surrogate in its title, past the API's checks) leaves each refused recording out and still ends
 * when withdrawn. (registration-store-refused-step.json, a progress note accepted with such text,
 * was recorded before the updates refused it: it stands for executions that took one then, and no
 * scenario can make one any more.)
 */
const storeRefusedOwnText: Scenario = async (stack) => {
  const input = aRegistration()
    .submittedAtMs(await stack.env.currentTimeMs())
    .build();
  input.opportunity.title = 'Analytics \ud800';
  const handle = await stack.client.workflow.start<RegistrationWorkflow>(REGISTRATION_WORKFLOW_TYPE, {
    workflowId: registrationWorkflowId(input.registrationId),
    taskQueue: stack.taskQueue,
    args: [input],
  });
  await handle.executeUpdate(firstDecisionUpdate);
  await handle.executeUpdate(withdrawUpdate, withdrawal(northwind, 'Customer went elsewhere'));
  await handle.result();
  return { 'registration-store-refused-own-text': handle };
};

/** Two review assignments for the channel manager: the second waits for the digest, sent at the window's end. */
const managerDigestSent: Scenario = async (stack) => {
  const assigned = [
    await submit(stack, aRegistration().inSegment('enterprise')),
    await submit(stack, aRegistration().inSegment('enterprise')),
  ].map(({ handle }) => `${handle.workflowId}/reviewAssigned#%`);
  const recipientKey = recipientKeyOf(DEV_PEOPLE[0].email);
  // Both sends decided: one went at once, the other is held in the window its digest is named by.
  const windows = await eventually(
    async () =>
      stack.db.store.db.query<{ window_seq: number | null }>(
        'SELECT window_seq FROM manager_mail_items WHERE email_key LIKE ANY($1)',
        [assigned],
      ),
    (rows) => rows.length === 2,
  );
  const window = windows.find((row) => row.window_seq !== null)!.window_seq!;
  const handle = stack.client.workflow.getHandle(managerDigestWorkflowId(recipientKey, window));
  await eventually(
    () => handle.query(managerDigestStatusQuery).catch(() => undefined),
    (view) => view?.updates.length === 1,
  );
  await stack.env.sleep(MANAGER_DIGEST_WINDOW + MINUTE);
  await handle.result();
  return { 'manager-digest-sent': handle };
};

/** A scenario recorded again under a new fixture name, e.g. once a patch changed its commands. */
const recordedAs =
  (name: string, scenario: Scenario): Scenario =>
  async (stack) => ({ [name]: Object.values(await scenario(stack))[0] });

/** Every scenario by the fixtures it writes; `npm run histories -- NAME…` regenerates only those. */
const SCENARIOS: Record<string, Scenario> = {
  'registration-auto-approved-expired': autoApprovedThenExpired,
  'registration-pending-escalated-approved-withdrawn': pendingEscalatedApprovedWithdrawn,
  'registration-in-conflict-withdrawn': inConflictWithdrawn,
  'registration-rejected-by-route': rejectedByRoute,
  'account-claims': accountClaimsRolledOver,
  'registration-overdue-at-top-after-info': overdueAtTopAfterInfo,
  'conflict-resolved-at-tier-two': conflictResolvedAtTierTwo,
  'conflict-defaulted-after-appeal-window': conflictDefaultedAfterAppealWindow,
  'policy-change-effective': policyChangeEffective,
  'policy-change-cancelled': policyChangeCancelled,
  // Since patch policy-notices-beside: the notices run beside the change instead of holding it up.
  'policy-change-effective-notices-beside': recordedAs('policy-change-effective-notices-beside', policyChangeEffective),
  'policy-change-cancelled-notices-beside': recordedAs('policy-change-cancelled-notices-beside', policyChangeCancelled),
  'registration-withdrawn-ending-recorded-first': recordedAs(
    'registration-withdrawn-ending-recorded-first',
    pendingEscalatedApprovedWithdrawn,
  ),
  'registration-other-currency-reviewed': otherCurrencyReviewed,
  'rollout-full-path': rolloutFullPath,
  'rollout-hand-over-by-workflow': rolloutHandOverByWorkflow,
  // Since patch leaving-signalled-by-workflow: the registration signals its case itself when it leaves.
  'registration-in-conflict-withdrawn-signalled-by-workflow': recordedAs(
    'registration-in-conflict-withdrawn-signalled-by-workflow',
    inConflictWithdrawn,
  ),
  'rollout-overdue-and-blocked': rolloutOverdueAndBlocked,
  'registration-reopened-on-appeal': reopenedOnAppeal,
  'registration-store-refused-own-text': storeRefusedOwnText,
  'manager-digest-sent': managerDigestSent,
  'conflict-holder-ended-before-told': conflictHolderEndedBeforeTold,
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !(name in SCENARIOS));
  if (unknown.length)
    throw new Error(`unknown scenarios ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  // The digest rule on, as in production; it changes which emails go, not the other workflows' histories.
  const stack = await startTimeSkippingStack({ managerDigestWindowMs: MANAGER_DIGEST_WINDOW });
  try {
    mkdirSync(HISTORIES_DIR, { recursive: true });
    for (const [scenarioName, scenario] of Object.entries(SCENARIOS)) {
      if (only.length && !only.includes(scenarioName)) continue;
      console.log(`running ${scenarioName}`);
      for (const [name, handle] of Object.entries(await scenario(stack))) {
        const history = await handle.fetchHistory();
        writeFileSync(join(HISTORIES_DIR, `${name}.json`), `${historyToJSON(history)}\n`);
        console.log(`wrote ${name}.json (${history.events?.length ?? 0} events)`);
      }
    }
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
