import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { setProcessSearchAttributes } from './searchAttributes';

// One long-lived workflow per account key serializes every claim on the account: updates are
// handled one at a time, in order, so of two simultaneous registrations exactly one holds.

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

export async function accountClaims(input: AccountClaimsInput): Promise<void> {
  const state: AccountClaimsState = input.carried ?? { accountKey: input.accountKey, lines: [], answers: {} };
  setProcessSearchAttributes({ accountKey: input.accountKey, status: 'active' });

  setHandler(accountClaimsStatusQuery, () => state);
  setHandler(claimUpdate, (request) => claim(state, request), { validator: validateClaim });
  setHandler(releaseUpdate, (request) => release(state, request), { validator: validateRelease });
  setHandler(settleUpdate, (request) => settle(state, request));
  setHandler(reopenCaseUpdate, (request) => {
    const line = lineOf(state, request.productLine);
    line.openConflictId = request.conflictId;
    return line;
  });

  await condition(() => shouldContinueAsNew(input.maxHistoryEvents));
  // Let in-flight updates finish so no claim is lost between runs.
  await condition(allHandlersFinished);
  await continueAsNew<typeof accountClaims>({
    accountKey: input.accountKey,
    carried: state,
    maxHistoryEvents: input.maxHistoryEvents,
  });
}

function claim(state: AccountClaimsState, request: ClaimRequest): ClaimAnswer {
  const previous = state.answers[request.registrationId];
  if (previous) return previous;
  const line = lineOf(state, request.productLine);
  const claimant: ClaimHolder = {
    kind: 'partner',
    registrationId: request.registrationId,
    partnerId: request.partnerId,
    claimedAt: request.submittedAt,
  };
  if (!line.holder && request.namedDirect) line.holder = { kind: 'direct', claimedAt: request.submittedAt };
  let answer: ClaimAnswer;
  if (!line.holder) {
    line.holder = claimant;
    answer = { granted: true };
  } else {
    line.contenders.push(claimant);
    if (request.proposedConflictId) line.openConflictId ??= request.proposedConflictId;
    answer = {
      granted: false,
      holder: line.holder,
      ...(request.proposedConflictId ? { conflictId: line.openConflictId } : {}),
    };
  }
  state.answers[request.registrationId] = answer;
  return answer;
}

function release(state: AccountClaimsState, request: ReleaseRequest): { released: boolean } {
  const line = lineOf(state, request.productLine);
  line.contenders = line.contenders.filter((c) => c.registrationId !== request.registrationId);
  delete state.answers[request.registrationId];
  if (line.holder?.registrationId !== request.registrationId) return { released: false };
  line.holder = undefined;
  return { released: true };
}

/** The case decided: its winner holds the line, everyone else's claim is settled with it. */
function settle(state: AccountClaimsState, request: SettleRequest): ProductLineClaims {
  const line = lineOf(state, request.productLine);
  if (line.openConflictId === request.conflictId) line.openConflictId = undefined;
  line.holder = request.holder;
  line.contenders = [];
  return line;
}

function lineOf(state: AccountClaimsState, productLine: string): ProductLineClaims {
  let line = state.lines.find((l) => l.productLine === productLine);
  if (!line) {
    line = { productLine, contenders: [] };
    state.lines.push(line);
  }
  return line;
}

// Validators run before an update is written to history; they must be synchronous.
function validateClaim(request: ClaimRequest): void {
  if (!request?.registrationId || !request.partnerId || !request.productLine || !request.submittedAt) {
    throw ApplicationFailure.nonRetryable(
      'a claim needs registrationId, partnerId, productLine and submittedAt',
      'InvalidClaim',
    );
  }
}

function validateRelease(request: ReleaseRequest): void {
  if (!request?.registrationId || !request.productLine) {
    throw ApplicationFailure.nonRetryable('a release needs registrationId and productLine', 'InvalidClaim');
  }
}

function shouldContinueAsNew(maxHistoryEvents?: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || (maxHistoryEvents !== undefined && info.historyLength >= maxHistoryEvents);
}
