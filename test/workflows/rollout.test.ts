import { isoDurationToMillis } from '../../src/domain/duration';
import { EXAMPLE_POLICY } from '../../src/domain/policy';
import type { ParsedMail } from 'mailparser';
import { messageIdFor } from '../../src/notify/mailer';
import { rolloutStatusQuery } from '../../workflows/rollout/contract';
import { rolloutWorkflowId, type RolloutStageName, type RolloutView } from '../../workflows/rollout/contract';
import { eventually } from '../helpers/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../helpers/timeSkipping';
import { launchRollout, SPONSOR, stageOf, type LaunchedRollout, type RolloutOptions } from './rollouts';
import { DAY, MINUTE, sleepUntil } from './support';

// The rollout workflow on the time-skipping test server with the real store, activities and
// outbox: due dates of a week, a notice period of 30 days and a review cadence of 90 days take
// milliseconds. The server has one clock, so the tests run in order; each computes its instants
// from the server's time. A rollout reaching Enable hands over every earlier one in review, so a
// test never relies on another test's rollout staying in review.
// Rollouts are left running, never terminated: terminating one while its activity is in flight was
// seen to leave the test server's clock locked, so that the next sleep waited minutes in real time.

jest.setTimeout(150_000);

let stack: TimeSkippingStack;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const now = () => stack.env.currentTimeMs();
const eventsOf = (view: RolloutView) => view.history.map((entry) => entry.event);
const atOf = (view: RolloutView, event: string) => Date.parse(view.history.find((e) => e.event === event)!.at);

interface SentMail {
  to: string[];
  subject: string;
  text: string;
}

/** Waits for the first email in the outbox that `accept`s. */
async function mailWhere(accept: (mail: ParsedMail) => boolean): Promise<SentMail> {
  const mails = await eventually(
    () => stack.outbox.read(),
    (all) => all.some(accept),
  );
  const mail = mails.find(accept)!;
  const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((object) =>
    object.value.map((address) => address.address ?? ''),
  );
  return { to: to.sort(), subject: mail.subject ?? '', text: mail.text ?? '' };
}

/** The email a rollout sent for `purpose` (e.g. `reminder:align`), by its deterministic Message-ID. */
function mailOf(rollout: LaunchedRollout, purpose: string): Promise<SentMail> {
  const messageId = messageIdFor(`${rolloutWorkflowId(rollout.rolloutId)}/${purpose}`);
  return mailWhere((mail) => mail.messageId === messageId);
}

/** An email whose subject and text contain these parts. */
const mailWith = (subjectPart: string, textPart: string) =>
  mailWhere((mail) => (mail.subject ?? '').includes(subjectPart) && (mail.text ?? '').includes(textPart));

/** The workflow clock reads the time of the task that ran: a timer's effect lands within a second of it. */
function expectAbout(actual: number, expected: number): void {
  expect(actual).toBeGreaterThanOrEqual(expected);
  expect(actual - expected).toBeLessThan(1_000);
}

/** Every partner of the development directory acknowledges `version`. */
async function everyPartnerAcknowledges(version: number): Promise<void> {
  for (const partner of ['northwind', 'contoso', 'fabrikam'])
    await stack.db.store.policies.acknowledge(version, partner, `partner:${partner}`);
}

/** Launches a rollout and walks it through Instrument into Review, every partner acknowledging at Enable. */
async function walkToReview(title: string, options: RolloutOptions = {}): Promise<LaunchedRollout> {
  const launched = await launchRollout(stack, title, options);
  await launched.finish('align', 'design');
  await launched.finish('design', 'document');
  await launched.finish('document', 'enable');
  await everyPartnerAcknowledges(launched.version);
  await launched.finish('enable', 'instrument');
  await launched.viewWhen((v) => stageOf(v, 'instrument').checks !== undefined);
  await launched.finish('instrument', 'review');
  return launched;
}

