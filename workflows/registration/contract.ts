import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AccountSegment, EscalationRole, PartnerTier, PartnerType } from '../../src/domain/directory';
import type { Actor } from '../shared/contract';
import type { PolicyDocument } from '../../src/domain/policy';
import type { ConflictOutcome } from '../conflict/contract';

// The registration process's contract: what it is started with, what it shows, the messages it
// takes. The workflow type is the exported function's name in workflows/registration/workflow.ts.

export const REGISTRATION_WORKFLOW_TYPE = 'registration';
/** The workflow's signature, for typed starts and handles without importing its implementation. */
export type RegistrationWorkflow = (input: RegistrationInput) => Promise<RegistrationView>;

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

/**
 * A registration brought over from another PRM: its status there, and when it was decided, expires
 * or closed. Ended ones are recorded as they ended; open ones (approved, in review) live on here.
 */
export interface MigratedRegistration {
  /** Where it came from and its id there (the import's idempotency key). */
  source: string;
  externalId: string;
  status: 'pending_review' | 'approved' | 'rejected' | 'won' | 'lost' | 'expired' | 'withdrawn';
  decidedAt?: string;
  /** An approved registration's protection end there (else: decidedAt + the policy's validity). */
  expiresAt?: string;
  closedOn?: string;
  wonAmount?: Money;
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
  /** Present when the registration was imported (POST /api/registrations/import). */
  migrated?: MigratedRegistration;
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
  /** How the deal ended: won with the amount signed, or lost; the revenue reports read it. */
  closure?: { outcome: 'won' | 'lost'; amount?: Money; closedOn: string; closedAt: string };
  timeline: TimelineEntry[];
}

export type { Actor };

export const registrationWorkflowId = (registrationId: string) => `registration-${registrationId}`;

export interface ManagerDecision {
  outcome: 'approve' | 'reject' | 'request_info';
  reason: string;
  by: Actor;
}

export const registrationStatusQuery = defineQuery<RegistrationView>('status');
/** Resolves once the first evaluation is decided and recorded (the API's POST waits on it). */
export const firstDecisionUpdate = defineUpdate<RegistrationView>('firstDecision');
export const decideUpdate = defineUpdate<RegistrationView, [ManagerDecision]>('decide');
export const provideInfoUpdate = defineUpdate<RegistrationView, [{ message: string; by: Actor }]>('provideInfo');
export const requestExtensionUpdate = defineUpdate<RegistrationView, [{ reason: string; by: Actor }]>(
  'requestExtension',
);
export const recordProgressUpdate = defineUpdate<RegistrationView, [{ note: string; stage?: string; by: Actor }]>(
  'recordProgress',
);
export interface CloseRequest {
  outcome: 'won' | 'lost';
  by: Actor;
  /** What the customer signed (won only); absent: the registered amount. */
  amount?: Money;
  /** The day it closed (UTC, YYYY-MM-DD); absent: the day it was recorded. */
  closedOn?: string;
}
export const closeUpdate = defineUpdate<RegistrationView, [CloseRequest]>('close');
/** The conflict case's word on this registration (opened, awarded, lost, reopened on appeal). */
export const conflictNoticeUpdate = defineUpdate<RegistrationView, [ConflictOutcome]>('conflictNotice');
export const withdrawUpdate = defineUpdate<RegistrationView, [{ reason: string; by: Actor }]>('withdraw');
