import { allHandlersFinished, ApplicationFailure, condition, patched, setHandler, uuid4 } from '@temporalio/workflow';
import { registrationSteps } from './activities';
import type { AmountComparison, Decision } from '../../src/domain/rules';
import { decisionOnSubmission } from '../../src/domain/registrationDecision';
import { baseCurrencyOf } from '../../src/domain/money';
import { isRoleAtOrAbove, type EscalationRole } from '../../src/domain/directory';
import { addBusinessMillis, businessMillisBetween } from '../../src/domain/calendar';
import { durationToMillis, parseDuration } from '../../src/domain/duration';
import type { ClaimAnswer } from '../accountClaims/contract';
import { conflictWorkflowId, partyLeftSignal, type ConflictOutcome } from '../conflict/contract';
import { signalIfRunning } from '../shared/signalling';
import { runTimedPhase, type Alarm } from '../shared/waiting';
import { RegistrationRecord } from './record';
import { requireStorable } from '../shared/storeRefusal';
import {
  closeUpdate,
  conflictNoticeUpdate,
  decideUpdate,
  firstDecisionUpdate,
  provideInfoUpdate,
  recordProgressUpdate,
  registrationStatusQuery,
  requestExtensionUpdate,
  withdrawUpdate,
  type Actor,
  type CloseRequest,
  type ManagerDecision,
  type MigratedRegistration,
  type RegistrationInput,
  type RegistrationView,
} from './contract';

// The deal-registration process: evaluated at once under the policy version in effect at
// submission, reviewed within an SLA that escalates by itself, protected until it expires.

// Changes to running registrations, each behind a patch so histories recorded before it replay.
const PATCH_REMINDER_ON_SLA_CLOCK = 'review-reminder-on-sla-clock';
const PATCH_REMINDER_AFTER_PAUSE = 'review-reminder-after-pause';
/** Collisions open (or join) a conflict case, whose decision flows back to the registration. */
const PATCH_CONFLICT_CASES = 'conflict-cases';
/** The step that ended a registration is recorded before the claim's release that follows from it. */
const PATCH_ENDING_RECORDED_FIRST = 'ending-recorded-first';
/** An amount in another currency than the policy's is converted with its rate, or reviewed without one. */
const PATCH_CURRENCY_RATES = 'currency-rates';
/** The registration tells its case it left with a signal of its own, not through an activity. */
const PATCH_LEAVING_SIGNALLED_BY_WORKFLOW = 'leaving-signalled-by-workflow';

const { claimAccount, releaseAccountClaim, openOrJoinConflict, leaveConflict } = registrationSteps;