it('walks Align → Review: Document freezes the draft, Enable publishes and waits for acknowledgements, Instrument checks', async () => {
  const first = await launchRollout(stack, 'Rollout: full path');
  const opened = await first.viewWhen((v) => v.currentStage === 'align');
  expect(opened.status).toBe('active');
  expect(opened.stages.map((s) => s.status)).toEqual(['active', 'pending', 'pending', 'pending', 'pending', 'pending']);
  expect(Date.parse(stageOf(opened, 'align').dueAt!) - Date.parse(stageOf(opened, 'align').openedAt!)).toBe(7 * DAY);
  const openedMail = await mailOf(first, 'opened:align');
  expect(openedMail.subject).toBe(`Stage align of the rollout of policy version ${first.version} is open`);
  expect(openedMail.to).toEqual([SPONSOR.email]);

  // Tasks alone do not complete a stage: it needs its sign-off too.
  const tasksDone = await first.completeTasks('align');
  expect(stageOf(tasksDone, 'align').status).toBe('active');
  await first.signOff('align', 'approve', 'agreed');
  await first.finish('design', 'document');

  const documented = await first.finish('document', 'enable');
  expect(stageOf(documented, 'document').status).toBe('completed');
  const published = await eventually(
    () => stack.db.store.policies.get(first.version),
    (policy) => policy?.status === 'scheduled',
  );
  expect(published!.frozen).toBe(true);
  expect(Date.parse(published!.effectiveAt!) - Date.parse(published!.publishedAt!)).toBe(
    isoDurationToMillis(EXAMPLE_POLICY.noticePeriod),
  );

  // Two of three partners (67 %) are under the 80 % threshold: signed off, Enable still waits.
  await stack.db.store.policies.acknowledge(first.version, 'northwind', 'partner:northwind');
  await stack.db.store.policies.acknowledge(first.version, 'contoso', 'partner:contoso');
  await first.completeTasks('enable');
  const waiting = await first.signOff('enable', 'approve', 'partners trained');
  expect(stageOf(waiting, 'enable').status).toBe('active');
  await sleepUntil(stack.env, (await now()) + DAY);
  expect((await first.handle.query(rolloutStatusQuery)).currentStage).toBe('enable');

  await stack.db.store.policies.acknowledge(first.version, 'fabrikam', 'partner:fabrikam');
  await sleepUntil(stack.env, (await now()) + DAY);
  const instrument = await first.viewWhen((v) => stageOf(v, 'instrument').checks !== undefined);
  expect(eventsOf(instrument)).toContain('adoption_reached');
  const checks = stageOf(instrument, 'instrument').checks!;
  expect(checks.filter((c) => !c.passed)).toEqual([]);
  expect(checks.map((c) => c.id)).toEqual(
    expect.arrayContaining([
      ...EXAMPLE_POLICY.playbook!.map((scenario) => `playbook:${scenario.id}`),
      'email-delivery',
      'search-attributes',
    ]),
  );

  const review = await first.finish('instrument', 'review');
  expect(review.status).toBe('in_review');
  expect(review.stages.slice(0, 5).map((s) => s.status)).toEqual(Array(5).fill('completed'));
  const stored = await eventually(
    () => stack.db.store.rollouts.get(first.rolloutId),
    (view) => view?.status === 'in_review',
  );
  expect(stored!.currentStage).toBe('review');
});

it('keeps a stage open as changes_requested until it is approved', async () => {
  const rollout = await launchRollout(stack, 'Rollout: changes requested');
  await rollout.completeTasks('align');
  const held = await rollout.signOff('align', 'request_changes', 'add the marketplace route');
  expect(held.currentStage).toBe('align');
  expect(stageOf(held, 'align').status).toBe('changes_requested');
  const mail = await mailWith('Changes requested on stage align', 'add the marketplace route');
  expect(mail.to).toEqual([SPONSOR.email]);

  // Time passing does not release it; only an approval does.
  await sleepUntil(stack.env, (await now()) + 2 * DAY);
  expect(stageOf(await rollout.handle.query(rolloutStatusQuery), 'align').status).toBe('changes_requested');
  await rollout.signOff('align', 'approve', 'route added');
  const design = await rollout.viewWhen((v) => v.currentStage === 'design');
  const align = stageOf(design, 'align');
  expect(align.status).toBe('completed');
  expect(align.signOffs.map((s) => s.decision)).toEqual(['request_changes', 'approve']);
});

