import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { isoDurationToMillis } from '../../src/domain/duration';
import {
  appealConflictUpdate,
  conflictStatusQuery,
  resolveConflictUpdate,
  type ResolveRequest,
} from '../../workflows/conflict/contract';
import { conflictWorkflowId, type ConflictView } from '../../workflows/conflict/contract';
import {
  cancelPolicyChangeUpdate,
  type PolicyChangeWorkflow,
  policyChangeStatusQuery,
} from '../../workflows/policyChange/contract';
import {
  firstDecisionUpdate,
  recordProgressUpdate,
  REGISTRATION_WORKFLOW_TYPE,
  type RegistrationWorkflow,
  registrationStatusQuery,
  withdrawUpdate,
} from '../../workflows/registration/contract';
import { registrationWorkflowId, type RegistrationInput } from '../../workflows/registration/contract';
import { eventually } from '../helpers/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../helpers/timeSkipping';
import { aPolicy, aRegistration, managerActor, partnerActor, type RegistrationBuilder } from './builders';
import { launchRollout, stageOf } from './rollouts';
import { refusalOf, startPolicyChange, submit, viewWhen } from './support';

// Text the store cannot hold (a lone surrogate: PostgreSQL's jsonb refuses it with SQLSTATE 22P02)
// reaching a process directly, past the API's checks. Before, the recording activity retried
// forever and the process never answered that step, nor any later one. Now a human step carrying
// such text is refused before it is accepted, and a recording the real store refuses fails for
// good: the process leaves that step out of its records and goes on answering.

jest.setTimeout(120_000);

let stack: TimeSkippingStack;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const UNSTORABLE = 'Demo done \ud800';

/** The step is refused naming the field, as the API's 400 would. */
async function expectRefused(update: Promise<unknown>, path: string): Promise<void> {
  const failure = await refusalOf(update);
  expect(failure.type).toBe('InvalidArgument');
  expect(failure.details?.[0]).toEqual({ path });
}

/** A registration started as the API would, with text of its own the store cannot hold. */
async function startedWith(builder: RegistrationBuilder, spoil: (input: RegistrationInput) => void) {
  const input = builder.submittedAtMs(await stack.env.currentTimeMs()).build();
  spoil(input);
  const handle = await stack.client.workflow.start<RegistrationWorkflow>(REGISTRATION_WORKFLOW_TYPE, {
    workflowId: registrationWorkflowId(input.registrationId),
    taskQueue: stack.taskQueue,
    args: [input],
  });
  return { input, handle, view: await handle.executeUpdate(firstDecisionUpdate) };
}

describe('a human step with text the store cannot hold is refused naming the field, and the next one is recorded', () => {
  it('in a registration', async () => {
    const { input, handle } = await submit(stack, aRegistration());
    const partner = partnerActor(input.partner.id);

    await expectRefused(
      handle.executeUpdate(recordProgressUpdate, { args: [{ note: UNSTORABLE, by: partner }] }),
      'note',
    );
    expect(eventsOf((await handle.query(registrationStatusQuery)).timeline)).not.toContain('progress_update');

    const noted = await handle.executeUpdate(recordProgressUpdate, { args: [{ note: 'Demo done', by: partner }] });
    expect(await stack.db.store.registrations.get(input.registrationId)).toEqual(noted);
    await handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'Customer went elsewhere', by: partner }] });
    const final = await handle.result();
    expect(await stack.db.store.registrations.get(input.registrationId)).toEqual(final);
  });

  it('in a conflict case', async () => {
    const { holder, contender, handle } = await collision(aRegistration());
    const award = (reason: string) => ({
      args: [{ award: contender.input.registrationId, reason, by: managerActor('cm-emea') }] as [ResolveRequest],
    });

    await expectRefused(handle.executeUpdate(resolveConflictUpdate, award(UNSTORABLE)), 'reason');
    expect((await handle.query(conflictStatusQuery)).status).toBe('open');

    const resolved = await handle.executeUpdate(resolveConflictUpdate, award('Fabrikam brought the deal'));
    expect(resolved.status).toBe('resolved');
    expect(await stack.db.store.conflicts.get(resolved.id)).toEqual(resolved);
    await viewWhen(holder.handle, (v) => v.status === 'rejected');
  });

  it('in a policy change', async () => {
    const handle = await publishedChange('P10D');

    await expectRefused(
      handle.executeUpdate(cancelPolicyChangeUpdate, { args: [{ reason: UNSTORABLE, by: 'dev-admin' }] }),
      'reason',
    );
    expect((await handle.query(policyChangeStatusQuery)).status).toBe('scheduled');

    const cancelled = await handle.executeUpdate(cancelPolicyChangeUpdate, {
      args: [{ reason: 'Superseded by a fix', by: 'dev-admin' }],
    });
    expect(cancelled.status).toBe('cancelled');
    expect((await stack.db.store.policies.get(cancelled.version))?.status).toBe('cancelled');
  });

  it('in a rollout', async () => {
    const launched = await launchRollout(stack, 'Refused comment');
    await launched.completeTasks('align');

    await expectRefused(launched.signOff('align', 'request_changes', UNSTORABLE), 'comment');
    expect(stageOf(await launched.viewWhen(() => true), 'align').signOffs).toEqual([]);

    await launched.signOff('align', 'approve', 'fine now');
    await launched.viewWhen((v) => v.currentStage === 'design');
    const recorded = await eventually(
      () => stack.db.store.rollouts.get(launched.rolloutId),
      (view) => view?.currentStage === 'design',
    );
    expect(stageOf(recorded!, 'align').status).toBe('completed');
  });
});