export async function registration(input: RegistrationInput): Promise<RegistrationView> {
  const record = new RegistrationRecord(input);
  let claim: ClaimAnswer | undefined;
  let firstDecided = false;

  setHandler(registrationStatusQuery, () => record.view);
  setHandler(firstDecisionUpdate, async () => {
    await condition(() => firstDecided);
    return record.view;
  });
  // Human steps: text the store cannot hold is refused before the step is accepted.
  setHandler(decideUpdate, (decision) => decide(record, decision), {
    validator: (d) => {
      requireStorable(d);
      validateDecision(record, d);
    },
  });
  setHandler(provideInfoUpdate, (info) => provideInfo(record, info), {
    validator: (info) => {
      requireStorable(info);
      requireOwner(record, info.by, ['info_requested'], 'answering an info request');
    },
  });
  setHandler(requestExtensionUpdate, (request) => extend(record, request), {
    validator: (request) => {
      requireStorable(request);
      validateExtension(record, request.by);
    },
  });
  setHandler(recordProgressUpdate, (update) => recordProgress(record, update), {
    validator: (update) => {
      requireStorable(update);
      requireOwner(
        record,
        update.by,
        ['pending_review', 'info_requested', 'in_conflict', 'approved'],
        'a progress update',
      );
    },
  });
  setHandler(closeUpdate, (request) => close(record, request), {
    validator: (request) => {
      requireStorable(request);
      validateClose(record, request);
    },
  });
  setHandler(withdrawUpdate, (request) => withdraw(record, request), {
    validator: (request) => {
      requireStorable(request);
      requireOwner(record, request.by, ['pending_review', 'info_requested', 'in_conflict', 'approved'], 'withdrawing');
    },
  });

  setHandler(
    conflictNoticeUpdate,
    async (outcome) => {
      await record.applyConflictOutcome(outcome);
      return record.view;
    },
    { validator: (_outcome: ConflictOutcome) => validateConflictNotice(record) },
  );

  await record.transition(
    'submitted',
    'submitted',
    `registered under policy version ${input.policy.version}`,
    'partner:' + input.partner.id,
  );
  const migrated = input.migrated;
  // An imported registration that had ended there is recorded as it ended, and ends here too.
  if (migrated && !isStillOpen(migrated)) {
    await record.endMigrated(migrated);
    firstDecided = true;
    await condition(allHandlersFinished);
    await record.emailsSent();
    return record.view;
  }
  // The partner was told of an imported registration in the other PRM already.
  if (!migrated) record.email('received', { partnerId: input.partner.id });

  // Outright rejections never touch the account's claims.
  const amounts = amountComparison(input);
  let decision = migrated ? migratedDecision(migrated, input.policy.version) : decisionOnSubmission(input, amounts);
  if (decision.outcome !== 'rejected') {
    claim = await claimAccount(input.account.domain, {
      registrationId: input.registrationId,
      partnerId: input.partner.id,
      productLine: input.opportunity.productLine,
      submittedAt: input.submittedAt,
      namedDirect: input.account.namedDirect,
      ...(patched(PATCH_CONFLICT_CASES) ? { proposedConflictId: newConflictId() } : {}),
    });
    if (!claim.granted && claim.conflictId) record.view.conflictId = claim.conflictId;
    if (!claim.granted) decision = decisionOnSubmission(input, amounts, { kind: claim.holder.kind });
  }
  // An imported one whose account line is held here meanwhile collides like any other registration.
  if (migrated && decision.ruleIds.includes('MIGRATED'))
    await record.decideMigrated(migrated, decision.outcome as 'approved' | 'pending_review');
  else await record.decideFirst(decision);
  firstDecided = true;

  if (claim && !claim.granted && claim.conflictId) await joinConflictCase(record, claim);
  if (patched(PATCH_CONFLICT_CASES)) {
    await lifecycle(record);
  } else {
    if (record.view.status === 'pending_review') await reviewPhase(record);
    if (record.view.status === 'approved') await protectionPhase(record);
    await condition(() => !record.isActive());
  }

  // A withdrawal or decision records itself in its update handler; without this wait, the release
  // below could reach the audit trail before it did.
  if (patched(PATCH_ENDING_RECORDED_FIRST)) await condition(allHandlersFinished);

  // However it ended, its claim no longer counts in a case that is still open (the case ignores it otherwise).
  if (record.view.conflictId) await leaveCase(record.view.conflictId, input.registrationId);
  if (claim) {
    await releaseAccountClaim(input.account.domain, {
      registrationId: input.registrationId,
      productLine: input.opportunity.productLine,
      reason: record.releaseReason(),
    });
    await record.note('claim_released', 'the claim on the account and product line is released', 'system:claims');
  }
  await condition(allHandlersFinished);
  await record.emailsSent();
  return record.view;
}

/**
 * Whatever the registration is now decides the next phase; a conflict case can move it at any time
 * (award, loss, reopening on appeal). A loss waits out the appeal window before the process ends.
 */
async function lifecycle(record: RegistrationRecord): Promise<void> {
  for (;;) {
    const status = record.view.status;
    if (status === 'pending_review' || status === 'info_requested') await reviewPhase(record);
    else if (status === 'approved') await protectionPhase(record);
    else if (status === 'in_conflict') await condition(() => record.view.status !== 'in_conflict');
    else if (status === 'rejected' && record.appealUntil !== undefined && Date.now() < record.appealUntil) {
      const reopened = await condition(() => record.view.status !== 'rejected', record.appealUntil - Date.now());
      if (!reopened) return;
    } else return;
  }
}

/** A collision: open the account's conflict case, or join the one already open on the line. */
async function joinConflictCase(
  record: RegistrationRecord,
  claim: Extract<ClaimAnswer, { granted: false }>,
): Promise<void> {
  const { input } = record;
  await openOrJoinConflict({
    conflictId: claim.conflictId!,
    accountKey: input.account.domain,
    productLine: input.opportunity.productLine,
    region: input.account.region,
    policy: {
      version: input.policy.version,
      conflicts: input.policy.document.conflicts,
      calendar: input.policy.document.calendar,
    },
    holder: claim.holder,
    newcomer: { registrationId: input.registrationId, partnerId: input.partner.id, submittedAt: input.submittedAt },
  });
}

