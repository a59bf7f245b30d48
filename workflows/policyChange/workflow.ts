import { allHandlersFinished, ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import { policyChangeSteps, sendPolicyNoticesInLine } from './activities';
import type { PolicyEmailName } from '../../src/notify/policyEmails';
import { setProcessSearchAttributes } from '../shared/searchAttributes';
import { recordedUnlessRefused, requireStorable } from '../shared/storeRefusal';
import { runTimedPhase } from '../shared/waiting';
import {
  cancelPolicyChangeUpdate,
  policyChangeStatusQuery,
  policyChangeWorkflowId,
  type PolicyChangeInput,
  type PolicyChangeState,
} from './contract';

// A policy version change: announced with a notice period, acknowledged by partners (reminders go
// to those who have not), effective at its instant, or cancelled before it. Registrations keep the
// version they were made under; only net-new ones take this one.

const { recordPolicyChange } = policyChangeSteps;
const sendPolicyNotices = sendPolicyNoticesInLine;
const { sendPolicyNotices: sendPolicyNoticesBeside } = policyChangeSteps;

// A change to running policy changes: before it, notices were awaited, so an SMTP outage held the
// switch (and a cancel) up until mail was back.
const PATCH_NOTICES_BESIDE = 'policy-notices-beside';

/** Reminders to partners that have not acknowledged, as shares of the notice period gone by. */
const REMINDER_SHARES = [0.5, 0.9];

export async function policyChange(input: PolicyChangeInput): Promise<PolicyChangeState> {
  const effectiveAt = Date.parse(input.effectiveAt);
  const noticeMs = Math.max(0, effectiveAt - Date.parse(input.publishedAt));
  const state: PolicyChangeState = {
    version: input.version,
    status: 'scheduled',
    publishedAt: input.publishedAt,
    effectiveAt: input.effectiveAt,
    remindersSent: [],
    history: [],
  };
  let changes = 0;
  const note = async (event: string, detail: string, actor: string) => {
    state.history.push({ at: new Date(Date.now()).toISOString(), event, detail });
    changes += 1;
    setProcessSearchAttributes({
      policyVersion: input.version,
      status: state.status,
      dueAt: state.status === 'scheduled' ? effectiveAt : null,
    });
    const at = state.history.at(-1)!.at;
    await recordedUnlessRefused(
      recordPolicyChange({ version: input.version, seq: changes, event, detail, actor, at }),
      {
        workflowId: policyChangeWorkflowId(input.version),
        seq: changes,
        action: `policy.${event}`,
      },
    );
  };

  const pendingNotices: Promise<unknown>[] = [];
  const notify = async (kind: PolicyEmailName, key: string) => {
    if (!patched(PATCH_NOTICES_BESIDE)) return void (await sendPolicyNotices(input.version, kind, key));
    // A notice that gives up after a day is in the history; it must not fail the change.
    pendingNotices.push(sendPolicyNoticesBeside(input.version, kind, key).catch(() => undefined));
  };

  setHandler(policyChangeStatusQuery, () => state);
  setHandler(
    cancelPolicyChangeUpdate,
    async ({ reason, by }) => {
      state.status = 'cancelled';
      state.cancelReason = reason;
      await note('cancelled', reason, by);
      await notify('cancelled', `${policyChangeWorkflowId(input.version)}/cancelled`);
      return state;
    },
    {
      validator: (request: { reason: string; by: string }) => {
        requireStorable(request);
        if (state.status !== 'scheduled') {
          throw ApplicationFailure.create({
            type: 'InvalidState',
            message: `policy version ${input.version} is ${state.status}; only a scheduled version can be cancelled`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  await note(
    'published',
    `effective at ${input.effectiveAt} after a notice period of ${input.noticePeriod}`,
    'system:policy',
  );
  await notify('notice', `${policyChangeWorkflowId(input.version)}/notice`);

  await runTimedPhase<'effective' | `reminder:${number}`>({
    isOver: () => state.status !== 'scheduled',
    changeCount: () => changes,
    alarms: () => [
      { name: 'effective', at: effectiveAt },
      ...REMINDER_SHARES.filter((share) => !state.remindersSent.includes(String(share)) && noticeMs > 0).map(
        (share) => ({
          name: `reminder:${share}` as const,
          at: Date.parse(input.publishedAt) + share * noticeMs,
        }),
      ),
    ],
    onAlarm: async (alarm) => {
      if (alarm.name === 'effective') {
        state.status = 'effective';
        await note(
          'effective',
          `policy version ${input.version} governs net-new registrations from now`,
          'system:timer',
        );
        await notify('effective', `${policyChangeWorkflowId(input.version)}/effective`);
        return;
      }
      const share = alarm.name.slice('reminder:'.length);
      state.remindersSent.push(share);
      await note(
        'reminder',
        `acknowledgement reminder at ${Number(share) * 100} % of the notice period`,
        'system:timer',
      );
      await notify('reminder', `${policyChangeWorkflowId(input.version)}/reminder-${share}`);
    },
  });
  await condition(allHandlersFinished);
  if (pendingNotices.length > 0) await Promise.allSettled(pendingNotices);
  return state;
}