describe('a recording the store refuses is left out, and the process still answers its next step', () => {
  it('a registration whose title the store cannot hold is decided, then withdrawn', async () => {
    const { input, handle, view } = await startedWith(aRegistration(), (i) => (i.opportunity.title = UNSTORABLE));
    expect(view.status).toBe('approved');

    const withdrawn = await handle.executeUpdate(withdrawUpdate, {
      args: [{ reason: 'done', by: partnerActor(input.partner.id) }],
    });

    expect(withdrawn.status).toBe('withdrawn');
    expect((await handle.result()).status).toBe('withdrawn');
    expect(await stack.db.store.registrations.get(input.registrationId)).toBeUndefined();
  });

  it('a conflict case on a product line the store cannot hold opens, then is resolved and appealed', async () => {
    const { holder, contender, handle, conflictId } = await collision(
      aRegistration().forProductLine(`cloud ${UNSTORABLE}`),
    );

    const resolved = await handle.executeUpdate(resolveConflictUpdate, {
      args: [{ award: contender.input.registrationId, reason: 'Fabrikam first', by: managerActor('cm-emea') }],
    });
    expect(resolved.status).toBe('resolved');
    await viewWhen(holder.handle, (v) => v.status === 'rejected');

    const appealed = await handle.executeUpdate(appealConflictUpdate, {
      args: [{ reason: 'We registered first', by: partnerActor(holder.input.partner.id) }],
    });
    expect(appealed.status).toBe('open');
    expect(await stack.db.store.conflicts.get(conflictId)).toBeUndefined();
  });

  it('a policy change whose notice period text the store cannot hold is published, then cancelled', async () => {
    const handle = await publishedChange(`P10D${UNSTORABLE}`);

    const cancelled = await handle.executeUpdate(cancelPolicyChangeUpdate, {
      args: [{ reason: 'Superseded by a fix', by: 'dev-admin' }],
    });

    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history.map((e) => e.event)).toEqual(['published', 'cancelled']);
    expect((await handle.result()).status).toBe('cancelled');
    const audit = (await stack.db.store.audit.bySubject(`policy:${cancelled.version}`, 10)).items;
    expect(audit.map((e) => e.action)).toEqual(['policy.cancelled']);
  });

  it('a rollout with a task the store cannot hold opens its first stage, then takes its sign-off', async () => {
    const launched = await launchRollout(stack, 'Unstorable task', {
      stages: { align: { tasks: [`Agree the routes ${UNSTORABLE}`] } },
    });
    await launched.completeTasks('align');

    await launched.signOff('align', 'approve', 'done');

    const next = await launched.viewWhen((v) => v.currentStage === 'design');
    expect(stageOf(next, 'align').status).toBe('completed');
    expect(await stack.db.store.rollouts.get(launched.rolloutId)).toBeUndefined();
  });
});

const eventsOf = (timeline: { event: string }[]) => timeline.map((e) => e.event);

/** Northwind holds the account's line; Fabrikam's registration collides and opens a case of both. */
async function collision(first: RegistrationBuilder) {
  const policy = aPolicy();
  first.withPolicy(policy);
  const holder = await startedWith(first, () => undefined);
  const contender = await startedWith(
    aRegistration().forPartner('fabrikam').onAccount(first.accountKey).withPolicy(policy),
    (input) => (input.opportunity.productLine = holder.input.opportunity.productLine),
  );
  const conflictId = contender.view.conflictId!;
  expect(conflictId).toBeDefined();
  const handle = stack.client.workflow.getHandle(conflictWorkflowId(conflictId));
  await eventually(
    () =>
      handle.query(conflictStatusQuery).catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }),
    (found: ConflictView | undefined) => found?.parties.length === 2,
  );
  return { holder, contender, conflictId, handle };
}

/** A draft scheduled as POST /publish does, and its change workflow told the notice period `noticePeriod`. */
async function publishedChange(noticePeriod: string): Promise<WorkflowHandle<PolicyChangeWorkflow>> {
  const document = { ...aPolicy().build().document, title: `Change ${Math.random()}`, noticePeriod: 'P10D' };
  const draft = await stack.db.store.policies.createDraft(document);
  const publishedAt = await stack.env.currentTimeMs();
  const policy = (await stack.db.store.policies.schedule(
    draft.version,
    new Date(publishedAt),
    new Date(publishedAt + isoDurationToMillis('P10D')),
  ))!;
  const handle = await startPolicyChange(stack, policy, noticePeriod);
  await eventually(
    () => handle.query(policyChangeStatusQuery),
    (state) => state.history.length > 0,
  );
  return handle;
}