const newConflictId = () => `cf-${uuid4().replace(/-/g, '').slice(0, 16)}`;

/** Review within the SLA: a reminder half-way, escalation (or the policy's default) on breach. */
async function reviewPhase(record: RegistrationRecord): Promise<void> {
  const review = record.input.policy.document.registration.review;
  await runTimedPhase<'reminder' | 'breach'>({
    isOver: () => !['pending_review', 'info_requested'].includes(record.view.status),
    changeCount: () => record.seq,
    alarms: () => {
      if (record.view.status !== 'pending_review' || !record.review) return [];
      const { dueAt, reminded, breachedAtTop } = record.review;
      return [
        reminded ? undefined : { name: 'reminder', at: reminderAt(record) },
        breachedAtTop ? undefined : { name: 'breach', at: dueAt },
      ];
    },
    onAlarm: async (alarm: Alarm<'reminder' | 'breach'>) => {
      if (alarm.name === 'reminder') return record.remindReviewer();
      if (review.onBreach === 'escalate') return record.escalateReview(nextRole(record));
      await record.applyBreachDefault(review.onBreach);
    },
  });
}

/** Half-way through the SLA, measured on the SLA's own clock (working time for a business clock). */
function reminderAt(record: RegistrationRecord): number {
  const { assignedAt, dueAt } = record.review!;
  const review = record.input.policy.document.registration.review;
  if (review.clock !== 'business' || !patched(PATCH_REMINDER_ON_SLA_CLOCK))
    return assignedAt + (dueAt - assignedAt) / 2;
  const calendar = record.input.policy.document.calendar;
  return addBusinessMillis(assignedAt, businessMillisBetween(assignedAt, dueAt, calendar) / 2, calendar);
}

/** Protection until expiry: reminders before it, extensions, staleness, close or withdraw. */
async function protectionPhase(record: RegistrationRecord): Promise<void> {
  const rules = record.input.policy.document.registration;
  const staleMs = rules.staleAfter ? durationToMillis(parseDuration(rules.staleAfter)!) : undefined;
  type Name = 'expiry' | 'stale_release' | 'stale_reminder' | `reminder:${string}`;
  await runTimedPhase<Name>({
    isOver: () => record.view.status !== 'approved',
    changeCount: () => record.seq,
    alarms: () => {
      const expiresAt = Date.parse(record.view.expiresAt!);
      const lastActivity = Date.parse(record.view.lastPartnerUpdateAt ?? record.view.decision!.decidedAt);
      const reminders = rules.reminders.map((offset): Alarm<Name> | undefined => {
        const key = `${offset}@${record.view.expiresAt}`;
        const at = expiresAt - durationToMillis(parseDuration(offset)!);
        return record.remindersSent.has(key) || at <= record.protectedSince
          ? undefined
          : { name: `reminder:${offset}`, at };
      });
      const staleKey = `stale@${lastActivity}`;
      return [
        { name: 'expiry', at: expiresAt },
        ...reminders,
        staleMs && !record.remindersSent.has(staleKey)
          ? { name: 'stale_reminder' as const, at: lastActivity + staleMs }
          : undefined,
        staleMs ? { name: 'stale_release' as const, at: lastActivity + 2 * staleMs } : undefined,
      ];
    },
    onAlarm: async (alarm) => {
      if (alarm.name === 'expiry') return record.expire('its validity ran out', 'expired');
      if (alarm.name === 'stale_release')
        return record.expire('no progress update for twice the staleness period', 'stale');
      if (alarm.name === 'stale_reminder') return record.remindStale(staleMs!);
      return record.remindExpiry(alarm.name.slice('reminder:'.length));
    },
  });
}

function nextRole(record: RegistrationRecord): EscalationRole {
  const ladder = record.input.policy.document.conflicts.escalation.map((tier) => tier.role);
  const current = ladder.indexOf(record.review!.role);
  return ladder[Math.min(current + 1, ladder.length - 1)];
}

// Human steps. Validators run before anything is written to history and must be synchronous.

