import { patched } from '@temporalio/workflow';
import { registrationSteps } from './activities';
import type { Recipients } from '../../activities/registration/emails';
import type { RegistrationEmailName } from '../../src/notify/registrationEmails';
import type { Decision } from '../../src/domain/rules';
import type { EscalationRole } from '../../src/domain/directory';
import { deadlineAfter } from '../../src/domain/calendar';
import { durationToMillis, parseDuration } from '../../src/domain/duration';
import type { ReleaseRequest } from '../accountClaims/contract';
import type { ConflictOutcome } from '../conflict/contract';
import { setProcessSearchAttributes } from '../shared/searchAttributes';
import { recordedUnlessRefused } from '../shared/storeRefusal';
import {
  ACTIVE_STATUSES,
  registrationWorkflowId,
  type MigratedRegistration,
  type RegistrationInput,
  type RegistrationStatus,
  type RegistrationView,
} from './contract';

const { recordRegistrationTransition, sendRegistrationEmail } = registrationSteps;

// A change to running registrations: before it, a breach at the top re-escalated to itself forever.
const PATCH_BREACH_ONCE_AT_TOP = 'review-breach-once-at-top';

export const SYSTEM_RULES = 'system:rules';
export const SYSTEM_SLA = 'system:sla';
export const SYSTEM_TIMER = 'system:timer';
export const SYSTEM_CONFLICT = 'system:conflict';
/** Registrations brought over from another PRM (POST /api/registrations/import). */
export const SYSTEM_IMPORT = 'system:import';
/** A registration reopened on appeal shows the reopening as its decision. */
const PATCH_REOPENED_DECISION = 'reopened-decision';

/**
 * The state of one registration and every way it changes: each transition updates the view the
 * status query returns, the search attributes, the read model and the audit trail, in that order.
 */
export class RegistrationRecord {
  readonly view: RegistrationView;
  /** Increases with every transition; timed phases watch it to notice human steps. */
  seq = 0;
  review?: { role: EscalationRole; assignedAt: number; dueAt: number; reminded: boolean; breachedAtTop?: boolean };
  pausedRemainingMs?: number;
  protectedSince = 0;
  readonly remindersSent = new Set<string>();
  private expiredBy: 'expired' | 'stale' = 'expired';
  /** Until when a registration a conflict case rejected may be reopened by an appeal (epoch ms). */
  appealUntil?: number;
  private readonly conflictNotices = new Set<string>();
  private readonly pendingEmails: Promise<unknown>[] = [];

  constructor(readonly input: RegistrationInput) {
    this.view = {
      id: input.registrationId,
      workflowId: registrationWorkflowId(input.registrationId),
      partnerId: input.partner.id,
      account: {
        name: input.account.name,
        domain: input.account.domain,
        region: input.account.region,
        ...(input.account.segment ? { segment: input.account.segment } : {}),
      },
      opportunity: input.opportunity,
      status: 'submitted',
      policyVersion: input.policy.version,
      submittedAt: input.submittedAt,
      extensions: [],
      possibleDuplicates: input.possibleDuplicates,
      timeline: [],
    };
  }

  isActive(): boolean {
    return ACTIVE_STATUSES.includes(this.view.status);
  }

  async transition(status: RegistrationStatus, event: string, detail: string, actor: string): Promise<void> {
    this.view.status = status;
    this.view.timeline.push({ at: nowIso(), event, detail });
    const seq = ++this.seq;
    this.syncReview();
    setProcessSearchAttributes({
      partnerId: this.input.partner.id,
      accountKey: this.input.account.domain,
      policyVersion: this.input.policy.version,
      status,
      assigneeRole: status === 'pending_review' ? this.review!.role : null,
      dueAt: this.dueAt(),
    });
    const action = `registration.${event}`;
    await recordedUnlessRefused(
      recordRegistrationTransition({ view: this.view, seq, actor, action, detail: { status, detail } }),
      { workflowId: this.view.workflowId, seq, action },
    );
  }

  /** A timeline entry that does not change the status. */
  note(event: string, detail: string, actor: string): Promise<void> {
    return this.transition(this.view.status, event, detail, actor);
  }

  email(template: RegistrationEmailName, to: Recipients, note?: string): void {
    const key = `${this.view.workflowId}/${template}#${this.seq}`;
    this.pendingEmails.push(sendRegistrationEmail({ key, template, to, view: this.view, note }));
  }

  async emailsSent(): Promise<void> {
    await Promise.allSettled(this.pendingEmails);
  }

  async decideFirst(decision: Decision): Promise<void> {
    this.view.decision = { ...this.decisionOf(decision), decidedBy: SYSTEM_RULES };
    if (decision.outcome === 'pending_review') this.startReview(this.firstReviewRole());
    if (decision.outcome === 'approved') this.startProtection();
    await this.transition(decision.outcome, 'evaluated', decision.reason, SYSTEM_RULES);
    this.email('decided', this.partner());
    if (decision.outcome === 'pending_review') this.email('reviewAssigned', this.reviewers());
  }

