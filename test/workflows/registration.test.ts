import { WorkflowNotFoundError } from '@temporalio/client';
import { addBusinessMillis, businessMillisBetween, deadlineAfter } from '../../src/domain/calendar';
import type { PolicyCalendar } from '../../src/domain/policy';
import { AUTO_APPROVE, EXISTING_CLAIM, NAMED_DIRECT_ACCOUNT } from '../../src/domain/rules';
import { ACCOUNT_KEY, ASSIGNEE_ROLE, DUE_AT, PARTNER_ID, PROCESS_STATUS } from '../../src/temporal/searchAttributes';
import { accountClaimsWorkflowId } from '../../workflows/accountClaims/contract';
import {
  closeUpdate,
  decideUpdate,
  provideInfoUpdate,
  recordProgressUpdate,
  registrationStatusQuery,
  requestExtensionUpdate,
  withdrawUpdate,
  type ManagerDecision,
} from '../../workflows/registration/contract';
import { ACTIVE_STATUSES, type RegistrationView } from '../../workflows/registration/contract';
import { eventually } from '../helpers/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../helpers/timeSkipping';
import { aPolicy, aRegistration, managerActor, partnerActor, type RegistrationBuilder } from './builders';
import {
  ADDRESSES,
  DAY,
  HOUR,
  MINUTE,
  claimsOn,
  emailAbout,
  emailsAbout,
  eventAt,
  eventsOf,
  isoDate,
  nextUtc,
  refusalOf,
  sleepUntil,
  startRegistration,
  subjectsTo,
  submit,
  viewWhen,
  type RegistrationHandle,
  type Submitted,
} from './support';

// The registration process on the time-skipping test server: a 90-day protection or a 48-hour SLA
// takes milliseconds. The server has one clock, so these tests run one after another and compute
// every instant from the server's own time or the workflow's view, never from the date today.

jest.setTimeout(90_000);

let stack: TimeSkippingStack;
const started: RegistrationHandle[] = [];

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

// Every registration a test started ends before the next test moves the clock, and each one's
// audit trail and read model must agree with its timeline, whatever path it took. No test spans a
// year: a larger jump means the server skipped to the 10-year execution timeouts (TimeSkippingStack.client).
afterEach(async () => {
  for (const handle of started.splice(0)) await endAndCheckRecords(handle);
  expect((await stack.env.currentTimeMs()) - testStartedAt).toBeLessThan(365 * DAY);
});

/** Submits through the builder and waits for the first decision; the test's registration ends after it. */
async function submitted(builder: RegistrationBuilder): Promise<Submitted> {
  const registration = await submit(stack, builder);
  started.push(registration.handle);
  return registration;
}

/** Starts a registration without waiting on the first decision (for ones that end at once). */
async function startedOnly(builder: RegistrationBuilder) {
  const registration = await startRegistration(stack, builder);
  started.push(registration.handle);
  return registration;
}

const now = () => stack.env.currentTimeMs();

/** A Monday-to-Friday, 09:00–17:00 UTC calendar: hand-checkable business time. */
const utcCalendar = (holidays: string[] = []): PolicyCalendar => ({
  timezone: 'UTC',
  workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  hours: { start: '09:00', end: '17:00' },
  holidays,
});

/** An enterprise account: every registration is reviewed (route R-ENTERPRISE of the example policy). */
const aReviewedRegistration = () => aRegistration().inSegment('enterprise');

const decision = (outcome: ManagerDecision['outcome'], by = managerActor('cm-emea'), reason = 'checked') => ({
  args: [{ outcome, reason, by }] as [ManagerDecision],
});

/** At `at` or within two seconds after: a timer fires at its instant, plus the moments the worker takes. */
function expectAtOrJustAfter(actual: number | undefined, at: number): void {
  expect(actual).toBeDefined();
  expect(actual!).toBeGreaterThanOrEqual(at);
  expect(actual! - at).toBeLessThan(2000);
}

async function endAndCheckRecords(handle: RegistrationHandle): Promise<void> {
  const { status } = await handle.describe();
  if (status.name === 'RUNNING') {
    const view = await handle.query(registrationStatusQuery);
    if (view.status !== 'submitted' && ACTIVE_STATUSES.includes(view.status)) {
      await handle.executeUpdate(withdrawUpdate, {
        args: [{ reason: 'the test is over', by: partnerActor(view.partnerId) }],
      });
    }
  }
  const final = await handle.result();
  await expectRecordedOnce(final);
}

/** One audit event per timeline entry, in order, and the read model equal to the final view. */
async function expectRecordedOnce(final: RegistrationView): Promise<void> {
  const audit = (await stack.db.store.audit.bySubject(`registration:${final.id}`, 500)).items;
  expect(audit.map((event) => event.action)).toEqual(final.timeline.map((entry) => `registration.${entry.event}`));
  expect(audit.map((event) => event.at)).toEqual(final.timeline.map((entry) => entry.at));
  expect(await stack.db.store.registrations.get(final.id)).toEqual(final);
}

