import { recipientKeyOf } from '../../activities/managerDigest/index';
import {
  managerDigestStatusQuery,
  managerDigestWorkflowId,
  MANAGER_DIGEST_WORKFLOW_TYPE,
  type ManagerDigestInput,
  type ManagerDigestView,
} from '../../workflows/managerDigest/contract';
import { registrationStatusQuery, withdrawUpdate } from '../../workflows/registration/contract';
import { ACTIVE_STATUSES } from '../../workflows/registration/contract';
import { eventually } from '../helpers/eventually';
import { startSmtpCapture, type CapturedMail, type SmtpCapture } from '../helpers/smtpCapture';
import { startTimeSkippingStack, type TimeSkippingStack } from '../helpers/timeSkipping';
import { aPolicy, aRegistration, partnerActor } from './builders';
import { ADDRESSES, HOUR, MINUTE, sleepUntil, submit, type Submitted } from './support';

// The digest rule for managers, on the time-skipping server with real SMTP on loopback: the first
// email to a manager goes at once, what follows within 15 minutes waits for one digest at the
// window's end. Partners keep one email per event. One clock: the tests run one after another.

jest.setTimeout(180_000);

const WINDOW = 15 * MINUTE;
const CM = ADDRESSES.channelManager;
const RD = ADDRESSES.regionalDirector;

let smtp: SmtpCapture;
let stack: TimeSkippingStack;
let started: Submitted[] = [];
/** How many messages had arrived when the test began: each test reads only what came after. */
let seenBefore = 0;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  // No workflow cache, so no sticky queues: after a worker restart the test server (whose clock stands
  // still between sleeps) would hold tasks on the stopped worker's sticky queue for good.
  stack = await startTimeSkippingStack({ managerDigestWindowMs: WINDOW, smtpUrl: smtp.url, maxCachedWorkflows: 0 });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await smtp?.stop();
});

beforeEach(() => {
  seenBefore = smtp.delivered.length;
});

// A review left open would remind and escalate while the next test moves the clock; each one has
// ended (its last activities done) before the worker may stop.
afterEach(async () => {
  for (const { handle } of started) {
    const view = await handle.query(registrationStatusQuery);
    if (ACTIVE_STATUSES.includes(view.status))
      await handle.executeUpdate(withdrawUpdate, {
        args: [{ reason: 'the test is over', by: partnerActor('northwind') }],
      });
    await handle.result();
  }
  started = [];
});

/** An enterprise deal in EMEA: the channel manager of EMEA reviews it, with a 16-hour wall-clock SLA. */
const aReviewedRegistration = () =>
  aRegistration()
    .inSegment('enterprise')
    .withPolicy(aPolicy().withReview({ sla: 'PT16H', clock: 'wall', onBreach: 'escalate' }));

/** Submits `count` of them together; returns their ids and the latest review due time among them. */
async function submitReviewed(count: number): Promise<{ ids: string[]; lastDueAt: number }> {
  const submitted = await Promise.all(Array.from({ length: count }, () => submit(stack, aReviewedRegistration())));
  started.push(...submitted);
  for (const { view } of submitted) expect(view.status).toBe('pending_review');
  return {
    ids: submitted.map(({ input }) => input.registrationId),
    lastDueAt: Math.max(...submitted.map(({ view }) => Date.parse(view.review!.dueAt))),
  };
}

const mailSinceTestStart = () => smtp.delivered.slice(seenBefore);
const mailTo = (address: string) => mailSinceTestStart().filter((mail) => mail.to.includes(address));
const isDigest = (mail: CapturedMail) => /^RoE: \d+ updates? for you$/.test(mail.subject);

/**
 * The digest `address` will get next, once it holds `updates` updates: the status of the workflow
 * of the window their last email opened (none exists until an update is held in it).
 */
