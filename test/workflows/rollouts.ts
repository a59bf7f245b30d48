import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { EXAMPLE_POLICY, validatePolicyDocument, type PolicyDocumentInput } from '../../src/domain/policy';
import { DEFAULT_STAGE_TASKS } from '../../src/domain/rolloutPlaybook';
import {
  completeTaskUpdate,
  ROLLOUT_WORKFLOW_TYPE,
  type RolloutWorkflow,
  rolloutStatusQuery,
  signOffUpdate,
} from '../../workflows/rollout/contract';
import {
  ROLLOUT_STAGES,
  rolloutWorkflowId,
  type RolloutInput,
  type RolloutStageName,
  type RolloutView,
  type StagePlan,
} from '../../workflows/rollout/contract';
import { eventually } from '../helpers/eventually';
import type { TimeSkippingStack } from '../helpers/timeSkipping';

// Launching and walking a rollout on the time-skipping server, as POST /api/rollouts and its
// task and sign-off steps do; shared by the rollout tests and the replay fixtures' generator.

export const SPONSOR = { name: 'Sam Sponsor', email: 'sam.sponsor@vendor.example' };
export const ADMIN = { subject: 'dev-admin', role: 'admin' } as const;

export interface RolloutOptions {
  /** Changes to the example policy the drafted version is made of (its title is always set). */
  policy?: Partial<PolicyDocumentInput>;
  /** Per-stage changes to the API's defaults (sponsor as owner, due P7D, one admin, the playbook's tasks). */
  stages?: Partial<Record<RolloutStageName, Partial<StagePlan>>>;
  reviewCadence?: string;
  acknowledgementThreshold?: number;
}

export interface LaunchedRollout {
  handle: WorkflowHandle<RolloutWorkflow>;
  rolloutId: string;
  version: number;
  /** Queries the rollout until its view satisfies `accept`. */
  viewWhen(accept: (view: RolloutView) => boolean): Promise<RolloutView>;
  /** Completes the open stage's tasks as an admin. */
  completeTasks(stage: RolloutStageName): Promise<RolloutView>;
  /** Completes `stage`'s tasks, signs it off as an admin and waits until `next` opens. */
  finish(stage: RolloutStageName, next: RolloutStageName): Promise<RolloutView>;
  signOff(stage: RolloutStageName, decision: 'approve' | 'request_changes', comment: string): Promise<RolloutView>;
}

/** Drafts a version of the example policy and starts its rollout with the API's defaults. */
export async function launchRollout(
  stack: TimeSkippingStack,
  title: string,
  options: RolloutOptions = {},
): Promise<LaunchedRollout> {
  const validated = validatePolicyDocument({ ...structuredClone(EXAMPLE_POLICY), ...options.policy, title });
  if (!validated.ok) throw new Error(`invalid policy: ${JSON.stringify(validated.errors)}`);
  const policy = await stack.db.store.policies.createDraft(validated.policy);
  const rolloutId = `ro-${randomBytes(6).toString('hex')}`;
  const stages = Object.fromEntries(
    ROLLOUT_STAGES.map((name): [RolloutStageName, StagePlan] => [
      name,
      { owner: SPONSOR, due: 'P7D', approvers: [], tasks: [...DEFAULT_STAGE_TASKS[name]], ...options.stages?.[name] },
    ]),
  ) as RolloutInput['stages'];
  const input: RolloutInput = {
    rolloutId,
    policyVersion: policy.version,
    policyDocument: policy.document,
    sponsor: SPONSOR,
    reviewCadence: options.reviewCadence ?? 'P90D',
    acknowledgementThreshold: options.acknowledgementThreshold ?? 0.8,
    stages,
    approvers: {},
    startedAt: new Date(await stack.env.currentTimeMs()).toISOString(),
  };
  const handle = await stack.client.workflow.start<RolloutWorkflow>(ROLLOUT_WORKFLOW_TYPE, {
    workflowId: rolloutWorkflowId(rolloutId),
    taskQueue: stack.taskQueue,
    args: [input],
  });
  const viewWhen = (accept: (view: RolloutView) => boolean) =>
    eventually(() => handle.query(rolloutStatusQuery), accept);
  const completeTasks = async (stage: RolloutStageName) => {
    const view = await viewWhen((v) => v.currentStage === stage);
    let latest = view;
    for (const task of view.stages.find((s) => s.name === stage)!.tasks)
      latest = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, by: ADMIN.subject }] });
    return latest;
  };
  const signOff = (stage: RolloutStageName, decision: 'approve' | 'request_changes', comment: string) =>
    handle.executeUpdate(signOffUpdate, { args: [{ stage, decision, comment, by: ADMIN }] });
  const finish = async (stage: RolloutStageName, next: RolloutStageName) => {
    await completeTasks(stage);
    await signOff(stage, 'approve', 'done');
    return viewWhen((v) => v.currentStage === next);
  };
  return { handle, rolloutId, version: policy.version, viewWhen, completeTasks, finish, signOff };
}

export const stageOf = (view: RolloutView, name: RolloutStageName) => view.stages.find((s) => s.name === name)!;
