import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PolicyDocument } from '../../src/domain/policy';

// The rollout's contract with the API: how it starts and what it shows.

export const ROLLOUT_WORKFLOW_TYPE = 'rollout';
/** The workflow's signature, for typed starts and handles without importing its implementation. */
export type RolloutWorkflow = (input: RolloutInput) => Promise<RolloutView>;

export const ROLLOUT_STAGES = ['align', 'design', 'document', 'enable', 'instrument', 'review'] as const;
export type RolloutStageName = (typeof ROLLOUT_STAGES)[number];
export const STAGE_STATUSES = ['pending', 'active', 'changes_requested', 'blocked', 'completed'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export interface StagePlan {
  /** Who owns the stage: a directory person id, or a name and email. */
  owner: { name: string; email: string };
  /** ISO 8601 duration from the stage's opening (default P7D). */
  due: string;
  /** Directory person ids whose sign-off the stage needs; empty: one sign-off by any admin. */
  approvers: string[];
  tasks: string[];
}

export interface RolloutInput {
  rolloutId: string;
  policyVersion: number;
  policyDocument: PolicyDocument;
  sponsor: { name: string; email: string };
  reviewCadence: string;
  /** Share of partners that must acknowledge before Enable can complete (default 0.8). */
  acknowledgementThreshold: number;
  stages: Record<RolloutStageName, StagePlan>;
  /** Approvers resolved from the directory, by person id. */
  approvers: Record<string, { name: string; email: string }>;
  startedAt: string;
}

export interface StageView {
  name: RolloutStageName;
  status: StageStatus;
  owner: { name: string; email: string };
  openedAt?: string;
  dueAt?: string;
  completedAt?: string;
  tasks: { id: string; title: string; done: boolean }[];
  approvers: string[];
  signOffs: { by: string; decision: 'approve' | 'request_changes'; comment: string; at: string }[];
  checks?: { id: string; passed: boolean; detail: string }[];
}

export interface ReviewReport {
  at: string;
  period: { from: string; to: string };
  metrics: Record<string, unknown>;
  maturity: { dimension: string; stage: 1 | 2 | 3; evidence: string }[];
}

export interface RolloutView {
  id: string;
  workflowId: string;
  policyVersion: number;
  status: 'active' | 'in_review' | 'completed';
  currentStage: RolloutStageName | null;
  sponsor: { name: string; email: string };
  stages: StageView[];
  reviews: ReviewReport[];
  history: { at: string; event: string; detail: string }[];
}

export const rolloutWorkflowId = (rolloutId: string) => `rollout-${rolloutId}`;

export interface SignOffRequest {
  stage: RolloutStageName;
  decision: 'approve' | 'request_changes';
  comment: string;
  /** `personId`: the directory person the caller is (managers); admins sign as admins. */
  by: { subject: string; role: string; personId?: string };
}

export const rolloutStatusQuery = defineQuery<RolloutView>('status');
export const completeTaskUpdate = defineUpdate<RolloutView, [{ taskId: string; by: string }]>('completeTask');
export const signOffUpdate = defineUpdate<RolloutView, [SignOffRequest]>('signOff');
/** A later version's rollout reached Enable: this one's review ends. */
export const handOverSignal = defineSignal<[{ byRollout: string; policyVersion: number }]>('handOver');