async function heldForDigest(address: string, updates: number): Promise<ManagerDigestView & { window: number }> {
  const held = await eventually(
    async () => {
      const window = await windowOf(address);
      const handle = stack.client.workflow.getHandle(managerDigestWorkflowId(recipientKeyOf(address), window));
      const view = await handle.query(managerDigestStatusQuery).catch(() => undefined);
      return view && { ...view, window };
    },
    (view) => view?.updates.length === updates,
  );
  return held!;
}

/** Lets the server's clock run to just past the end of the window the digest waits for. */
async function pastTheEndOf(...digests: { endsAt: string }[]): Promise<void> {
  const endsAt = Math.max(...digests.map((digest) => Date.parse(digest.endsAt)));
  await stack.env.sleep(endsAt - (await stack.env.currentTimeMs()) + 1000);
}

/** Waits for `count` emails to `address` since the test began. */
const mailArrived = (address: string, count: number) =>
  eventually(
    async () => mailTo(address),
    (mails) => mails.length >= count,
  );

/** Every update the manager was told of: subjects sent at once, and each line a digest lists. */
function updatesTold(mails: CapturedMail[]): string[] {
  return mails.flatMap((mail) =>
    isDigest(mail) ? [...mail.text.matchAll(/^\d+\. (.+)$/gm)].map((line) => line[1]) : [mail.subject],
  );
}