describe('a registration the rules approve at once', () => {
  it('is approved for a gold partner within the auto-approval threshold and protected for the 90 days of the policy', async () => {
    const { input, handle, view } = await submitted(aRegistration().withPolicy(aPolicy().withValidity('P90D')));

    expect(view.status).toBe('approved');
    expect(view.decision).toMatchObject({
      outcome: 'approved',
      ruleIds: ['R-DEFAULT', AUTO_APPROVE],
      decidedBy: 'system:rules',
    });
    expect(Date.parse(view.expiresAt!) - Date.parse(view.decision!.decidedAt)).toBe(90 * DAY);
    expect((await claimsOn(stack, input.account.domain, 'cloud'))?.holder).toMatchObject({
      kind: 'partner',
      registrationId: input.registrationId,
      partnerId: 'northwind',
    });
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(PROCESS_STATUS)).toBe('approved');
    expect(attributes.get(PARTNER_ID)).toBe('northwind');
    expect(attributes.get(ACCOUNT_KEY)).toBe(input.account.domain);
    expect(attributes.get(DUE_AT)).toEqual(new Date(view.expiresAt!));
    const decided = await emailAbout(stack.outbox, input.registrationId, ': approved');
    expect(decided.to).toEqual([ADDRESSES.northwind]);
    expect(decided.text).toContain(view.decision!.reason);
    expect((await emailAbout(stack.outbox, input.registrationId, 'received')).to).toEqual([ADDRESSES.northwind]);
  });

  it('reminds the partner 14 days and 3 days before the protection ends', async () => {
    const policy = aPolicy().withValidity('P90D').withReminders('P14D', 'P3D').withoutStaleness();
    const { input, handle, view } = await submitted(aRegistration().withPolicy(policy));
    const expiresAt = Date.parse(view.expiresAt!);
    const id = input.registrationId;

    await sleepUntil(stack.env, expiresAt - 14 * DAY - HOUR);
    expect(eventsOf(await handle.query(registrationStatusQuery))).not.toContain('expiry_reminder');

    await sleepUntil(stack.env, expiresAt - 14 * DAY + HOUR);
    const afterFirst = await viewWhen(handle, (v) => eventsOf(v).includes('expiry_reminder'));
    expectAtOrJustAfter(eventAt(afterFirst, 'expiry_reminder'), expiresAt - 14 * DAY);
    const first = await emailAbout(stack.outbox, id, 'expires');
    expect(first.to).toEqual([ADDRESSES.northwind]);
    expect(first.text).toContain('P14D before it ends');

    await sleepUntil(stack.env, expiresAt - 3 * DAY + HOUR);
    const afterSecond = await viewWhen(
      handle,
      (v) => eventsOf(v).filter((event) => event === 'expiry_reminder').length === 2,
    );
    expectAtOrJustAfter(
      Date.parse(afterSecond.timeline.filter((e) => e.event === 'expiry_reminder')[1].at),
      expiresAt - 3 * DAY,
    );
    expect(afterSecond.status).toBe('approved');
    const reminders = await eventually(
      async () => (await emailsAbout(stack.outbox, id)).filter((mail) => mail.subject.includes('expires')),
      (found) => found.length === 2,
    );
    expect(reminders.map((mail) => mail.to)).toEqual([[ADDRESSES.northwind], [ADDRESSES.northwind]]);
    expect(reminders.map((mail) => mail.text.match(/P\d+D before it ends/)?.[0]).sort()).toEqual([
      'P14D before it ends',
      'P3D before it ends',
    ]);
  });

  it('expires when its validity runs out and releases the claim, so the account and product line can be granted again', async () => {
    const policy = aPolicy().withValidity('P90D').withoutStaleness();
    const registration = aRegistration().forProductLine('analytics').withPolicy(policy);
    const first = await submitted(registration);

    await sleepUntil(stack.env, Date.parse(first.view.expiresAt!) + MINUTE);
    const final = await first.handle.result();

    expect(final.status).toBe('expired');
    expectAtOrJustAfter(eventAt(final, 'expired'), Date.parse(first.view.expiresAt!));
    expect(eventsOf(final).slice(-2)).toEqual(['expired', 'claim_released']);
    expect((await claimsOn(stack, registration.accountKey, 'analytics'))?.holder).toBeUndefined();
    expect((await emailAbout(stack.outbox, first.input.registrationId, 'expired')).to).toEqual([ADDRESSES.northwind]);

    const next = await submitted(
      aRegistration().forPartner('fabrikam').onAccount(registration.accountKey).forProductLine('analytics'),
    );
    expect(next.view.status).toBe('approved');
    expect((await claimsOn(stack, registration.accountKey, 'analytics'))?.holder).toMatchObject({
      registrationId: next.input.registrationId,
      partnerId: 'fabrikam',
    });
  });
});