async function decide(record: RegistrationRecord, decision: ManagerDecision): Promise<RegistrationView> {
  if (decision.outcome === 'request_info') {
    const review = record.input.policy.document.registration.review;
    const now = Date.now();
    // The SLA clock stops while the partner is asked: keep what was left of it.
    record.pausedRemainingMs =
      review.clock === 'business'
        ? businessMillisBetween(now, record.review!.dueAt, record.input.policy.document.calendar)
        : Math.max(0, record.review!.dueAt - now);
    record.view.review!.pausedAt = new Date(now).toISOString();
    await record.transition('info_requested', 'info_requested', decision.reason, decision.by.subject);
    record.email('infoRequested', { partnerId: record.input.partner.id }, decision.reason);
    return record.view;
  }
  const outcome = decision.outcome === 'approve' ? 'approved' : 'rejected';
  await record.decideByManager(outcome, decision.reason, decision.by.subject);
  return record.view;
}

async function provideInfo(
  record: RegistrationRecord,
  info: { message: string; by: Actor },
): Promise<RegistrationView> {
  const calendar = record.input.policy.document.calendar;
  const clock = record.input.policy.document.registration.review.clock;
  const now = Date.now();
  const remaining = record.pausedRemainingMs ?? 0;
  record.review!.dueAt = clock === 'business' ? addBusinessMillis(now, remaining, calendar) : now + remaining;
  record.pausedRemainingMs = undefined;
  delete record.view.review!.pausedAt;
  if (patched(PATCH_REMINDER_AFTER_PAUSE)) {
    // The reviewer is reminded half-way through what is left, not at a point already past.
    record.review!.assignedAt = now;
    record.review!.reminded = false;
  }
  await record.transition('pending_review', 'info_provided', info.message, info.by.subject);
  return record.view;
}

async function extend(record: RegistrationRecord, request: { reason: string; by: Actor }): Promise<RegistrationView> {
  const length = durationToMillis(parseDuration(record.input.policy.document.registration.extensions.length)!);
  const newExpiresAt = new Date(Date.parse(record.view.expiresAt!) + length).toISOString();
  record.view.extensions.push({
    requestedAt: new Date(Date.now()).toISOString(),
    newExpiresAt,
    reason: request.reason,
  });
  record.view.expiresAt = newExpiresAt;
  await record.transition(
    'approved',
    'extended',
    `protection extended to ${newExpiresAt}: ${request.reason}`,
    request.by.subject,
  );
  record.email('extended', { partnerId: record.input.partner.id });
  return record.view;
}

async function recordProgress(
  record: RegistrationRecord,
  update: { note: string; stage?: string; by: Actor },
): Promise<RegistrationView> {
  record.view.lastPartnerUpdateAt = new Date(Date.now()).toISOString();
  const detail = update.stage ? `${update.stage}: ${update.note}` : update.note;
  await record.transition(record.view.status, 'progress_update', detail, update.by.subject);
  return record.view;
}

async function close(record: RegistrationRecord, request: CloseRequest): Promise<RegistrationView> {
  // Set before the step is recorded, so the read model has it with the status.
  const closedAt = new Date(Date.now()).toISOString();
  record.view.closure = {
    outcome: request.outcome,
    ...(request.outcome === 'won' ? { amount: request.amount ?? record.view.opportunity.amount } : {}),
    closedOn: request.closedOn ?? closedAt.slice(0, 10),
    closedAt,
  };
  await record.transition(
    request.outcome,
    `closed_${request.outcome}`,
    `closed as ${request.outcome}`,
    request.by.subject,
  );
  return record.view;
}

async function withdraw(record: RegistrationRecord, request: { reason: string; by: Actor }): Promise<RegistrationView> {
  await record.transition('withdrawn', 'withdrawn', request.reason, request.by.subject);
  return record.view;
}

function validateDecision(record: RegistrationRecord, decision: ManagerDecision): void {
  const allowed = decision.outcome === 'request_info' ? ['pending_review'] : ['pending_review', 'info_requested'];
  requireStatus(record, allowed, STEP_OF_DECISION[decision.outcome]);
  const by = decision.by;
  if (by.role !== 'manager') throw notAllowed('only managers decide registrations');
  const needed = record.review!.role;
  if (!by.escalationRoles.some((role) => isRoleAtOrAbove(role, needed))) {
    throw notAllowed(`this registration waits on a ${needed.replace('_', ' ')} or a role above it`);
  }
  if (!by.regions.includes('*') && !by.regions.includes(record.input.account.region)) {
    throw notAllowed(`the account is in region ${record.input.account.region}, outside the caller's regions`);
  }
}

