import { defineQuery, defineUpdate } from '@temporalio/workflow';

// The account claims' contract: one workflow per account key, its messages and its state. The
// workflow type is the exported function's name in workflows/accountClaims/workflow.ts.

export const ACCOUNT_CLAIMS_WORKFLOW_TYPE = 'accountClaims';
/** The workflow's signature, for typed starts and handles without importing its implementation. */
export type AccountClaimsWorkflow = (input: AccountClaimsInput) => Promise<void>;

export interface ClaimRequest {
  registrationId: string;
  partnerId: string;
  productLine: string;
  /** When the registration was submitted (ISO): orders claimants for "first to register". */
  submittedAt: string;
  /** A named direct account: the direct team holds every product line. */
  namedDirect: boolean;
  /** The id a new conflict case takes if this claim collides and no case is open on the line yet. */
  proposedConflictId?: string;
}

export interface ClaimHolder {
  kind: 'partner' | 'direct';
  registrationId?: string;
  partnerId?: string;
  claimedAt: string;
}

/** A collision names the holder and, for claims that proposed one, the open case to join. */
export type ClaimAnswer = { granted: true } | { granted: false; holder: ClaimHolder; conflictId?: string };

export interface ReleaseRequest {
  registrationId: string;
  productLine: string;
  reason: 'expired' | 'withdrawn' | 'lost' | 'won' | 'rejected' | 'stale';
}

export interface ProductLineClaims {
  productLine: string;
  holder?: ClaimHolder;
  /** Claims that collided with the holder, oldest first. */
  contenders: ClaimHolder[];
  /** The conflict case open on this line: further colliding claims join it. */
  openConflictId?: string;
}

/** A conflict case's decision: the claim goes to `holder` (none: the line is free). */
export interface SettleRequest {
  productLine: string;
  conflictId: string;
  holder?: ClaimHolder;
}

export interface AccountClaimsState {
  accountKey: string;
  lines: ProductLineClaims[];
  /** Answers already given, so a retried claim gets the same answer. */
  answers: Record<string, ClaimAnswer>;
}

export interface AccountClaimsInput {
  accountKey: string;
  /** State carried over from the previous run (continue-as-new). */
  carried?: AccountClaimsState;
  /** Continue-as-new after this many history events even if the server does not suggest it (tests). */
  maxHistoryEvents?: number;
}

export const claimUpdate = defineUpdate<ClaimAnswer, [ClaimRequest]>('claim');
export const releaseUpdate = defineUpdate<{ released: boolean }, [ReleaseRequest]>('release');
export const settleUpdate = defineUpdate<ProductLineClaims, [SettleRequest]>('settle');
/** A decided case reopened on appeal: further colliding claims join it again. */
export const reopenCaseUpdate = defineUpdate<ProductLineClaims, [{ productLine: string; conflictId: string }]>(
  'reopenCase',
);
export const accountClaimsStatusQuery = defineQuery<AccountClaimsState>('status');

export const accountClaimsWorkflowId = (accountKey: string) => `account-${accountKey}`;