describe('a registration the rules do not approve', () => {
  it('goes to review when its amount is above the auto-approval threshold', async () => {
    const { view } = await submitted(aRegistration().withAmount(60_000));

    expect(view.status).toBe('pending_review');
    expect(view.decision).toMatchObject({ ruleIds: ['R-DEFAULT', AUTO_APPROVE] });
    expect(view.decision!.reason).toContain('above the auto-approval threshold of 50,000');
  });

  it("goes to review when the partner's tier is not auto-approved", async () => {
    const { view } = await submitted(aRegistration().forPartner('contoso'));

    expect(view.status).toBe('pending_review');
    expect(view.decision!.reason).toContain('your partner tier is silver');
  });

  it('is rejected by the route of a strategic account without claiming the account', async () => {
    const { input, handle } = await startedOnly(aRegistration().inSegment('strategic'));

    const final = await handle.result();

    expect(final.status).toBe('rejected');
    expect(final.decision).toMatchObject({ outcome: 'rejected', ruleIds: ['R-STRATEGIC'] });
    expect(eventsOf(final)).toEqual(['submitted', 'evaluated']);
    await expect(
      stack.client.workflow.getHandle(accountClaimsWorkflowId(input.account.domain)).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const rejected = await emailAbout(stack.outbox, input.registrationId, ': rejected');
    expect(rejected.to).toEqual([ADDRESSES.northwind]);
    expect(rejected.text).toContain(final.decision!.reason);
  });

  it('is in conflict with the direct team on a named direct account', async () => {
    const registration = aRegistration().onNamedDirectAccount();
    const { input, view } = await submitted(registration);

    expect(view.status).toBe('in_conflict');
    expect(view.decision).toMatchObject({ ruleIds: ['R-DEFAULT', NAMED_DIRECT_ACCOUNT] });
    expect(view.decision!.reason).toContain('named direct account');
    expect(await claimsOn(stack, registration.accountKey, 'cloud')).toMatchObject({
      holder: { kind: 'direct' },
      contenders: [{ kind: 'partner', registrationId: input.registrationId }],
    });
    expect((await emailAbout(stack.outbox, input.registrationId, ': in conflict')).to).toEqual([ADDRESSES.northwind]);
  });

  it('puts the second registration of an account and product line in conflict, and withdrawing the first frees the line', async () => {
    const first = await submitted(aRegistration());
    const accountKey = first.input.account.domain;
    const second = await submitted(aRegistration().forPartner('fabrikam').onAccount(accountKey));

    expect(first.view.status).toBe('approved');
    expect(second.view.status).toBe('in_conflict');
    expect(second.view.decision).toMatchObject({ ruleIds: ['R-DEFAULT', EXISTING_CLAIM] });
    // A partner never learns who else registered.
    expect(second.view.decision!.reason).not.toMatch(/northwind/i);
    expect(await claimsOn(stack, accountKey, 'cloud')).toMatchObject({
      holder: { registrationId: first.input.registrationId },
      contenders: [{ registrationId: second.input.registrationId, partnerId: 'fabrikam' }],
    });

    await first.handle.executeUpdate(withdrawUpdate, {
      args: [{ reason: 'lost interest', by: partnerActor('northwind') }],
    });
    expect((await first.handle.result()).status).toBe('withdrawn');

    const line = await claimsOn(stack, accountKey, 'cloud');
    expect(line?.holder).toBeUndefined();
    expect(line?.contenders.map((c) => c.registrationId)).toEqual([second.input.registrationId]);
    expect(await second.handle.query(registrationStatusQuery)).toMatchObject({ status: 'in_conflict' });
  });
});

describe('a registration under review', () => {
  const reviewPolicy = (calendar: PolicyCalendar, onBreach: 'escalate' | 'approve' | 'reject' = 'escalate') =>
    aPolicy().withCalendar(calendar).withReview({ sla: 'PT16H', clock: 'business', onBreach });

  it('waits on the channel managers of its region, due when the SLA ends on the business clock', async () => {
    const calendar = utcCalendar();
    const { input, handle, view } = await submitted(aReviewedRegistration().withPolicy(reviewPolicy(calendar)));

    expect(view.status).toBe('pending_review');
    expect(view.decision).toMatchObject({ outcome: 'pending_review', ruleIds: ['R-ENTERPRISE'] });
    const dueAt = deadlineAfter(eventAt(view, 'evaluated')!, 'PT16H', calendar, 'business');
    expect(view.review).toEqual({ assigneeRole: 'channel_manager', dueAt: new Date(dueAt).toISOString(), breaches: 0 });
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(PROCESS_STATUS)).toBe('pending_review');
    expect(attributes.get(ASSIGNEE_ROLE)).toBe('channel_manager');
    expect(attributes.get(DUE_AT)).toEqual(new Date(dueAt));
    const inbox = await stack.db.store.registrations.pendingReviews(['channel_manager']);
    expect(inbox.map((r) => r.id)).toContain(input.registrationId);
    expect((await emailAbout(stack.outbox, input.registrationId, 'Review needed')).to).toEqual([
      ADDRESSES.channelManager,
    ]);
    expect((await emailAbout(stack.outbox, input.registrationId, ': pending review')).to).toEqual([
      ADDRESSES.northwind,
    ]);
  });

  it('reminds the channel manager, then escalates to the regional director exactly when the SLA ends, counting neither the weekend nor the holiday', async () => {
    // Submitted on a Friday at 15:00; the Monday after is a holiday. 16 business hours are
    // 2 on Friday, none on the weekend or the holiday, 8 on Tuesday and 6 on Wednesday.
    const friday = nextUtc(await now(), 5, 15);
    const holiday = friday + 3 * DAY;
    const calendar = utcCalendar([isoDate(holiday)]);
    await sleepUntil(stack.env, friday);
    const { input, handle, view } = await submitted(aReviewedRegistration().withPolicy(reviewPolicy(calendar)));
    const id = input.registrationId;
    const assignedAt = eventAt(view, 'evaluated')!;
    const dueAt = Date.parse(view.review!.dueAt);

    expect(dueAt).toBe(deadlineAfter(assignedAt, 'PT16H', calendar, 'business'));
    expect(dueAt).toBe(friday + 5 * DAY + (assignedAt - friday));
    expect(new Date(dueAt).getUTCDay()).toBe(3);

    await sleepUntil(stack.env, dueAt - MINUTE);
    const beforeDue = await viewWhen(handle, (v) => eventsOf(v).includes('review_reminder'));
    expect(beforeDue).toMatchObject({ status: 'pending_review', review: { assigneeRole: 'channel_manager' } });
    expect(eventsOf(beforeDue)).not.toContain('review_escalated');
    expect((await emailAbout(stack.outbox, id, 'Reminder: registration')).to).toEqual([ADDRESSES.channelManager]);

    await sleepUntil(stack.env, dueAt + MINUTE);
    const escalated = await viewWhen(handle, (v) => eventsOf(v).includes('review_escalated'));
    const escalatedAt = eventAt(escalated, 'review_escalated')!;
    expectAtOrJustAfter(escalatedAt, dueAt);
    expect(escalated.status).toBe('pending_review');
    expect(escalated.review).toEqual({
      assigneeRole: 'regional_director',
      dueAt: new Date(deadlineAfter(escalatedAt, 'PT16H', calendar, 'business')).toISOString(),
      breaches: 1,
    });
    expect((await handle.describe()).typedSearchAttributes.get(ASSIGNEE_ROLE)).toBe('regional_director');
    expect((await emailAbout(stack.outbox, id, 'SLA breached')).to).toEqual([ADDRESSES.channelManager]);
    const toDirector = await eventually(
      () => subjectsTo(stack.outbox, id, ADDRESSES.regionalDirector),
      (subjects) => subjects.length > 0,
    );
    expect(toDirector).toEqual([expect.stringContaining('Review needed')]);
  });

  it('reminds the reviewer half-way through the working time of the SLA, not half-way on the calendar', async () => {
    // Friday 15:00 + 16 business hours with Monday a holiday: 8 working hours in is Tuesday 15:00.
    const friday = nextUtc(await now(), 5, 15);
    const calendar = utcCalendar([isoDate(friday + 3 * DAY)]);
    await sleepUntil(stack.env, friday);
    const { handle, view } = await submitted(aReviewedRegistration().withPolicy(reviewPolicy(calendar)));
    const assignedAt = eventAt(view, 'evaluated')!;
    const halfWay = addBusinessMillis(assignedAt, 8 * HOUR, calendar);
    expect(new Date(halfWay).getUTCDay()).toBe(2);

    await sleepUntil(stack.env, halfWay - MINUTE);
    expect(eventsOf(await handle.query(registrationStatusQuery))).not.toContain('review_reminder');
    await sleepUntil(stack.env, halfWay + MINUTE);
    const reminded = await viewWhen(handle, (v) => eventsOf(v).includes('review_reminder'));
    expectAtOrJustAfter(eventAt(reminded, 'review_reminder'), halfWay);
    await handle.executeUpdate(decideUpdate, decision('approve'));
  });

  it('reminds the reviewer half-way through what is left of the SLA after the partner answers, not at once', async () => {
    const monday = nextUtc(await now(), 1, 9);
    const calendar = utcCalendar();
    await sleepUntil(stack.env, monday);
    const { handle, view } = await submitted(aReviewedRegistration().withPolicy(reviewPolicy(calendar)));
    const assignedAt = eventAt(view, 'evaluated')!;
    await sleepUntil(stack.env, assignedAt + 2 * HOUR);
    await handle.executeUpdate(decideUpdate, decision('request_info'));
    await sleepUntil(stack.env, monday + 3 * DAY + HOUR);
    const resumed = await handle.executeUpdate(provideInfoUpdate, {
      args: [{ message: 'the PO is attached', by: partnerActor('northwind') }],
    });
    const resumedAt = eventAt(resumed, 'info_provided')!;
    // 14 working hours were left (16 less the 2 before the request): the reminder comes after 7.
    const dueAt = Date.parse(resumed.review!.dueAt);
    expect(businessMillisBetween(resumedAt, dueAt, calendar)).toBeCloseTo(14 * HOUR, -2);
    const halfOfRest = addBusinessMillis(resumedAt, businessMillisBetween(resumedAt, dueAt, calendar) / 2, calendar);

    await sleepUntil(stack.env, halfOfRest - MINUTE);
    expect(eventsOf(await handle.query(registrationStatusQuery))).not.toContain('review_reminder');
    await sleepUntil(stack.env, halfOfRest + MINUTE);
    const reminded = await viewWhen(handle, (v) => eventsOf(v).includes('review_reminder'));
    expectAtOrJustAfter(eventAt(reminded, 'review_reminder'), halfOfRest);
    await handle.executeUpdate(decideUpdate, decision('approve'));
  });

  it('records a breach at the top of the ladder once and leaves the review overdue with the top role', async () => {
    const calendar = utcCalendar();
    const policy = reviewPolicy(calendar).withLadder({ role: 'vp_partnerships', sla: 'PT24H' });
    const { input, handle, view } = await submitted(aReviewedRegistration().withPolicy(policy));
    expect(view.review?.assigneeRole).toBe('vp_partnerships');
    const dueAt = Date.parse(view.review!.dueAt);

    await sleepUntil(stack.env, dueAt + 10 * DAY);
    const overdue = await viewWhen(handle, (v) => eventsOf(v).includes('review_overdue'));
    expect(overdue.status).toBe('pending_review');
    expect(overdue.review).toMatchObject({ assigneeRole: 'vp_partnerships', breaches: 1, dueAt: view.review!.dueAt });
    expect(eventsOf(overdue).filter((e) => e === 'review_overdue')).toHaveLength(1);
    expect(eventsOf(overdue)).not.toContain('review_escalated');
    expectAtOrJustAfter(eventAt(overdue, 'review_overdue'), dueAt);
    await emailAbout(stack.outbox, input.registrationId, 'SLA breached');
    const breachMails = (await emailsAbout(stack.outbox, input.registrationId)).filter((m) =>
      m.subject.includes('SLA breached'),
    );
    expect(breachMails).toHaveLength(1);

    const approved = await handle.executeUpdate(decideUpdate, decision('approve', managerActor('vp')));
    expect(approved.status).toBe('approved');
  });

  it('is approved by default when the SLA passes under a policy that approves on breach', async () => {
    const { input, handle, view } = await submitted(
      aReviewedRegistration().withPolicy(reviewPolicy(utcCalendar(), 'approve').withValidity('P60D')),
    );
    const dueAt = Date.parse(view.review!.dueAt);

    await sleepUntil(stack.env, dueAt + MINUTE);
    const approved = await viewWhen(handle, (v) => v.status !== 'pending_review');

    expect(approved.status).toBe('approved');
    expect(approved.decision).toMatchObject({ outcome: 'approved', ruleIds: ['REVIEW-SLA'], decidedBy: 'system:sla' });
    expectAtOrJustAfter(Date.parse(approved.decision!.decidedAt), dueAt);
    expect(Date.parse(approved.expiresAt!) - Date.parse(approved.decision!.decidedAt)).toBe(60 * DAY);
    expect(approved.review?.breaches).toBe(1);
    expect((await emailAbout(stack.outbox, input.registrationId, 'SLA breached')).to).toEqual([
      ADDRESSES.channelManager,
    ]);
    expect((await emailAbout(stack.outbox, input.registrationId, ': approved')).to).toEqual([ADDRESSES.northwind]);
    expect((await claimsOn(stack, input.account.domain, 'cloud'))?.holder?.registrationId).toBe(input.registrationId);
  });

  it('is rejected by default when the SLA passes under a policy that rejects on breach, releasing the claim', async () => {
    const { input, handle, view } = await submitted(
      aReviewedRegistration().withPolicy(reviewPolicy(utcCalendar(), 'reject')),
    );

    await sleepUntil(stack.env, Date.parse(view.review!.dueAt) + MINUTE);
    const final = await handle.result();

    expect(final.status).toBe('rejected');
    expect(final.decision).toMatchObject({ outcome: 'rejected', ruleIds: ['REVIEW-SLA'], decidedBy: 'system:sla' });
    expectAtOrJustAfter(Date.parse(final.decision!.decidedAt), Date.parse(view.review!.dueAt));
    expect(eventsOf(final).slice(-2)).toEqual(['sla_default_rejected', 'claim_released']);
    expect((await claimsOn(stack, input.account.domain, 'cloud'))?.holder).toBeUndefined();
    expect((await emailAbout(stack.outbox, input.registrationId, 'SLA breached')).to).toEqual([
      ADDRESSES.channelManager,
    ]);
    expect((await emailAbout(stack.outbox, input.registrationId, ': rejected')).to).toEqual([ADDRESSES.northwind]);
  });

  it('stops the SLA clock while the partner is asked for information: the due time moves by the paused business time', async () => {
    // Submitted Monday 10:00, due Wednesday 10:00; asked Monday 12:00 with 14 business hours left,
    // answered Thursday 12:00 (after the old due time): 24 business hours paused, due next Monday 10:00.
    const calendar = utcCalendar();
    const monday = nextUtc(await now(), 1, 10);
    await sleepUntil(stack.env, monday);
    const { input, handle, view } = await submitted(aReviewedRegistration().withPolicy(reviewPolicy(calendar)));
    const dueAt = Date.parse(view.review!.dueAt);
    expect(Math.abs(dueAt - (monday + 2 * DAY))).toBeLessThan(MINUTE);

    await sleepUntil(stack.env, monday + 2 * HOUR);
    const asked = await handle.executeUpdate(
      decideUpdate,
      decision('request_info', undefined, 'Which subsidiary buys?'),
    );
    expect(asked.status).toBe('info_requested');
    const infoRequest = await emailAbout(stack.outbox, input.registrationId, 'information requested');
    expect(infoRequest.to).toEqual([ADDRESSES.northwind]);
    expect(infoRequest.text).toContain('Which subsidiary buys?');

    await sleepUntil(stack.env, monday + 2 * DAY + 2 * HOUR);
    const paused = await handle.query(registrationStatusQuery);
    expect(paused.status).toBe('info_requested');
    expect(eventsOf(paused)).not.toContain('review_escalated');

    await sleepUntil(stack.env, monday + 3 * DAY + 2 * HOUR);
    const answered = await handle.executeUpdate(provideInfoUpdate, {
      args: [{ message: 'Initech Germany GmbH', by: partnerActor('northwind') }],
    });
    expect(answered.status).toBe('pending_review');
    const requestedAt = eventAt(answered, 'info_requested')!;
    const providedAt = eventAt(answered, 'info_provided')!;
    const pausedBusinessTime = businessMillisBetween(requestedAt, providedAt, calendar);
    expect(Math.abs(pausedBusinessTime - 24 * HOUR)).toBeLessThan(MINUTE);
    const newDueAt = Date.parse(answered.review!.dueAt);
    expect(newDueAt).toBe(addBusinessMillis(dueAt, pausedBusinessTime, calendar));
    expect(newDueAt).toBe(addBusinessMillis(providedAt, businessMillisBetween(requestedAt, dueAt, calendar), calendar));
    expect(Math.abs(newDueAt - (monday + 7 * DAY))).toBeLessThan(MINUTE);

    await sleepUntil(stack.env, newDueAt - MINUTE);
    expect(eventsOf(await handle.query(registrationStatusQuery))).not.toContain('review_escalated');
    await sleepUntil(stack.env, newDueAt + MINUTE);
    const escalated = await viewWhen(handle, (v) => eventsOf(v).includes('review_escalated'));
    expectAtOrJustAfter(eventAt(escalated, 'review_escalated'), newDueAt);
  });

  it('is approved by the channel manager, which starts the protection', async () => {
    const { input, handle } = await submitted(aReviewedRegistration());

    const approved = await handle.executeUpdate(
      decideUpdate,
      decision('approve', managerActor('cm-emea'), 'co-sell agreed'),
    );

    expect(approved.status).toBe('approved');
    expect(approved.decision).toMatchObject({
      outcome: 'approved',
      reason: 'co-sell agreed',
      ruleIds: ['MANAGER-DECISION'],
      decidedBy: 'cm-emea',
    });
    expect(Date.parse(approved.expiresAt!) - Date.parse(approved.decision!.decidedAt)).toBe(90 * DAY);
    expect((await handle.describe()).typedSearchAttributes.get(ASSIGNEE_ROLE)).toBeUndefined();
    const email = await emailAbout(stack.outbox, input.registrationId, ': approved');
    expect(email.to).toEqual([ADDRESSES.northwind]);
    expect(email.text).toContain('co-sell agreed');
  });

  it('is rejected by the channel manager, which releases the claim', async () => {
    const { input, handle } = await submitted(aReviewedRegistration());

    await handle.executeUpdate(
      decideUpdate,
      decision('reject', managerActor('cm-emea'), 'the direct team owns this deal'),
    );
    const final = await handle.result();

    expect(final.status).toBe('rejected');
    expect(final.decision).toMatchObject({ reason: 'the direct team owns this deal', decidedBy: 'cm-emea' });
    expect(eventsOf(final).slice(-2)).toEqual(['rejected', 'claim_released']);
    expect((await claimsOn(stack, input.account.domain, 'cloud'))?.holder).toBeUndefined();
    expect((await emailAbout(stack.outbox, input.registrationId, ': rejected')).text).toContain(
      'the direct team owns this deal',
    );
  });

  it('refuses a decision from a channel manager once the review has escalated to the regional director', async () => {
    const policy = aPolicy().withReview({ sla: 'PT4H', clock: 'wall', onBreach: 'escalate' });
    const { handle, view } = await submitted(aReviewedRegistration().withPolicy(policy));
    await sleepUntil(stack.env, Date.parse(view.review!.dueAt) + MINUTE);
    await viewWhen(handle, (v) => v.review?.assigneeRole === 'regional_director');

    const refusal = await refusalOf(handle.executeUpdate(decideUpdate, decision('approve', managerActor('cm-emea'))));

    expect(refusal.type).toBe('NotAllowed');
    expect(refusal.message).toContain('regional director');
    expect(await handle.query(registrationStatusQuery)).toMatchObject({ status: 'pending_review' });
    const approved = await handle.executeUpdate(decideUpdate, decision('approve', managerActor('rd-emea')));
    expect(approved.decision?.decidedBy).toBe('rd-emea');
  });

  it('refuses a decision from a channel manager of another region', async () => {
    const { handle, view } = await submitted(aReviewedRegistration().forPartner('fabrikam').inRegion('na'));

    const refusal = await refusalOf(handle.executeUpdate(decideUpdate, decision('approve', managerActor('cm-emea'))));

    expect(refusal.type).toBe('NotAllowed');
    expect(refusal.message).toContain('region na');
    // A refused update leaves no trace in the process.
    expect(await handle.query(registrationStatusQuery)).toEqual(view);
  });

  it('refuses a decision from a partner', async () => {
    const { handle } = await submitted(aReviewedRegistration());

    const refusal = await refusalOf(handle.executeUpdate(decideUpdate, decision('approve', partnerActor('northwind'))));

    expect(refusal.type).toBe('NotAllowed');
  });

  it('accepts a decision from a role above the assignee role in every region', async () => {
    const { handle } = await submitted(aReviewedRegistration());

    const approved = await handle.executeUpdate(decideUpdate, decision('approve', managerActor('vp')));

    expect(approved).toMatchObject({ status: 'approved', decision: { decidedBy: 'vp' } });
  });
});

