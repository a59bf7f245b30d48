import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { setProcessSearchAttributes } from '../shared/searchAttributes';
import {
  accountClaimsStatusQuery,
  claimUpdate,
  releaseUpdate,
  reopenCaseUpdate,
  settleUpdate,
  type AccountClaimsInput,
  type AccountClaimsState,
  type ClaimAnswer,
  type ClaimHolder,
  type ClaimRequest,
  type ProductLineClaims,
  type ReleaseRequest,
  type SettleRequest,
} from './contract';

// One long-lived workflow per account key serializes every claim on the account: updates are
// handled one at a time, in order, so of two simultaneous registrations exactly one holds.

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
