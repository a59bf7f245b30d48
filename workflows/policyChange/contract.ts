import { defineQuery, defineUpdate } from '@temporalio/workflow';

// The policy change's contract: one workflow per published version, what it is started with and
// what it shows. The workflow type is the exported function's name in workflows/policyChange/workflow.ts.

export const POLICY_CHANGE_WORKFLOW_TYPE = 'policyChange';
/** The workflow's signature, for typed starts and handles without importing its implementation. */
export type PolicyChangeWorkflow = (input: PolicyChangeInput) => Promise<PolicyChangeState>;

export interface PolicyChangeInput {
  version: number;
  title: string;
  publishedAt: string;
  effectiveAt: string;
  noticePeriod: string;
}

export interface PolicyChangeState {
  version: number;
  status: 'scheduled' | 'effective' | 'cancelled';
  publishedAt: string;
  effectiveAt: string;
  remindersSent: string[];
  cancelReason?: string;
  history: { at: string; event: string; detail: string }[];
}

export const policyChangeStatusQuery = defineQuery<PolicyChangeState>('status');
export const cancelPolicyChangeUpdate = defineUpdate<PolicyChangeState, [{ reason: string; by: string }]>('cancel');

export const policyChangeWorkflowId = (version: number) => `policy-${version}`;