describe('an approved registration', () => {
  it('is extended up to the limit of the policy, then refused naming EXTENSION-LIMIT, and expires at the extended end', async () => {
    const policy = aPolicy().withValidity('P90D').withExtensions(2, 'P30D').withoutStaleness();
    const { input, handle, view } = await submitted(aRegistration().withPolicy(policy));
    const expiresAt = Date.parse(view.expiresAt!);
    const by = partnerActor('northwind');
    await sleepUntil(stack.env, expiresAt - 10 * DAY);

    const once = await handle.executeUpdate(requestExtensionUpdate, { args: [{ reason: 'procurement delay', by }] });
    const twice = await handle.executeUpdate(requestExtensionUpdate, { args: [{ reason: 'board approval', by }] });
    const refusal = await refusalOf(handle.executeUpdate(requestExtensionUpdate, { args: [{ reason: 'again', by }] }));

    expect(Date.parse(once.expiresAt!)).toBe(expiresAt + 30 * DAY);
    expect(Date.parse(twice.expiresAt!)).toBe(expiresAt + 60 * DAY);
    expect(twice.extensions.map((e) => e.reason)).toEqual(['procurement delay', 'board approval']);
    expect(refusal.type).toBe('RuleViolation');
    expect(refusal.details?.[0]).toMatchObject({ ruleId: 'EXTENSION-LIMIT', max: 2, used: 2 });
    expect(refusal.message).toContain('allows 2 extensions');
    expect((await emailAbout(stack.outbox, input.registrationId, 'extended to')).to).toEqual([ADDRESSES.northwind]);

    await sleepUntil(stack.env, expiresAt + 60 * DAY + MINUTE);
    const final = await handle.result();
    expect(final.status).toBe('expired');
    expectAtOrJustAfter(eventAt(final, 'expired'), expiresAt + 60 * DAY);
  });

  it('reminds a partner who posts no progress update after staleAfter, and releases it after twice that', async () => {
    const policy = aPolicy().withValidity('P90D').withStaleAfter('P30D');
    const { input, handle, view } = await submitted(aRegistration().withPolicy(policy));
    const decidedAt = Date.parse(view.decision!.decidedAt);

    await sleepUntil(stack.env, decidedAt + 30 * DAY - HOUR);
    expect(eventsOf(await handle.query(registrationStatusQuery))).not.toContain('stale_reminder');
    await sleepUntil(stack.env, decidedAt + 30 * DAY + HOUR);
    const reminded = await viewWhen(handle, (v) => eventsOf(v).includes('stale_reminder'));
    expectAtOrJustAfter(eventAt(reminded, 'stale_reminder'), decidedAt + 30 * DAY);
    expect((await emailAbout(stack.outbox, input.registrationId, 'no update for a while')).to).toEqual([
      ADDRESSES.northwind,
    ]);

    await sleepUntil(stack.env, decidedAt + 60 * DAY + MINUTE);
    const final = await handle.result();

    expect(final.status).toBe('expired');
    expectAtOrJustAfter(eventAt(final, 'stale_released'), decidedAt + 60 * DAY);
    expect(eventsOf(final).slice(-2)).toEqual(['stale_released', 'claim_released']);
    expect((await claimsOn(stack, input.account.domain, 'cloud'))?.holder).toBeUndefined();
    expect((await emailAbout(stack.outbox, input.registrationId, 'expired')).text).toContain(
      'no progress update for twice the staleness period',
    );
  });

  it('restarts the staleness clock with each progress update', async () => {
    const policy = aPolicy().withValidity('P90D').withStaleAfter('P30D');
    const { handle, view } = await submitted(aRegistration().withPolicy(policy));
    const decidedAt = Date.parse(view.decision!.decidedAt);
    await sleepUntil(stack.env, decidedAt + 20 * DAY);

    const updated = await handle.executeUpdate(recordProgressUpdate, {
      args: [{ note: 'demo done', stage: 'proposal', by: partnerActor('northwind') }],
    });
    const updatedAt = Date.parse(updated.lastPartnerUpdateAt!);

    await sleepUntil(stack.env, decidedAt + 30 * DAY + HOUR);
    expect(eventsOf(await handle.query(registrationStatusQuery))).not.toContain('stale_reminder');
    await sleepUntil(stack.env, updatedAt + 30 * DAY + HOUR);
    const reminded = await viewWhen(handle, (v) => eventsOf(v).includes('stale_reminder'));
    expectAtOrJustAfter(eventAt(reminded, 'stale_reminder'), updatedAt + 30 * DAY);
    await sleepUntil(stack.env, decidedAt + 60 * DAY + HOUR);
    expect(await handle.query(registrationStatusQuery)).toMatchObject({ status: 'approved' });
    expect(updated.timeline.at(-1)).toMatchObject({ event: 'progress_update', detail: 'proposal: demo done' });
  });

  it.each(['won', 'lost'] as const)('is closed as %s by the partner, which releases the claim', async (outcome) => {
    const { input, handle } = await submitted(aRegistration());

    const closed = await handle.executeUpdate(closeUpdate, { args: [{ outcome, by: partnerActor('northwind') }] });
    const final = await handle.result();

    expect(closed.status).toBe(outcome);
    expect(final.status).toBe(outcome);
    expect(eventsOf(final).slice(-2)).toEqual([`closed_${outcome}`, 'claim_released']);
    expect((await claimsOn(stack, input.account.domain, 'cloud'))?.holder).toBeUndefined();
  });

  it('is withdrawn by the partner, which releases the claim', async () => {
    const { input, handle } = await submitted(aRegistration());

    await handle.executeUpdate(withdrawUpdate, {
      args: [{ reason: 'customer chose another vendor', by: partnerActor('northwind') }],
    });
    const final = await handle.result();

    expect(final.status).toBe('withdrawn');
    expect(eventsOf(final).slice(-2)).toEqual(['withdrawn', 'claim_released']);
    expect((await claimsOn(stack, input.account.domain, 'cloud'))?.holder).toBeUndefined();
  });

  it('refuses every action of another partner', async () => {
    const { handle, view } = await submitted(aRegistration());
    const by = partnerActor('contoso');

    const refusals = await Promise.all([
      refusalOf(handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'mine now', by }] })),
      refusalOf(handle.executeUpdate(requestExtensionUpdate, { args: [{ reason: 'longer', by }] })),
      refusalOf(handle.executeUpdate(closeUpdate, { args: [{ outcome: 'won', by }] })),
    ]);

    expect(refusals.map((r) => r.type)).toEqual(['NotAllowed', 'NotAllowed', 'NotAllowed']);
    expect(await handle.query(registrationStatusQuery)).toEqual(view);
  });
});

