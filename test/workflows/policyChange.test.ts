import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { isoDurationToMillis } from '../../src/domain/duration';
import type { PolicyDocument } from '../../src/domain/policy';
import type { PolicyVersion } from '../../src/store/policies';
import {
  cancelPolicyChangeUpdate,
  type PolicyChangeWorkflow,
  policyChangeStatusQuery,
} from '../../workflows/policyChange/contract';
import {
  firstDecisionUpdate,
  REGISTRATION_WORKFLOW_TYPE,
  type RegistrationWorkflow,
  withdrawUpdate,
} from '../../workflows/registration/contract';
import { registrationWorkflowId, type RegistrationView } from '../../workflows/registration/contract';
import { eventually } from '../helpers/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../helpers/timeSkipping';
import { aPolicy, aRegistration, partnerActor, type PolicyBuilder } from './builders';
import { DAY, MINUTE, emailsAbout, refusalOf, sleepUntil, startPolicyChange, type SentEmail } from './support';

// The policy-change workflow on the time-skipping test server, with the real store, activities and
// outbox: a notice period of days takes milliseconds. Versions are published as the API does
// (draft → scheduled in the store, then the change workflow). The server has one clock and the
// store one policy history, so these tests run in order and each computes its instants from the
// server's time and the version in effect when it starts.

jest.setTimeout(120_000);

type ChangeHandle = WorkflowHandle<PolicyChangeWorkflow>;

let stack: TimeSkippingStack;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const SECOND = 1_000;
const now = () => stack.env.currentTimeMs();
const policies = () => stack.db.store.policies;

/** Every partner contact of the development directory, one email per partner. */
const EVERY_PARTNER = [
  'carl@contoso.example',
  'fiona@fabrikam.example,frank@fabrikam.example',
  'nora@northwind.example',
];

/** A validated policy document: the builder's rules under a title and notice period of its own. */
function documentOf(builder: PolicyBuilder, title: string, noticePeriod = 'P10D'): PolicyDocument {
  return { ...builder.build().document, title, noticePeriod };
}

/** As POST /api/policies/{version}/publish: a draft scheduled (published now) and its change workflow started. */
async function publish(
  document: PolicyDocument,
  effectiveAt?: number,
): Promise<{ policy: PolicyVersion; handle: ChangeHandle; publishedAt: number; effectiveAt: number }> {
  const draft = await policies().createDraft(document);
  const publishedAt = await now();
  const at = effectiveAt ?? publishedAt + isoDurationToMillis(document.noticePeriod);
  const policy = (await policies().schedule(draft.version, new Date(publishedAt), new Date(at)))!;
  expect(policy.status).toBe('scheduled');
  const handle = await startPolicyChange(stack, policy);
  return { policy, handle, publishedAt, effectiveAt: at };
}

/** How each kind's subject begins. */
const KINDS = {
  notice: () => 'New rules of engagement: ',
  reminder: (v: number) => `Reminder: please acknowledge policy version ${v} `,
  effective: (v: number) => `Policy version ${v} is now in effect`,
  cancelled: (v: number) => `Policy version ${v} is cancelled`,
};

/** The policy emails of `kind` about version `v` in the outbox. */
async function policyEmails(v: number, kind: keyof typeof KINDS): Promise<SentEmail[]> {
  const mentions = new RegExp(`version ${v}\\b`);
  return (await emailsAbout(stack.outbox, `version ${v}`)).filter(
    (mail) => mentions.test(mail.subject) && mail.subject.startsWith(KINDS[kind](v)),
  );
}

/** Waits until `count` emails of `kind` about `v` are out, and returns their recipients, one entry per email. */
async function recipientsOf(v: number, kind: keyof typeof KINDS, count: number): Promise<string[]> {
  const mails = await eventually(
    () => policyEmails(v, kind),
    (found) => found.length >= count,
  );
  return mails.map((mail) => mail.to.join(',')).sort();
}

async function statusOf(version: number) {
  return (await policies().get(version))!.status;
}

async function storeStatusWhen(version: number, status: PolicyVersion['status']): Promise<PolicyVersion> {
  return eventually(
    () =>
      policies()
        .get(version)
        .then((p) => p!),
    (p) => p.status === status,
  );
}