it('reminds the owner half-way to the due date and tells the sponsor once the stage is overdue', async () => {
  const owner = { name: 'Olga Owner', email: 'olga.owner@vendor.example' };
  const rollout = await launchRollout(stack, 'Rollout: overdue', { stages: { align: { owner, due: 'P4D' } } });
  const opened = await rollout.viewWhen((v) => v.currentStage === 'align');
  const openedAt = Date.parse(stageOf(opened, 'align').openedAt!);
  const dueAt = Date.parse(stageOf(opened, 'align').dueAt!);
  expect(dueAt - openedAt).toBe(4 * DAY);

  await sleepUntil(stack.env, openedAt + 2 * DAY + MINUTE);
  const reminded = await rollout.viewWhen((v) => eventsOf(v).includes('stage_reminder'));
  expectAbout(atOf(reminded, 'stage_reminder'), openedAt + 2 * DAY);
  expect(eventsOf(reminded)).not.toContain('stage_overdue');
  const reminder = await mailOf(rollout, 'reminder:align');
  expect(reminder.subject).toBe(`Reminder: stage align is due ${stageOf(opened, 'align').dueAt}`);
  expect(reminder.to).toEqual([owner.email]);

  await sleepUntil(stack.env, dueAt + MINUTE);
  const overdue = await rollout.viewWhen((v) => eventsOf(v).includes('stage_overdue'));
  expectAbout(atOf(overdue, 'stage_overdue'), dueAt);
  expect(stageOf(overdue, 'align').status).toBe('active');
  const escalation = await mailOf(rollout, 'overdue:align');
  expect(escalation.subject).toBe(`Overdue: stage align of the rollout of policy version ${rollout.version}`);
  expect(escalation.text).toContain('owned by Olga Owner');
  expect(escalation.to).toEqual([owner.email, SPONSOR.email].sort());

  // The sponsor is told once, however long the stage stays overdue.
  await sleepUntil(stack.env, dueAt + 10 * DAY);
  const later = await rollout.handle.query(rolloutStatusQuery);
  expect(eventsOf(later).filter((e) => e === 'stage_overdue')).toHaveLength(1);
  expect(eventsOf(later).filter((e) => e === 'stage_reminder')).toHaveLength(1);
});

it('blocks Instrument when a playbook scenario fails, naming the scenario with expected and actual outcome', async () => {
  const broken = [{ ...EXAMPLE_POLICY.playbook![0], id: 'S9', expect: { outcome: 'rejected' as const } }];
  const rollout = await launchRollout(stack, 'Rollout: broken playbook', {
    policy: { playbook: broken },
    acknowledgementThreshold: 0,
  });
  for (const [stage, next] of [
    ['align', 'design'],
    ['design', 'document'],
    ['document', 'enable'],
    ['enable', 'instrument'],
  ] as [RolloutStageName, RolloutStageName][])
    await rollout.finish(stage, next);
  const blocked = await rollout.viewWhen((v) => stageOf(v, 'instrument').status === 'blocked');
  const failing = stageOf(blocked, 'instrument').checks!.filter((c) => !c.passed);
  expect(failing).toEqual([
    { id: 'playbook:S9', passed: false, detail: expect.stringMatching(/expected rejected.*got approved/) },
  ]);
  expect(
    stageOf(blocked, 'instrument')
      .checks!.filter((c) => c.passed)
      .map((c) => c.id),
  ).toEqual(expect.arrayContaining(['email-delivery', 'search-attributes']));
  const mail = await mailWith('Instrument is blocked', 'playbook:S9');
  expect(mail.text).toMatch(/expected rejected.*got approved/);
  expect(mail.to).toEqual([SPONSOR.email]);

  // Signing off re-runs the checks; the scenario still fails, so the stage stays blocked.
  await rollout.completeTasks('instrument');
  const retried = await rollout.signOff('instrument', 'approve', 'try again');
  expect(retried.currentStage).toBe('instrument');
  expect(stageOf(retried, 'instrument').status).toBe('blocked');
  expect(eventsOf(retried).filter((e) => e === 'checks_failed')).toHaveLength(2);
});

