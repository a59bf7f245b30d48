import type { EscalationRole, PartnerTier } from './directory';

// What a conflict case shows: the view its workflow keeps (workflows/conflict/contract.ts
// re-exports these), and what src/domain/conflictRedaction.ts cuts down for one party.

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