function validateConflictNotice(record: RegistrationRecord): void {
  const open = record.isActive() || (record.view.status === 'rejected' && record.appealUntil !== undefined);
  if (!open) {
    throw ApplicationFailure.create({
      type: 'InvalidState',
      message: `registration ${record.view.id} is ${record.view.status}; a conflict case no longer changes it`,
      nonRetryable: true,
    });
  }
}

function validateExtension(record: RegistrationRecord, by: Actor): void {
  requireOwner(record, by, ['approved'], 'an extension', 'NOT-APPROVED');
  const { max } = record.input.policy.document.registration.extensions;
  if (record.view.extensions.length >= max) {
    throw ApplicationFailure.create({
      type: 'RuleViolation',
      message: `policy version ${record.view.policyVersion} allows ${max} extension${max === 1 ? '' : 's'}, already used`,
      details: [{ ruleId: 'EXTENSION-LIMIT', max, used: record.view.extensions.length }],
      nonRetryable: true,
    });
  }
}

function validateClose(record: RegistrationRecord, request: CloseRequest): void {
  if (request.closedOn !== undefined && request.closedOn < record.view.submittedAt.slice(0, 10)) {
    throw ApplicationFailure.create({
      type: 'InvalidArgument',
      message: `closedOn: must not be before the day the deal was registered, ${record.view.submittedAt.slice(0, 10)}`,
      details: [{ path: 'closedOn' }],
      nonRetryable: true,
    });
  }
  if (request.by.role === 'manager') {
    requireStatus(record, closableAs(request.outcome), `closing as ${request.outcome}`);
    return;
  }
  requireOwner(record, request.by, closableAs(request.outcome), `closing as ${request.outcome}`);
}

const closableAs = (outcome: 'won' | 'lost') =>
  outcome === 'won' ? ['approved'] : ['pending_review', 'info_requested', 'in_conflict', 'approved'];

const STEP_OF_DECISION: Record<ManagerDecision['outcome'], string> = {
  approve: 'approving',
  reject: 'rejecting',
  request_info: 'requesting info',
};

/** `step` names what was refused, e.g. "withdrawing": every refusal says which step it refuses. */
function requireOwner(record: RegistrationRecord, by: Actor, statuses: string[], step: string, ruleId?: string): void {
  if (by.role !== 'partner' || by.partnerId !== record.input.partner.id)
    throw notAllowed(`${step}: only the registering partner may do this`);
  requireStatus(record, statuses, step, ruleId);
}

function requireStatus(record: RegistrationRecord, statuses: string[], step: string, ruleId?: string): void {
  if (!statuses.includes(record.view.status)) {
    throw ApplicationFailure.create({
      type: 'InvalidState',
      message: `registration ${record.view.id} is ${record.view.status}: ${step} is allowed only when it is ${statuses.join(', ')}`,
      details: [{ status: record.view.status, ...(ruleId ? { ruleId } : {}) }],
      nonRetryable: true,
    });
  }
}

const notAllowed = (message: string) => ApplicationFailure.create({ type: 'NotAllowed', message, nonRetryable: true });

/**
 * Only an amount outside the policy's base currency is decided differently since the patch; asking
 * for it there alone leaves the commands of every base-currency registration as they were.
 */
function amountComparison(input: RegistrationInput): AmountComparison {
  if (input.opportunity.amount.currency === baseCurrencyOf(input.policy.document)) return 'in_base_currency';
  return patched(PATCH_CURRENCY_RATES) ? 'in_base_currency' : 'bare_number';
}

const isStillOpen = (migrated: MigratedRegistration) =>
  migrated.status === 'approved' || migrated.status === 'pending_review';

/** An open imported registration's first decision: the one it had (the claim may still collide). */
function migratedDecision(migrated: MigratedRegistration, policyVersion: number): Decision {
  return {
    outcome: migrated.status as 'approved' | 'pending_review',
    reason: `imported from ${migrated.source} (${migrated.externalId})`,
    ruleIds: ['MIGRATED'],
    policyVersion,
    routeId: 'MIGRATED',
    route: 'partner_led',
  };
}

/** The case hears that this party left; a case that has ended has nothing to hear. */
async function leaveCase(conflictId: string, registrationId: string): Promise<void> {
  if (!patched(PATCH_LEAVING_SIGNALLED_BY_WORKFLOW)) return leaveConflict(conflictId, registrationId);
  await signalIfRunning(conflictWorkflowId(conflictId), partyLeftSignal, registrationId);
}