  /**
   * An imported registration takes the decision it had in the other PRM. An open one (approved, in
   * review) lives on under the rules of this policy version; its reviewers hear of a pending review.
   */
  async decideMigrated(migrated: MigratedRegistration, outcome: 'approved' | 'pending_review'): Promise<void> {
    const reason = `imported from ${migrated.source} (${migrated.externalId}), where it was ${migrated.status.replace('_', ' ')}`;
    this.view.decision = {
      outcome,
      reason,
      ruleIds: ['MIGRATED'],
      decidedBy: SYSTEM_IMPORT,
      decidedAt: migrated.decidedAt ?? nowIso(),
    };
    if (outcome === 'pending_review') this.startReview(this.firstReviewRole());
    if (outcome === 'approved') this.startProtection(migrated);
    await this.transition(outcome, 'migrated', reason, SYSTEM_IMPORT);
    if (outcome === 'pending_review') this.email('reviewAssigned', this.reviewers());
  }

  /** An imported registration that had ended there is recorded as it ended: no claim, no timer. */
  async endMigrated(migrated: MigratedRegistration): Promise<void> {
    const status = migrated.status as 'rejected' | 'won' | 'lost' | 'expired' | 'withdrawn';
    const reason = `imported from ${migrated.source} (${migrated.externalId}), where it was ${status}`;
    this.view.decision = {
      outcome: status === 'rejected' ? 'rejected' : 'approved',
      reason,
      ruleIds: ['MIGRATED'],
      decidedBy: SYSTEM_IMPORT,
      decidedAt: migrated.decidedAt ?? this.view.submittedAt,
    };
    if (status === 'won' || status === 'lost') {
      const closedOn = migrated.closedOn ?? nowIso().slice(0, 10);
      this.view.closure = {
        outcome: status,
        ...(status === 'won' ? { amount: migrated.wonAmount ?? this.view.opportunity.amount } : {}),
        closedOn,
        closedAt: `${closedOn}T00:00:00.000Z`,
      };
    }
    await this.transition(status, 'migrated', reason, SYSTEM_IMPORT);
  }

  async decideByManager(outcome: 'approved' | 'rejected', reason: string, by: string): Promise<void> {
    this.view.decision = { outcome, reason, ruleIds: ['MANAGER-DECISION'], decidedBy: by, decidedAt: nowIso() };
    if (outcome === 'approved') this.startProtection();
    await this.transition(outcome, outcome === 'approved' ? 'approved' : 'rejected', reason, by);
    this.email('decided', this.partner());
  }

  async remindReviewer(): Promise<void> {
    this.review!.reminded = true;
    await this.note('review_reminder', `due ${this.view.review?.dueAt}`, SYSTEM_SLA);
    this.email('reviewReminder', this.reviewers());
  }

  /** The SLA passed: the next role up the ladder reviews, with a fresh SLA. */
  async escalateReview(next: EscalationRole): Promise<void> {
    const breached = this.reviewers();
    const from = this.review!.role;
    if (next === from && patched(PATCH_BREACH_ONCE_AT_TOP)) return this.breachAtTop();
    this.startReview(next);
    this.view.review!.breaches += 1;
    const detail =
      next === from
        ? `SLA breached; stays with the ${from} (top of the ladder)`
        : `SLA breached; escalated from ${from} to ${next}`;
    await this.transition('pending_review', 'review_escalated', detail, SYSTEM_SLA);
    this.email('reviewBreached', breached, detail);
    this.email('reviewAssigned', this.reviewers(), detail);
  }

  /**
   * At the top of the ladder there is no one to escalate to: the breach is recorded and told once,
   * the review stays overdue (visible by its past due time) until someone decides.
   */
  private async breachAtTop(): Promise<void> {
    this.review!.breachedAtTop = true;
    this.view.review!.breaches += 1;
    const detail = `SLA breached at the top of the ladder; the ${this.review!.role} still decides, now overdue`;
    await this.transition('pending_review', 'review_overdue', detail, SYSTEM_SLA);
    this.email('reviewBreached', this.reviewers(), detail);
  }

  /** The SLA passed and the policy decides by default. */
  async applyBreachDefault(onBreach: 'approve' | 'reject'): Promise<void> {
    const outcome = onBreach === 'approve' ? 'approved' : 'rejected';
    const reason = `The review was not decided within the SLA; policy version ${this.view.policyVersion} ${onBreach}s by default.`;
    this.view.review!.breaches += 1;
    this.view.decision = { outcome, reason, ruleIds: ['REVIEW-SLA'], decidedBy: SYSTEM_SLA, decidedAt: nowIso() };
    if (outcome === 'approved') this.startProtection();
    await this.transition(outcome, `sla_default_${outcome}`, reason, SYSTEM_SLA);
    this.email('reviewBreached', this.reviewers(), reason);
    this.email('decided', this.partner());
  }

  async remindExpiry(offset: string): Promise<void> {
    this.remindersSent.add(`${offset}@${this.view.expiresAt}`);
    await this.note('expiry_reminder', `${offset} before expiry at ${this.view.expiresAt}`, SYSTEM_TIMER);
    this.email('expiryReminder', this.partner(), `${offset} before it ends`);
  }