describe('email to managers', () => {
  it('sends the channel manager the first of 30 review assignments at once and the other 29 in one digest at the end of the window, and the partner one email per event', async () => {
    const { ids } = await submitReviewed(30);

    const held = await heldForDigest(CM, 29);
    const [atOnce] = await mailArrived(CM, 1);
    expect(atOnce.subject).toMatch(/^Review needed: registration reg-/);
    expect(mailTo(CM)).toHaveLength(1);

    await pastTheEndOf(held);
    const mails = await mailArrived(CM, 2);

    expect(mails).toHaveLength(2);
    const digest = mails[1];
    expect(digest.subject).toBe('RoE: 29 updates for you');
    for (const id of ids.filter((id) => !atOnce.subject.includes(id))) {
      expect(digest.text).toContain(`Review needed: registration ${id} by`);
      expect(digest.text).toContain(`http://roe.test/api/registrations/${id}`);
    }
    const told = updatesTold(mails);
    expect(told).toHaveLength(30);
    expect(ids.every((id) => told.filter((subject) => subject.includes(`registration ${id} `)).length === 1)).toBe(
      true,
    );
    expect(mailTo(RD)).toEqual([]);

    // The partner's own deals: one email per event, never a digest.
    const toPartner = await mailArrived(ADDRESSES.northwind, 60);
    expect(toPartner).toHaveLength(60);
    expect(toPartner.some(isDigest)).toBe(false);
    for (const id of ids) {
      expect(toPartner.filter((m) => m.subject === `Registration ${id} received`)).toHaveLength(1);
      expect(toPartner.filter((m) => m.subject === `Registration ${id}: pending review`)).toHaveLength(1);
    }
  });

  it('lists the reminders and the SLA breaches in digests too, each update once and none lost', async () => {
    // Past any window the earlier tests opened: the first assignment goes at once again.
    await stack.env.sleep(HOUR);
    const { ids, lastDueAt } = await submitReviewed(10);
    await pastTheEndOf(await heldForDigest(CM, 9));
    await mailArrived(CM, 2);

    // Reminders half-way (8 h of the 16), then the breach at 16 h escalates to the regional director.
    await sleepUntil(stack.env, lastDueAt - 8 * HOUR + 1000);
    await pastTheEndOf(await heldForDigest(CM, 9));
    await mailArrived(CM, 4);
    await sleepUntil(stack.env, lastDueAt + 1000);
    await pastTheEndOf(await heldForDigest(CM, 9), await heldForDigest(RD, 9));
    const toManager = await mailArrived(CM, 6);
    const toDirector = await mailArrived(RD, 2);

    expect(toManager.map((m) => (isDigest(m) ? m.subject : 'at once'))).toEqual([
      'at once',
      'RoE: 9 updates for you',
      'at once',
      'RoE: 9 updates for you',
      'at once',
      'RoE: 9 updates for you',
    ]);
    const told = updatesTold(toManager);
    for (const id of ids) {
      expect(told.filter((s) => s.startsWith(`Review needed: registration ${id} `))).toHaveLength(1);
      expect(told.filter((s) => s.startsWith(`Reminder: registration ${id} `))).toHaveLength(1);
      expect(told).toContain(`SLA breached: registration ${id}`);
    }
    expect(told).toHaveLength(30);
    expect(toDirector.map((m) => (isDigest(m) ? m.subject : 'at once'))).toEqual(['at once', 'RoE: 9 updates for you']);
    expect(updatesTold(toDirector).filter((s) => s.startsWith('Review needed'))).toHaveLength(10);
  });

  it('loses nothing when the worker restarts between the held updates and their digest, and sends a digest once', async () => {
    await stack.env.sleep(HOUR);
    const { ids } = await submitReviewed(5);
    const held = await heldForDigest(CM, 4);
    await mailArrived(CM, 1);

    await stack.restartWorker();
    await pastTheEndOf(held);
    const mails = await mailArrived(CM, 2);
    expect(mails[1].subject).toBe('RoE: 4 updates for you');
    expect(
      updatesTold(mails)
        .map((s) => ids.find((id) => s.includes(id)))
        .sort(),
    ).toEqual([...ids].sort());

    // A send retried after the digest went starts the window's workflow again: it sends nothing new.
    const input: ManagerDigestInput = { recipientKey: recipientKeyOf(CM), window: held.window, endsAt: held.endsAt };
    const again = await stack.client.workflow.start(MANAGER_DIGEST_WORKFLOW_TYPE, {
      workflowId: managerDigestWorkflowId(input.recipientKey, input.window),
      taskQueue: stack.taskQueue,
      args: [input],
    });
    await again.result();
    expect(mailTo(CM)).toHaveLength(2);
  });

  // Last in the file: the cases and their registrations stay open (nothing moves the clock after it).
  it('holds conflict cases assigned to the channel manager for the digest too, while each party hears of its own case', async () => {
    await stack.env.sleep(HOUR);
    const conflictIds: string[] = [];
    for (let n = 0; n < 3; n++) {
      const holder = aRegistration();
      await submit(stack, holder);
      const contender = await submit(stack, aRegistration().forPartner('fabrikam').onAccount(holder.accountKey));
      conflictIds.push(contender.view.conflictId!);
    }

    await pastTheEndOf(await heldForDigest(CM, 2));
    const mails = await mailArrived(CM, 2);

    expect(mails.map((m) => (isDigest(m) ? m.subject : 'at once'))).toEqual(['at once', 'RoE: 2 updates for you']);
    const told = updatesTold(mails);
    for (const id of conflictIds) {
      expect(told.filter((s) => s.startsWith(`Conflict to resolve: ${id} `))).toHaveLength(1);
      if (!mails[0].subject.includes(id)) expect(mails[1].text).toContain(`http://roe.test/api/conflicts/${id}`);
    }
    const toFabrikam = await mailArrived('fiona@fabrikam.example', 3);
    expect(toFabrikam.some(isDigest)).toBe(false);
    for (const id of conflictIds)
      expect(toFabrikam.filter((m) => m.subject.startsWith(`Conflict case ${id}:`))).toHaveLength(1);
  });
});

/** The window a manager's next held update joins: the one their last email opened. */
async function windowOf(address: string): Promise<number> {
  const [row] = await stack.db.store.db.query<{ window_seq: number }>(
    'SELECT window_seq FROM manager_mail_windows WHERE address = $1',
    [address],
  );
  return row?.window_seq ?? 0;
}
