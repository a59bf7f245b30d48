import { allHandlersFinished, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { conflictSteps } from './activities';
import { isRoleAtOrAbove } from '../../src/domain/directory';
import { durationToMillis, parseDuration } from '../../src/domain/duration';
import { ConflictCase } from './case';
import { runTimedPhase } from '../shared/waiting';
import { requireStorable } from '../shared/storeRefusal';
import type { ConflictInput, ConflictView } from './contract';
import type { Actor } from '../registration/contract';
import {
  addPartySignal,
  appealConflictUpdate,
  conflictStatusQuery,
  partyLeftSignal,
  resolveConflictUpdate,
  type ResolveRequest,
} from './contract';

// The conflict case: two claims on one account and product line. It climbs the ladder of the
// policy in effect when it opened, tier by tier on the policy's clock, until a manager resolves it
// or the last deadline passes and the policy's default decides. One appeal per losing partner.

const { applyConflictOutcome, settleAccountClaim, reopenAccountClaimCase } = conflictSteps;

export async function conflictCase(input: ConflictInput): Promise<ConflictView> {
  const record = new ConflictCase(input);
  const appealWindowMs = durationToMillis(parseDuration(input.policy.conflicts.appealWindow)!);

  setHandler(conflictStatusQuery, () => record.view);
  setHandler(addPartySignal, (party) => void record.addParty(party));
  setHandler(partyLeftSignal, (registrationId) => void record.partyLeft(registrationId));
  setHandler(resolveConflictUpdate, (request) => resolve(record, request), {
    validator: (request) => {
      requireStorable(request);
      validateResolution(record, request);
    },
  });
  setHandler(appealConflictUpdate, (request) => appeal(record, request), {
    validator: (request) => {
      requireStorable(request);
      validateAppeal(record, request.by, appealWindowMs);
    },
  });

  await record.open();
  // Open, decided, perhaps reopened by an appeal: the case ends once no appeal can come any more.
  for (;;) {
    await ladderPhase(record);
    const appealUntil = Date.parse(record.view.resolution!.decidedAt) + appealWindowMs;
    const reopened = await condition(() => record.view.status === 'open', Math.max(0, appealUntil - Date.now()));
    if (!reopened) break;
  }
  await record.note('closed', 'the appeal window has passed', 'system:timer');
  await condition(allHandlersFinished);
  await record.emailsSent();
  return record.view;
}

/** Each tier's deadline passing moves the case up; after the last, the policy's default decides. */
async function ladderPhase(record: ConflictCase): Promise<void> {
  await runTimedPhase<'breach' | 'uncontested'>({
    isOver: () => record.view.status !== 'open',
    changeCount: () => record.seq,
    alarms: () => [
      {
        name: record.uncontested() ? 'uncontested' : 'breach',
        at: record.uncontested() ? Date.now() : Date.parse(record.view.dueAt!),
      },
    ],
    onAlarm: async (alarm) => {
      if (alarm.name === 'uncontested')
        return decide(record, record.remainingAward(), undefined, 'the other claims were withdrawn');
      if (record.isLastTier()) return decide(record, record.defaultAward(), undefined);
      await record.escalate();
    },
  });
}

async function resolve(record: ConflictCase, request: ResolveRequest): Promise<ConflictView> {
  await decide(record, request.award, request);
  return record.view;
}

/** Records the decision, then moves the claim and tells every registration of the case. */
async function decide(
  record: ConflictCase,
  award: string,
  request: ResolveRequest | undefined,
  uncontested?: string,
): Promise<void> {
  const decision = request
    ? { reason: request.reason, by: request.by.subject }
    : uncontested
      ? { reason: uncontested, by: 'system:ladder' }
      : undefined;
  await record.resolve(award, decision);
  const outcomes = record.outcomes();
  await settleAccountClaim(record.input.accountKey, {
    productLine: record.input.productLine,
    conflictId: record.input.conflictId,
    holder: record.awardedHolder(),
  });
  await Promise.all(outcomes.map(({ registrationId, outcome }) => applyConflictOutcome(registrationId, outcome)));
}

async function appeal(record: ConflictCase, request: { reason: string; by: Actor }): Promise<ConflictView> {
  await record.reopenOnAppeal(request.by.role === 'partner' ? request.by.partnerId : '', request.reason);
  await reopenAccountClaimCase(record.input.accountKey, record.input.productLine, record.input.conflictId);
  const outcomes = record.reopenedOutcomes();
  await Promise.all(outcomes.map(({ registrationId, outcome }) => applyConflictOutcome(registrationId, outcome)));
  return record.view;
}

// Validators run before anything is written to history and must be synchronous.

function validateResolution(record: ConflictCase, request: ResolveRequest): void {
  if (record.view.status !== 'open') {
    throw ApplicationFailure.create({
      type: 'InvalidState',
      message: `conflict ${record.view.id} is ${record.view.status}: resolving is allowed only while it is open`,
      details: [{ conflictStatus: record.view.status }],
      nonRetryable: true,
    });
  }
  const by = request.by;
  if (by.role !== 'manager') throw notAllowed('only managers resolve conflicts');
  const needed = record.view.assigneeRole;
  if (!by.escalationRoles.some((role) => isRoleAtOrAbove(role, needed))) {
    throw notAllowed(
      `this case is at tier ${record.view.tier}: it needs a ${needed.replace(/_/g, ' ')} or a role above it`,
    );
  }
  if (!by.regions.includes('*') && !by.regions.includes(record.view.region)) {
    throw notAllowed(`the account is in region ${record.view.region}, outside the caller's regions`);
  }
  const partyIds = record.view.parties.flatMap((p) => (p.registrationId ? [p.registrationId] : []));
  if (!['direct', 'co_sell', 'none', ...partyIds].includes(request.award)) {
    throw ApplicationFailure.create({
      type: 'InvalidArgument',
      message: `award must be one of the case's registrations (${partyIds.join(', ')}), "direct", "co_sell" or "none"`,
      // The field the API names in the problem's `errors`.
      details: [{ path: 'award' }],
      nonRetryable: true,
    });
  }
}

function validateAppeal(record: ConflictCase, by: Actor, appealWindowMs: number): void {
  if (by.role !== 'partner') throw notAllowed('only a losing partner appeals');
  const party = record.view.parties.find((p) => p.partnerId === by.partnerId);
  if (!party) throw notAllowed('only a party to the case appeals');
  if (record.view.status === 'open') {
    throw ApplicationFailure.create({
      type: 'InvalidState',
      message: `conflict ${record.view.id} is open: appealing is allowed only once it is decided`,
      nonRetryable: true,
    });
  }
  if (!record.lost(by.partnerId)) {
    throw ApplicationFailure.create({
      type: 'InvalidState',
      message: `conflict ${record.view.id}: appealing is allowed only to a partner whose registration it rejected`,
      nonRetryable: true,
    });
  }
  if (record.view.appeals.some((a) => a.partnerId === by.partnerId)) {
    throw ruleViolation('APPEAL-ONCE', 'each losing partner may appeal a case once');
  }
  const until = Date.parse(record.view.resolution!.decidedAt) + appealWindowMs;
  if (Date.now() > until) {
    throw ruleViolation(
      'APPEAL-WINDOW',
      `the appeal window of ${record.input.policy.conflicts.appealWindow} closed at ${new Date(until).toISOString()}`,
    );
  }
}

const notAllowed = (message: string) => ApplicationFailure.create({ type: 'NotAllowed', message, nonRetryable: true });
const ruleViolation = (ruleId: string, message: string) =>
  ApplicationFailure.create({ type: 'RuleViolation', message, details: [{ ruleId }], nonRetryable: true });