async function effectiveCount(): Promise<number> {
  const rows = await stack.db.store.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM policies WHERE status = 'effective'`,
  );
  return rows[0].n;
}

/** The version in effect now (by the store's rule) and the one the store marks effective: always one, the same. */
async function expectOneEffective(expected: number): Promise<void> {
  await storeStatusWhen(expected, 'effective');
  expect(await effectiveCount()).toBe(1);
  expect((await policies().effectiveAt(new Date(await now())))?.version).toBe(expected);
}

it('sends the notice to every partner, reminds those that have not acknowledged, and switches at the instant', async () => {
  const previous = (await policies().effectiveAt(new Date(await now())))!;
  const { policy, handle, publishedAt, effectiveAt } = await publish(
    documentOf(aPolicy().withValidity('P60D'), 'Shorter validity'),
  );
  const v = policy.version;
  const noticeMs = effectiveAt - publishedAt;

  expect(await recipientsOf(v, 'notice', 3)).toEqual(EVERY_PARTNER);
  const [notice] = await policyEmails(v, 'notice');
  expect(notice.text).toContain(`/api/policies/${previous.version}/diff/${v}`);
  expect(notice.text).toContain(`/api/policies/${v}`);
  expect(await policies().acknowledge(v, 'northwind', 'partner:northwind')).toBe(true);

  // 50 %: the two partners that have not acknowledged.
  await sleepUntil(stack.env, publishedAt + 0.5 * noticeMs - MINUTE);
  expect(await policyEmails(v, 'reminder')).toEqual([]);
  await sleepUntil(stack.env, publishedAt + 0.5 * noticeMs + MINUTE);
  expect(await recipientsOf(v, 'reminder', 2)).toEqual([EVERY_PARTNER[0], EVERY_PARTNER[1]]);

  // 90 %: Contoso acknowledged meanwhile; only Fabrikam is reminded again.
  expect(await policies().acknowledge(v, 'contoso', 'partner:contoso')).toBe(true);
  await sleepUntil(stack.env, publishedAt + 0.9 * noticeMs + MINUTE);
  expect(await recipientsOf(v, 'reminder', 3)).toEqual([EVERY_PARTNER[0], EVERY_PARTNER[1], EVERY_PARTNER[1]]);
  expect((await handle.query(policyChangeStatusQuery)).remindersSent).toEqual(['0.5', '0.9']);

  // The rule: the latest effective instant at or before `at` — the switch is exactly at the instant.
  expect((await policies().effectiveAt(new Date(effectiveAt - 1)))?.version).toBe(previous.version);
  expect((await policies().effectiveAt(new Date(effectiveAt)))?.version).toBe(v);
  // The server's clock also runs in real time while the test works: a second of margin, not a millisecond.
  await sleepUntil(stack.env, effectiveAt - SECOND);
  expect(await statusOf(v)).toBe('scheduled');
  expect(await statusOf(previous.version)).toBe('effective');
  expect(await policyEmails(v, 'effective')).toEqual([]);

  await sleepUntil(stack.env, effectiveAt + MINUTE);
  const final = await handle.result();
  expect(final.status).toBe('effective');
  expect(final.history.map((entry) => entry.event)).toEqual(['published', 'reminder', 'reminder', 'effective']);
  await expectOneEffective(v);
  const superseded = (await policies().get(previous.version))!;
  expect(superseded.status).toBe('superseded');
  expect(superseded.supersededAt).toBe(new Date(effectiveAt).toISOString());
  expect(await recipientsOf(v, 'effective', 3)).toEqual(EVERY_PARTNER);

  const audit = (await stack.db.store.audit.bySubject(`policy:${v}`, 100)).items;
  expect(audit.map((event) => event.action)).toEqual(final.history.map((entry) => `policy.${entry.event}`));
});

it('cancelled during the notice period: cancelled in the store, partners told, no switch, a second cancel refused', async () => {
  const previous = (await policies().effectiveAt(new Date(await now())))!;
  const { policy, handle, publishedAt, effectiveAt } = await publish(documentOf(aPolicy(), 'Withdrawn rules'));
  const v = policy.version;
  await recipientsOf(v, 'notice', 3);

  await sleepUntil(stack.env, publishedAt + 3 * DAY);
  const cancelled = await handle.executeUpdate(cancelPolicyChangeUpdate, {
    args: [{ reason: 'the board asked for changes', by: 'admin:ada' }],
  });
  expect(cancelled.status).toBe('cancelled');
  const stored = await storeStatusWhen(v, 'cancelled');
  expect(stored.cancelReason).toBe('the board asked for changes');
  expect(await recipientsOf(v, 'cancelled', 3)).toEqual(EVERY_PARTNER);
  const [email] = await policyEmails(v, 'cancelled');
  expect(email.text).toContain('the board asked for changes');

  // Once cancelled the workflow ends, so a later cancel finds no workflow to update: the API refuses
  // it (409) from the store's status. Two cancels at once reach the workflow; its validator refuses one.
  expect((await handle.result()).status).toBe('cancelled');
  await expect(
    handle.executeUpdate(cancelPolicyChangeUpdate, { args: [{ reason: 'again', by: 'admin:ada' }] }),
  ).rejects.toBeInstanceOf(WorkflowNotFoundError);
  expect(await statusOf(v)).toBe('cancelled');

  await sleepUntil(stack.env, effectiveAt + MINUTE);
  expect((await handle.result()).status).toBe('cancelled');
  expect(await statusOf(v)).toBe('cancelled');
  expect((await policies().effectiveAt(new Date(effectiveAt)))?.version).toBe(previous.version);
  await expectOneEffective(previous.version);
  expect(await policyEmails(v, 'effective')).toEqual([]);
  expect(await policyEmails(v, 'reminder')).toEqual([]);
});

it('two cancels at once: one cancels, the workflow refuses the other (InvalidState)', async () => {
  const previous = (await policies().effectiveAt(new Date(await now())))!;
  const { policy, handle, publishedAt, effectiveAt } = await publish(documentOf(aPolicy(), 'Cancelled twice'));
  await recipientsOf(policy.version, 'notice', 3);
  await sleepUntil(stack.env, publishedAt + DAY);
  const cancel = (reason: string) =>
    handle.executeUpdate(cancelPolicyChangeUpdate, { args: [{ reason, by: 'admin:ada' }] });
  const outcomes = await Promise.allSettled([cancel('first'), cancel('second')]);
  const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
  const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
  expect(accepted).toHaveLength(1);
  expect(refused).toHaveLength(1);
  expect((await refusalOf(Promise.reject(refused[0].reason))).type).toBe('InvalidState');
  expect((await handle.result()).status).toBe('cancelled');
  expect(await recipientsOf(policy.version, 'cancelled', 3)).toEqual(EVERY_PARTNER);
  await sleepUntil(stack.env, effectiveAt + MINUTE);
  await expectOneEffective(previous.version);
});

it('two versions published back to back take effect one after the other, never two at once', async () => {
  const previous = (await policies().effectiveAt(new Date(await now())))!;
  const first = await publish(documentOf(aPolicy().withValidity('P45D'), 'First of two'));
  const T = first.effectiveAt;
  const second = await publish(documentOf(aPolicy().withValidity('P30D'), 'Second of two'), T + DAY);
  const [a, b] = [first.policy.version, second.policy.version];
  expect(await recipientsOf(a, 'notice', 3)).toEqual(EVERY_PARTNER);
  expect(await recipientsOf(b, 'notice', 3)).toEqual(EVERY_PARTNER);
  // The second's notice links the diff against the version before it: the first.
  expect((await policyEmails(b, 'notice'))[0].text).toContain(`/api/policies/${a}/diff/${b}`);

  // Every instant either workflow acts at, in order, each followed by the check.
  const instants = [
    first.publishedAt + 0.5 * (T - first.publishedAt),
    second.publishedAt + 0.5 * (T + DAY - second.publishedAt),
    first.publishedAt + 0.9 * (T - first.publishedAt),
    second.publishedAt + 0.9 * (T + DAY - second.publishedAt),
  ].sort((x, y) => x - y);
  for (const at of instants) {
    await sleepUntil(stack.env, at + MINUTE);
    await expectOneEffective(previous.version);
  }

  await sleepUntil(stack.env, T - SECOND);
  await expectOneEffective(previous.version);
  await sleepUntil(stack.env, T + MINUTE);
  expect((await first.handle.result()).status).toBe('effective');
  await expectOneEffective(a);
  expect(await statusOf(previous.version)).toBe('superseded');
  expect(await statusOf(b)).toBe('scheduled');
  expect((await policies().effectiveAt(new Date(T + DAY - 1)))?.version).toBe(a);
  expect((await policies().effectiveAt(new Date(T + DAY)))?.version).toBe(b);

  await sleepUntil(stack.env, T + DAY - SECOND);
  await expectOneEffective(a);
  await sleepUntil(stack.env, T + DAY + MINUTE);
  expect((await second.handle.result()).status).toBe('effective');
  await expectOneEffective(b);
  const supersededA = (await policies().get(a))!;
  expect(supersededA.status).toBe('superseded');
  expect(supersededA.supersededAt).toBe(new Date(T + DAY).toISOString());
  expect(await recipientsOf(a, 'effective', 3)).toEqual(EVERY_PARTNER);
  expect(await recipientsOf(b, 'effective', 3)).toEqual(EVERY_PARTNER);
});

describe('grandfathering', () => {
  const handles: WorkflowHandle<RegistrationWorkflow>[] = [];

  afterEach(async () => {
    for (const handle of handles.splice(0)) {
      await handle.executeUpdate(withdrawUpdate, {
        args: [{ reason: 'the test is over', by: partnerActor('northwind') }],
      });
      await handle.result();
    }
  });

  /** As POST /api/registrations: the input carries the version in effect at its submission. */
  async function registerAt(submittedAt: number): Promise<{ view: RegistrationView; policy: PolicyVersion }> {
    const policy = (await policies().effectiveAt(new Date(submittedAt)))!;
    const input = {
      ...aRegistration().submittedAtMs(submittedAt).build(),
      policy: { version: policy.version, document: policy.document },
    };
    const handle = await stack.client.workflow.start<RegistrationWorkflow>(REGISTRATION_WORKFLOW_TYPE, {
      workflowId: registrationWorkflowId(input.registrationId),
      taskQueue: stack.taskQueue,
      args: [input],
    });
    handles.push(handle);
    const view = await handle.executeUpdate(firstDecisionUpdate);
    await eventually(
      () => stack.db.store.registrations.get(input.registrationId),
      (row) => row?.status === 'approved',
    );
    return { view, policy };
  }

  const validityOf = (policy: PolicyVersion) => isoDurationToMillis(policy.document.registration.validity);

  it('a registration just before the switch keeps the old version; one just after gets the new', async () => {
    const old = (await policies().effectiveAt(new Date(await now())))!;
    const { policy, handle, effectiveAt } = await publish(documentOf(aPolicy().withValidity('P20D'), 'Short deals'));
    expect(validityOf(policy)).not.toBe(validityOf(old));

    await sleepUntil(stack.env, effectiveAt - MINUTE);
    const before = await registerAt(await now());
    expect(before.policy.version).toBe(old.version);
    expect(before.view.policyVersion).toBe(old.version);
    expect(before.view.status).toBe('approved');

    await sleepUntil(stack.env, effectiveAt + MINUTE);
    await handle.result();
    await expectOneEffective(policy.version);
    const after = await registerAt(await now());
    expect(after.policy.version).toBe(policy.version);
    expect(after.view.policyVersion).toBe(policy.version);

    // Validity follows each one's own version.
    expect(Date.parse(before.view.expiresAt!) - Date.parse(before.view.decision!.decidedAt)).toBe(validityOf(old));
    expect(Date.parse(after.view.expiresAt!) - Date.parse(after.view.decision!.decidedAt)).toBe(validityOf(policy));
    expect(Date.parse(before.view.expiresAt!)).toBeGreaterThan(Date.parse(after.view.expiresAt!));

    // The notice view's count: the registration under the old version, not the new one.
    expect(await policies().grandfatheredCount(policy.version)).toBe(1);
  });

  it('a registration submitted in the very millisecond of the switch gets the new version', async () => {
    const { policy, handle, effectiveAt } = await publish(documentOf(aPolicy().withValidity('P40D'), 'Same instant'));
    await sleepUntil(stack.env, effectiveAt);
    // The rule names the new version at its instant, whether or not the workflow has recorded it.
    const atSwitch = await registerAt(effectiveAt);
    expect(atSwitch.policy.version).toBe(policy.version);
    expect(atSwitch.view.policyVersion).toBe(policy.version);
    await sleepUntil(stack.env, effectiveAt + MINUTE);
    await handle.result();
    await expectOneEffective(policy.version);
  });
});
