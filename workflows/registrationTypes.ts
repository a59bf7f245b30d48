import type { AccountSegment, EscalationRole, PartnerTier, PartnerType } from '../src/domain/directory';
import type { PolicyDocument } from '../src/domain/policy';

// The registration process's contract with the API: what it is started with and what it shows.

export const REGISTRATION_STATUSES = [
  'submitted',
  'pending_review',
  'info_requested',
  'in_conflict',
  'approved',
  'rejected',
  'expired',
  'won',
  'lost',
  'withdrawn',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export const ACTIVE_STATUSES: readonly RegistrationStatus[] = [
  'submitted',
  'pending_review',
  'info_requested',
  'in_conflict',
  'approved',
];

export interface Money {
  value: number;
  currency: string;
}

export interface RegistrationInput {
  registrationId: string;
  partner: { id: string; name: string; tier: PartnerTier; type: PartnerType; regions: string[] };
  account: { name: string; domain: string; region: string; segment?: AccountSegment; namedDirect: boolean };
  opportunity: { title: string; productLine: string; amount: Money; expectedCloseDate: string };
  submittedAt: string;
  /** The policy version in effect at submission: every rule of this registration comes from it. */
  policy: { version: number; document: PolicyDocument };
  /** Near-identical account names on other domains, for the reviewer (never shown to partners). */
  possibleDuplicates: { domain: string; name: string }[];
}

export interface RegistrationDecision {
  outcome: 'approved' | 'rejected' | 'pending_review' | 'in_conflict';
  reason: string;
  ruleIds: string[];
  /** `system:rules`, `system:sla`, or the manager's id. */
  decidedBy: string;
  decidedAt: string;
}

export interface TimelineEntry {
  at: string;
  event: string;
  detail: string;
}

export interface RegistrationView {
  id: string;
  workflowId: string;
  partnerId: string;
  account: { name: string; domain: string; region: string; segment?: AccountSegment };
  opportunity: { title: string; productLine: string; amount: Money; expectedCloseDate: string };
  status: RegistrationStatus;
  policyVersion: number;
  submittedAt: string;
  decision?: RegistrationDecision;
  /** While `info_requested` the SLA clock is stopped since `pausedAt`; `dueAt` moves when it resumes. */
  review?: { assigneeRole: EscalationRole; dueAt: string; breaches: number; pausedAt?: string };
  conflictId?: string;
  expiresAt?: string;
  extensions: { requestedAt: string; newExpiresAt: string; reason: string }[];
  lastPartnerUpdateAt?: string;
  possibleDuplicates: { domain: string; name: string }[];
  timeline: TimelineEntry[];
}

/** Who acts on a registration, as the API authenticated them. */
export type Actor =
  | { role: 'partner'; subject: string; partnerId: string }
  | { role: 'manager'; subject: string; escalationRoles: EscalationRole[]; regions: string[] }
  | { role: 'admin' | 'ops'; subject: string };

export const registrationWorkflowId = (registrationId: string) => `registration-${registrationId}`;
