import type { EscalationRole, PartnerTier } from '../src/domain/directory';
import type { ConflictRules, PolicyCalendar } from '../src/domain/policy';

// The conflict case's contract with the API and the registrations: how it starts and what it shows.

export const CONFLICT_STATUSES = ['open', 'resolved', 'defaulted'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

/** One claimant: a partner's registration, or the direct team (named direct account). */
export interface ConflictParty {
  kind: 'partner' | 'direct';
  registrationId?: string;
  partnerId?: string;
  /** For managers, and to keep it out of what other partners read. */
  partnerName?: string;
  partnerTier?: PartnerTier;
  submittedAt: string;
  /** The party that held the claim when the case opened keeps its status while the case is open. */
  holder: boolean;
}

/** `award`: a registration id, `direct`, `co_sell` or `none`. */
export interface ConflictResolution {
  award: string;
  reason: string;
  decidedBy: string;
  decidedAt: string;
  /** `manager` by a decision, `default` by the policy's onFinalBreach after the last tier. */
  by: 'manager' | 'default';
  ruleId?: string;
}

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

export interface ConflictView {
  id: string;
  workflowId: string;
  domain: string;
  productLine: string;
  region: string;
  status: ConflictStatus;
  /** 1-based position on the ladder. */
  tier: number;
  assigneeRole: EscalationRole;
  dueAt?: string;
  policyVersion: number;
  openedAt: string;
  parties: ConflictParty[];
  resolution?: ConflictResolution;
  breaches: { tier: number; role: EscalationRole; at: string }[];
  appeals: { partnerId: string; at: string; reason: string }[];
  history: { at: string; event: string; detail: string }[];
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