  async remindStale(staleMs: number): Promise<void> {
    const lastActivity = Date.parse(this.view.lastPartnerUpdateAt ?? this.view.decision!.decidedAt);
    this.remindersSent.add(`stale@${lastActivity}`);
    const releaseAt = new Date(lastActivity + 2 * staleMs).toISOString();
    await this.note(
      'stale_reminder',
      `no update since ${new Date(lastActivity).toISOString()}; released at ${releaseAt}`,
      SYSTEM_TIMER,
    );
    this.email('staleReminder', this.partner(), `at ${releaseAt}`);
  }

  async expire(reason: string, by: 'expired' | 'stale'): Promise<void> {
    this.expiredBy = by;
    await this.transition('expired', by === 'stale' ? 'stale_released' : 'expired', reason, SYSTEM_TIMER);
    this.email('expired', this.partner(), reason);
  }

  /** What the conflict case decided for this registration; a repeated notice changes nothing. */
  async applyConflictOutcome(outcome: ConflictOutcome): Promise<void> {
    const key = `${outcome.conflictId}#${outcome.caseSeq}#${outcome.outcome}`;
    if (this.conflictNotices.has(key)) return;
    this.conflictNotices.add(key);
    this.view.conflictId = outcome.conflictId;
    if (outcome.outcome === 'opened') {
      return this.note(
        'conflict_opened',
        `conflict case ${outcome.conflictId} is open on this account and product line`,
        SYSTEM_CONFLICT,
      );
    }
    if (outcome.outcome === 'reopened') {
      if (this.view.status !== 'rejected') return this.note('conflict_reopened', outcome.reason, SYSTEM_CONFLICT);
      this.appealUntil = undefined;
      // Without it the view said `in_conflict` beside the case's earlier decision `rejected`.
      if (patched(PATCH_REOPENED_DECISION)) {
        this.view.decision = {
          outcome: 'in_conflict',
          reason: outcome.reason,
          ruleIds: outcome.ruleIds,
          decidedBy: outcome.decidedBy,
          decidedAt: nowIso(),
        };
      }
      return this.transition('in_conflict', 'conflict_reopened', outcome.reason, SYSTEM_CONFLICT);
    }
    const approved = outcome.outcome === 'approved';
    this.view.decision = {
      outcome: outcome.outcome,
      reason: outcome.reason,
      ruleIds: outcome.ruleIds,
      decidedBy: outcome.decidedBy,
      decidedAt: nowIso(),
    };
    // An award starts a fresh validity period, counted from the award.
    if (approved) this.startProtection();
    this.appealUntil = approved ? undefined : Date.parse(outcome.appealUntil!);
    await this.transition(
      outcome.outcome,
      approved ? 'conflict_awarded' : 'conflict_lost',
      outcome.reason,
      outcome.decidedBy,
    );
    this.email('decided', this.partner());
  }

  releaseReason(): ReleaseRequest['reason'] {
    const status = this.view.status;
    if (status === 'expired') return this.expiredBy;
    return status === 'won' || status === 'lost' || status === 'withdrawn' || status === 'rejected'
      ? status
      : 'withdrawn';
  }

  private startReview(role: EscalationRole): void {
    const review = this.input.policy.document.registration.review;
    const now = Date.now();
    const dueAt = deadlineAfter(now, review.sla, this.input.policy.document.calendar, review.clock);
    this.review = { role, assignedAt: now, dueAt, reminded: false };
    this.view.review = {
      assigneeRole: role,
      dueAt: new Date(dueAt).toISOString(),
      breaches: this.view.review?.breaches ?? 0,
    };
  }

  private startProtection(migrated?: MigratedRegistration): void {
    const now = Date.now();
    const validity = durationToMillis(parseDuration(this.input.policy.document.registration.validity)!);
    this.protectedSince = now;
    // An imported approval keeps the protection it had: to its end there, or validity from its decision.
    const from = migrated?.decidedAt ? Date.parse(migrated.decidedAt) : now;
    this.view.expiresAt = migrated?.expiresAt ?? new Date(from + validity).toISOString();
  }

  private syncReview(): void {
    if (this.review && this.view.review) this.view.review.dueAt = new Date(this.review.dueAt).toISOString();
  }

  private dueAt(): number | null {
    if (this.view.status === 'pending_review') return this.review!.dueAt;
    if (this.view.status === 'approved' && this.view.expiresAt) return Date.parse(this.view.expiresAt);
    return null;
  }

  private firstReviewRole(): EscalationRole {
    return this.input.policy.document.conflicts.escalation[0].role;
  }

  private decisionOf(decision: Decision) {
    return { outcome: decision.outcome, reason: decision.reason, ruleIds: decision.ruleIds, decidedAt: nowIso() };
  }

  private partner(): Recipients {
    return { partnerId: this.input.partner.id };
  }

  private reviewers(): Recipients {
    return { role: this.review!.role, region: this.input.account.region };
  }
}

const nowIso = () => new Date(Date.now()).toISOString();
