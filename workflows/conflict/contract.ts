import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../shared/contract';
import type { ConflictRules, PolicyCalendar } from '../../src/domain/policy';
import type { ConflictParty, ConflictView } from '../../src/domain/conflictCase';

// The view types live in the pure domain, where the one redaction of a case for a party reads them.
export { CONFLICT_STATUSES } from '../../src/domain/conflictCase';
export type { ConflictParty, ConflictResolution, ConflictStatus, ConflictView } from '../../src/domain/conflictCase';

// The conflict case's contract with the API and the registrations: how it starts and what it shows.

export const CONFLICT_WORKFLOW_TYPE = 'conflictCase';
/** The workflow's signature, for typed starts and handles without importing its implementation. */
export type ConflictWorkflow = (input: ConflictInput) => Promise<ConflictView>;

export interface ConflictInput {
  conflictId: string;
  accountKey: string;
  productLine: string;
  /** The account's region: assignees are the people holding the tier's role there. */
  region: string;
  /** Contacts of a named direct account's owner, told about the case. */
  directOwner?: { name: string; email: string };
  /** The ladder and calendar of the policy version in effect when the case opened. */
  policy: { version: number; conflicts: ConflictRules; calendar: PolicyCalendar };
  parties: ConflictParty[];
  openedAt: string;
}

/**
 * What the case tells a registration: it is part of an open case, the case was decided for or
 * against it, or it was reopened on appeal.
 */
export interface ConflictOutcome {
  conflictId: string;
  /** The case's transition number: a retried notice is recognized and applied once. */
  caseSeq: number;
  outcome: 'opened' | 'approved' | 'rejected' | 'reopened';
  coSell: boolean;
  reason: string;
  ruleIds: string[];
  decidedBy: string;
  /** Until when the losing partner may appeal (ISO); a rejected registration waits for it. */
  appealUntil?: string;
}

export const conflictWorkflowId = (conflictId: string) => `conflict-${conflictId}`;

export interface ResolveRequest {
  /** A registration id of the case, `direct`, `co_sell` or `none`. */
  award: string;
  reason: string;
  by: Actor;
}

export const conflictStatusQuery = defineQuery<ConflictView>('status');
/** A further colliding claim joins the open case (sent with signal-with-start). */
export const addPartySignal = defineSignal<[ConflictParty]>('addParty');
/** A party's registration ended (withdrawn, closed) while the case was open. */
export const partyLeftSignal = defineSignal<[string]>('partyLeft');
export const resolveConflictUpdate = defineUpdate<ConflictView, [ResolveRequest]>('resolve');
export const appealConflictUpdate = defineUpdate<ConflictView, [{ reason: string; by: Actor }]>('appeal');
