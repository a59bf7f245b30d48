import { allHandlersFinished, ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import { signalIfRunning } from '../shared/signalling';
import { rolloutSteps } from './activities';
import { durationToMillis, parseDuration } from '../../src/domain/duration';
import { RolloutRecord } from './record';
import { runTimedPhase } from '../shared/waiting';
import { requireStorable } from '../shared/storeRefusal';
import type { RolloutInput, RolloutStageName, RolloutView } from './contract';
import {
  completeTaskUpdate,
  handOverSignal,
  rolloutStatusQuery,
  rolloutWorkflowId,
  signOffUpdate,
  type SignOffRequest,
} from './contract';

// The program owner's process: a RoE version from agreement to a live, reviewed rulebook.
// Align → Design → Document → Enable → Instrument → Review, each stage with an owner, tasks,
// sign-offs and a due date; Review repeats on a cadence until a later version's rollout takes over.

const {
  publishPolicyForRollout,
  freezePolicyDraft,
  policyAdoption,
  instrumentChecks,
  reviewReport,
  handOverEarlierRollouts,
  rolloutsInReviewBefore,
} = rolloutSteps;

/** The later rollout signals the earlier ones itself; the activity only finds them. */
const PATCH_HAND_OVER_SIGNALLED_BY_WORKFLOW = 'hand-over-signalled-by-workflow';

export async function rollout(input: RolloutInput): Promise<RolloutView> {
  const record = new RolloutRecord(input);
  let handedOverTo: string | undefined;

  setHandler(rolloutStatusQuery, () => record.view);
  setHandler(
    completeTaskUpdate,
    async ({ taskId, by }) => {
      await record.completeTask(taskId, by);
      return record.view;
    },
    {
      validator: (request) => {
        requireStorable(request);
        record.validateTask(request.taskId);
      },
    },
  );
  setHandler(
    signOffUpdate,
    async (request) => {
      await record.signOff(request);
      if (
        record.current()?.name === 'instrument' &&
        record.current()?.status === 'blocked' &&
        request.decision === 'approve'
      ) {
        await runChecks(record);
      }
      return record.view;
    },
    {
      validator: (request) => {
        requireStorable(request);
        validateSignOff(record, request);
      },
    },
  );
  setHandler(handOverSignal, ({ byRollout }) => {
    handedOverTo = byRollout;
  });

  await record.start();
  for (const stage of ['align', 'design', 'document', 'enable', 'instrument'] as const) {
    await record.openStage(stage);
    if (stage === 'enable') {
      await publishPolicyForRollout(input.policyVersion);
      await handOverEarlier(input);
    }
    if (stage === 'instrument') await runChecks(record);
    await stagePhase(record, stage);
    if (stage === 'document') await freezePolicyDraft(input.policyVersion);
  }

  await record.openStage('review');
  await reviewCycles(record, () => handedOverTo);
  await record.finish(`handed over to rollout ${handedOverTo}`);
  await condition(allHandlersFinished);
  await record.emailsSent();
  return record.view;
}

/** A stage until it completes: a reminder half-way to its due date, the sponsor told once it is overdue. */
async function stagePhase(record: RolloutRecord, stage: RolloutStageName): Promise<void> {
  const adoptionEvery = Math.max(1_000, durationToMillis(parseDuration(record.plan(stage).due)!) / 10);
  let nextAdoptionCheck = Date.now();
  await runTimedPhase<'reminder' | 'overdue' | 'adoption'>({
    isOver: () => record.stage(stage).status === 'completed',
    changeCount: () => record.seq,
    alarms: () => {
      const view = record.stage(stage);
      const openedAt = Date.parse(view.openedAt!);
      const dueAt = Date.parse(view.dueAt!);
      return [
        record.reminded.has(stage) ? undefined : { name: 'reminder' as const, at: openedAt + (dueAt - openedAt) / 2 },
        record.overdue.has(stage) ? undefined : { name: 'overdue' as const, at: dueAt },
        stage === 'enable' && record.readyButWaitingForAdoption(stage)
          ? { name: 'adoption' as const, at: nextAdoptionCheck }
          : undefined,
      ];
    },
    onAlarm: async (alarm) => {
      if (alarm.name === 'reminder') return record.remindOwner(stage);
      if (alarm.name === 'overdue') return record.escalateOverdue(stage);
      nextAdoptionCheck = Date.now() + adoptionEvery;
      await checkAdoption(record);
    },
  });
}

/** Enable completes on sign-off once enough partners acknowledged, or the version is in effect. */
async function checkAdoption(record: RolloutRecord): Promise<void> {
  const adoption = await policyAdoption(record.input.policyVersion);
  await record.adoptionChecked(adoption.acknowledgedShare, adoption.status);
}

async function runChecks(record: RolloutRecord): Promise<void> {
  const checks = await instrumentChecks(record.input.policyVersion, record.input.rolloutId);
  await record.recordChecks(checks);
}

/** After the effective date, one review per cadence until a later version's rollout takes over. */
async function reviewCycles(record: RolloutRecord, handedOverTo: () => string | undefined): Promise<void> {
  const cadence = durationToMillis(parseDuration(record.input.reviewCadence)!);
  let adoption = await policyAdoption(record.input.policyVersion);
  while (adoption.status !== 'effective' && adoption.status !== 'superseded' && !handedOverTo()) {
    await condition(() => handedOverTo() !== undefined, cadence);
    adoption = await policyAdoption(record.input.policyVersion);
  }
  let periodStart = adoption.effectiveAt ? Date.parse(adoption.effectiveAt) : Date.now();
  while (!handedOverTo()) {
    const handed = await condition(() => handedOverTo() !== undefined, Math.max(0, periodStart + cadence - Date.now()));
    if (handed) break;
    const to = Date.now();
    const report = await reviewReport(
      record.input.policyVersion,
      new Date(periodStart).toISOString(),
      new Date(to).toISOString(),
    );
    await record.addReview(report);
    periodStart = to;
  }
}

function validateSignOff(record: RolloutRecord, request: SignOffRequest): void {
  const current = record.current();
  if (!current || current.name !== request.stage) {
    throw ApplicationFailure.create({
      type: 'InvalidState',
      message: `stage ${request.stage} is not the rollout's current stage (${current?.name ?? 'none'})`,
      nonRetryable: true,
    });
  }
  if (current.approvers.length > 0) {
    if (!request.by.personId || !current.approvers.includes(request.by.personId)) {
      throw ApplicationFailure.create({
        type: 'NotAllowed',
        message: `stage ${request.stage} is signed off by ${current.approvers.join(', ')}`,
        nonRetryable: true,
      });
    }
  } else if (request.by.role !== 'admin') {
    throw ApplicationFailure.create({
      type: 'NotAllowed',
      message: `stage ${request.stage} is signed off by an admin`,
      nonRetryable: true,
    });
  }
}

/** The rollouts of earlier versions still reviewing end their review: this one takes over. */
async function handOverEarlier(input: RolloutInput): Promise<void> {
  if (!patched(PATCH_HAND_OVER_SIGNALLED_BY_WORKFLOW)) {
    await handOverEarlierRollouts(input.rolloutId, input.policyVersion);
    return;
  }
  const handOver = { byRollout: input.rolloutId, policyVersion: input.policyVersion };
  for (const id of await rolloutsInReviewBefore(input.policyVersion)) {
    await signalIfRunning(rolloutWorkflowId(id), handOverSignal, handOver);
  }
}