describe('the records of a registration', () => {
  it('holds every transition once in the audit trail, and the read model ends equal to the status query', async () => {
    const { handle } = await submitted(
      aReviewedRegistration().withPolicy(aPolicy().withReview({ sla: 'PT48H', clock: 'wall', onBreach: 'escalate' })),
    );
    const partner = partnerActor('northwind');
    await handle.executeUpdate(decideUpdate, decision('request_info', managerActor('cm-emea'), 'which team?'));
    await handle.executeUpdate(provideInfoUpdate, { args: [{ message: 'the EMEA team', by: partner }] });
    await handle.executeUpdate(decideUpdate, decision('approve', managerActor('vp'), 'fine'));
    await handle.executeUpdate(recordProgressUpdate, { args: [{ note: 'pilot started', by: partner }] });
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ reason: 'pilot runs long', by: partner }] });
    await handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'pilot failed', by: partner }] });

    const final = await handle.result();

    expect(eventsOf(final)).toEqual([
      'submitted',
      'evaluated',
      'info_requested',
      'info_provided',
      'approved',
      'progress_update',
      'extended',
      'withdrawn',
      'claim_released',
    ]);
    const audit = (await stack.db.store.audit.bySubject(`registration:${final.id}`, 500)).items;
    expect(audit.map((event) => [event.action, event.actor])).toEqual([
      ['registration.submitted', 'partner:northwind'],
      ['registration.evaluated', 'system:rules'],
      ['registration.info_requested', 'cm-emea'],
      ['registration.info_provided', 'partner:northwind'],
      ['registration.approved', 'vp'],
      ['registration.progress_update', 'partner:northwind'],
      ['registration.extended', 'partner:northwind'],
      ['registration.withdrawn', 'partner:northwind'],
      ['registration.claim_released', 'system:claims'],
    ]);
    expect(await stack.db.store.registrations.get(final.id)).toEqual(final);
    expect(await handle.query(registrationStatusQuery)).toEqual(final);
  });
});