it('reviews on its cadence after the effective date: two cycles, each scored on five dimensions and mailed', async () => {
  const owner = { name: 'Rhea Review', email: 'rhea.review@vendor.example' };
  const rollout = await walkToReview('Rollout: reviews', { stages: { review: { owner } } });
  const effectiveAt = Date.parse((await stack.db.store.policies.get(rollout.version))!.effectiveAt!);
  const cadence = 90 * DAY;

  // Nothing is reviewed before the version is in effect and a whole cadence has passed.
  await sleepUntil(stack.env, effectiveAt + cadence - DAY);
  expect((await rollout.handle.query(rolloutStatusQuery)).reviews).toEqual([]);

  await sleepUntil(stack.env, effectiveAt + 2 * cadence + MINUTE);
  const reviewed = await rollout.viewWhen((v) => v.reviews.length === 2);
  expect(reviewed.status).toBe('in_review');
  const [firstReview, secondReview] = reviewed.reviews;
  expect(Date.parse(firstReview.period.from)).toBe(effectiveAt);
  expectAbout(Date.parse(firstReview.period.to), effectiveAt + cadence);
  expect(secondReview.period.from).toBe(firstReview.period.to);
  expectAbout(Date.parse(secondReview.period.to), effectiveAt + 2 * cadence);
  for (const review of reviewed.reviews) {
    expect(review.maturity.map((m) => m.dimension)).toEqual([
      'Clarity',
      'Systems & Process',
      'Conflict Management',
      'Partner & Field Trust',
      'Measurement & Improvement',
    ]);
    for (const score of review.maturity) {
      expect([1, 2, 3]).toContain(score.stage);
      expect(score.evidence.length).toBeGreaterThan(0);
    }
    expect(Object.keys(review.metrics).length).toBeGreaterThan(0);
  }
  // Every partner acknowledged and the playbook passes: Clarity is at stage 3 in this program.
  expect(secondReview.maturity.find((m) => m.dimension === 'Clarity')!.stage).toBe(3);

  for (const [index, review] of reviewed.reviews.entries()) {
    const mail = await mailOf(rollout, `review:${index + 1}`);
    expect(mail.subject).toBe(`RoE review of policy version ${rollout.version}`);
    expect(mail.text).toContain(`Period ${review.period.from} – ${review.period.to}.`);
    expect(mail.text).toContain(`Clarity: stage ${review.maturity[0].stage}`);
    expect(mail.to).toEqual([owner.email, SPONSOR.email].sort());
  }
  const stored = await eventually(
    () => stack.db.store.rollouts.get(rollout.rolloutId),
    (view) => view?.reviews.length === 2,
  );
  expect(stored!.reviews[1].maturity).toEqual(secondReview.maturity);
});

it('completes once a later version’s rollout reaches Enable, naming it', async () => {
  const earlier = await walkToReview('Rollout: handed over');
  const later = await launchRollout(stack, 'Rollout: takes over');
  await later.finish('align', 'design');
  await later.finish('design', 'document');
  await sleepUntil(stack.env, (await now()) + DAY);
  expect((await earlier.handle.query(rolloutStatusQuery)).status).toBe('in_review');

  await later.finish('document', 'enable');
  const done = await earlier.handle.result();
  expect(done.status).toBe('completed');
  expect(done.currentStage).toBeNull();
  expect(stageOf(done, 'review').status).toBe('completed');
  expect(done.history.at(-1)).toMatchObject({ event: 'completed', detail: expect.stringContaining(later.rolloutId) });
  const stored = await eventually(
    () => stack.db.store.rollouts.get(earlier.rolloutId),
    (view) => view?.status === 'completed',
  );
  expect(stored!.currentStage).toBeNull();
  expect((await later.handle.query(rolloutStatusQuery)).status).toBe('active');
});
