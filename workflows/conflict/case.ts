import { patched } from '@temporalio/workflow';
import { conflictSteps } from './activities';
import type { ConflictEmailName } from '../../src/notify/conflictEmails';
import type { EscalationRole } from '../../src/domain/directory';
import { deadlineAfter } from '../../src/domain/calendar';
import { withoutOtherParties } from '../../src/domain/redaction';
import { durationToMillis, parseDuration } from '../../src/domain/duration';
import type { ClaimHolder } from '../accountClaims/contract';
import { setProcessSearchAttributes } from '../shared/searchAttributes';
import { recordedUnlessRefused } from '../shared/storeRefusal';
import {
  conflictWorkflowId,
  type ConflictInput,
  type ConflictOutcome,
  type ConflictParty,
  type ConflictStatus,
  type ConflictView,
} from './contract';

const { recordConflictTransition, applyConflictOutcome, sendConflictEmail } = conflictSteps;

const SYSTEM_LADDER = 'system:ladder';
/** A registration that had ended before the case told it it was a party leaves the case then. */
const PATCH_ENDED_PARTY_LEAVES = 'ended-party-leaves-when-told';

/**
 * The state of one conflict case and every way it changes. History details never name a party:
 * partners read the case, and must not learn who the competitor is.
 */
export class ConflictCase {
  readonly view: ConflictView;
  seq = 0;
  private readonly pendingEmails: Promise<unknown>[] = [];
  private recording: Promise<unknown> = Promise.resolve();

  constructor(readonly input: ConflictInput) {
    const first = input.policy.conflicts.escalation[0];
    this.view = {
      id: input.conflictId,
      workflowId: conflictWorkflowId(input.conflictId),
      domain: input.accountKey,
      productLine: input.productLine,
      region: input.region,
      status: 'open',
      tier: 1,
      assigneeRole: first.role,
      policyVersion: input.policy.version,
      openedAt: input.openedAt,
      parties: [],
      breaches: [],
      appeals: [],
      history: [],
    };
    for (const party of input.parties) this.addPartyQuietly(party);
  }

  async open(): Promise<void> {
    this.view.dueAt = this.dueAfter(this.tierSla(1));
    await this.transition(
      'open',
      'opened',
      `a conflict case opened with ${this.view.parties.length} claims`,
      SYSTEM_LADDER,
    );
    for (const party of this.view.parties) await this.tellOpened(party);
    this.emailParties('opened');
    this.emailAssignees('assigned');
  }

  async addParty(party: ConflictParty): Promise<void> {
    if (!this.addPartyQuietly(party)) return;
    await this.transition(this.view.status, 'party_joined', 'another claim joined the case', SYSTEM_LADDER);
    await this.tellOpened(party);
    if (this.view.parties.includes(party)) this.emailParty(party, 'opened');
  }

  /** The registration left the case; its claim no longer counts. */
  async partyLeft(registrationId: string): Promise<void> {
    if (this.view.status !== 'open' || !this.view.parties.some((p) => p.registrationId === registrationId)) return;
    this.view.parties = this.view.parties.filter((p) => p.registrationId !== registrationId);
    await this.transition('open', 'party_left', 'a claim left the case (withdrawn or closed)', SYSTEM_LADDER);
  }

  /** One claim left and no direct team: nothing to decide any more. */
  uncontested(): boolean {
    return this.view.parties.length <= 1;
  }

  /** The award when the case became uncontested: the one remaining claim, or nobody. */
  remainingAward(): string {
    const remaining = this.view.parties[0];
    if (!remaining) return 'none';
    return remaining.kind === 'direct' ? 'direct' : remaining.registrationId!;
  }

  isLastTier(): boolean {
    return this.view.tier >= this.input.policy.conflicts.escalation.length;
  }

  async escalate(): Promise<void> {
    const breached = { tier: this.view.tier, role: this.view.assigneeRole, at: nowIso() };
    this.view.breaches.push(breached);
    this.moveToTier(this.view.tier + 1);
    const detail = `tier ${breached.tier} (${breached.role}) missed its deadline; escalated to ${this.view.assigneeRole}`;
    await this.transition('open', 'escalated', detail, SYSTEM_LADDER);
    this.emailAssignees('assigned', detail);
    this.emailParties('escalated', detail);
  }

  /** The award of the policy's `onFinalBreach` when the last tier's deadline passes. */
  defaultAward(): string {
    const rule = this.input.policy.conflicts.onFinalBreach;
    if (rule === 'direct') return 'direct';
    if (rule === 'reject_all') return 'none';
    const first = firstToRegister(this.view.parties);
    return first.kind === 'direct' ? 'direct' : first.registrationId!;
  }

  /** `decision` undefined: the policy's default decided after the last tier. */
  async resolve(award: string, decision: { reason: string; by: string } | undefined): Promise<void> {
    const rule = this.input.policy.conflicts.onFinalBreach;
    if (!decision) {
      this.view.breaches.push({ tier: this.view.tier, role: this.view.assigneeRole, at: nowIso() });
    }
    this.view.resolution = decision
      ? { award, reason: decision.reason, decidedBy: decision.by, decidedAt: nowIso(), by: 'manager' }
      : {
          award,
          reason: `No tier decided before the last deadline; policy version ${this.view.policyVersion} applies ${rule.replace(/_/g, ' ')} (earliest claim first; ties: the claim holder, then the lowest registration id).`,
          decidedBy: 'system:default',
          decidedAt: nowIso(),
          by: 'default',
          ruleId: `ON-FINAL-BREACH:${rule}`,
        };
    this.view.dueAt = undefined;
    const status: ConflictStatus = decision ? 'resolved' : 'defaulted';
    await this.transition(status, status, `${status}: ${describeAward(award)}`, decision?.by ?? 'system:default');
    this.emailParties('decided');
    this.emailAssignees('decided');
  }

  /** What each partner registration of the case becomes under the resolution. */
  outcomes(): { registrationId: string; outcome: ConflictOutcome }[] {
    const resolution = this.view.resolution!;
    const appealUntil = new Date(Date.parse(resolution.decidedAt) + this.appealWindowMs()).toISOString();
    return this.partnerParties().map((party) => {
      const won = resolution.award === party.registrationId || resolution.award === 'co_sell';
      const ruleIds = [resolution.ruleId ?? 'CONFLICT-RESOLUTION'];
      const said = withoutOtherParties(resolution.reason, this.othersThan(party));
      const reason = won
        ? `Conflict case ${this.view.id} was decided in your favour${resolution.award === 'co_sell' ? ' as a co-sell' : ''}: ${said}`
        : `Conflict case ${this.view.id} was decided against your registration (${describeAward(resolution.award, party)}): ${said}`;
      return {
        registrationId: party.registrationId!,
        outcome: {
          conflictId: this.view.id,
          caseSeq: this.seq,
          outcome: won ? 'approved' : 'rejected',
          coSell: resolution.award === 'co_sell',
          reason,
          ruleIds,
          decidedBy: resolution.decidedBy,
          ...(won ? {} : { appealUntil }),
        },
      };
    });
  }

  /** The claim on the account after the resolution: the winner, the direct team, or nobody. */
  awardedHolder(): ClaimHolder | undefined {
    const award = this.view.resolution!.award;
    if (award === 'none') return undefined;
    if (award === 'direct') return { kind: 'direct', claimedAt: nowIso() };
    const party =
      award === 'co_sell'
        ? (this.view.parties.find((p) => p.holder && p.kind === 'partner') ?? firstToRegister(this.partnerParties()))
        : this.view.parties.find((p) => p.registrationId === award)!;
    return {
      kind: 'partner',
      registrationId: party.registrationId,
      partnerId: party.partnerId,
      claimedAt: party.submittedAt,
    };
  }

  lost(partnerId: string): boolean {
    const resolution = this.view.resolution;
    if (!resolution) return false;
    return this.partnerParties().some(
      (p) => p.partnerId === partnerId && resolution.award !== p.registrationId && resolution.award !== 'co_sell',
    );
  }

  /** One tier up from where it was decided; the appellant's registration is in conflict again. */
  async reopenOnAppeal(partnerId: string, reason: string): Promise<void> {
    this.view.appeals.push({ partnerId, at: nowIso(), reason });
    const decidedAt = this.view.tier;
    this.view.resolution = undefined;
    this.moveToTier(Math.min(decidedAt + 1, this.input.policy.conflicts.escalation.length));
    await this.transition(
      'open',
      'appealed',
      `a losing party appealed; reopened at tier ${this.view.tier} (${this.view.assigneeRole})`,
      `partner:${partnerId}`,
    );
    this.emailAssignees('assigned', 'reopened on appeal');
    this.emailParties('appealed');
  }

  /** Registrations rejected by the reopened decision are in conflict again until the new one. */
  reopenedOutcomes(): { registrationId: string; outcome: ConflictOutcome }[] {
    return this.partnerParties().map((party) => ({
      registrationId: party.registrationId!,
      outcome: {
        conflictId: this.view.id,
        caseSeq: this.seq,
        outcome: 'reopened',
        coSell: false,
        reason: 'the case was reopened on appeal',
        ruleIds: ['CONFLICT-APPEAL'],
        decidedBy: 'system:appeal',
      },
    }));
  }

  async note(event: string, detail: string, actor: string): Promise<void> {
    await this.transition(this.view.status, event, detail, actor);
  }

  async emailsSent(): Promise<void> {
    await Promise.allSettled(this.pendingEmails);
  }

  private async transition(status: ConflictStatus, event: string, detail: string, actor: string): Promise<void> {
    this.view.status = status;
    this.view.history.push({ at: nowIso(), event, detail });
    const seq = ++this.seq;
    setProcessSearchAttributes({
      accountKey: this.input.accountKey,
      policyVersion: this.input.policy.version,
      status,
      assigneeRole: status === 'open' ? this.view.assigneeRole : null,
      dueAt: this.view.dueAt ? Date.parse(this.view.dueAt) : null,
    });
    // One at a time: a signal's transition and the ladder's may overlap, the audit trail must not.
    const view = snapshotOf(this.view);
    const recorded = this.recording.then(() =>
      recordConflictTransition({ view, seq, actor, action: `conflict.${event}`, detail: { status, detail } }),
    );
    this.recording = recorded.catch(() => undefined);
    await recordedUnlessRefused(recorded, { workflowId: this.view.workflowId, seq, action: `conflict.${event}` });
  }

  /**
   * Tells a partner's registration it is part of the case. One that has ended by then (withdrawn
   * between its claim and the case opening) will never say it leaves: it leaves now.
   */
  private async tellOpened(party: ConflictParty): Promise<void> {
    if (party.kind !== 'partner' || !party.registrationId) return;
    const answer = await applyConflictOutcome(party.registrationId, {
      conflictId: this.view.id,
      caseSeq: this.seq,
      outcome: 'opened',
      coSell: false,
      reason: `A conflict case (${this.view.id}) is open on this account and product line.`,
      ruleIds: ['CONFLICT-CASE'],
      decidedBy: SYSTEM_LADDER,
    });
    if (answer === 'registration_closed' && patched(PATCH_ENDED_PARTY_LEAVES))
      await this.partyLeft(party.registrationId);
  }

  private addPartyQuietly(party: ConflictParty): boolean {
    const known = this.view.parties.some(
      (p) => p.kind === party.kind && (party.kind === 'direct' || p.registrationId === party.registrationId),
    );
    if (!known) this.view.parties.push(party);
    return !known;
  }

  private moveToTier(tier: number): void {
    this.view.tier = tier;
    this.view.assigneeRole = this.input.policy.conflicts.escalation[tier - 1].role as EscalationRole;
    this.view.dueAt = this.dueAfter(this.tierSla(tier));
  }

  private tierSla(tier: number): string {
    return this.input.policy.conflicts.escalation[tier - 1].sla;
  }

  private dueAfter(sla: string): string {
    const { calendar, conflicts } = this.input.policy;
    return new Date(deadlineAfter(Date.now(), sla, calendar, conflicts.clock)).toISOString();
  }

  private appealWindowMs(): number {
    return durationToMillis(parseDuration(this.input.policy.conflicts.appealWindow)!);
  }

  private othersThan(party: ConflictParty): ConflictParty[] {
    return this.view.parties.filter((p) => p !== party && p.kind === 'partner');
  }

  private partnerParties(): ConflictParty[] {
    return this.view.parties.filter((p) => p.kind === 'partner' && p.registrationId);
  }

  private emailParties(template: ConflictEmailName, note?: string): void {
    for (const party of this.view.parties) this.emailParty(party, template, note);
  }

  private emailParty(party: ConflictParty, template: ConflictEmailName, note?: string): void {
    const to =
      party.kind === 'partner'
        ? { partnerId: party.partnerId! }
        : this.input.directOwner
          ? { emails: [this.input.directOwner.email] }
          : undefined;
    if (!to) return;
    const who = party.kind === 'partner' ? party.partnerId! : 'direct';
    this.send(`${template}:${who}`, template, to, party, note);
  }

  private emailAssignees(template: ConflictEmailName, note?: string): void {
    this.send(
      `${template}:${this.view.assigneeRole}`,
      template,
      { role: this.view.assigneeRole, region: this.view.region },
      undefined,
      note,
    );
  }

  private send(
    purpose: string,
    template: ConflictEmailName,
    to: { partnerId: string } | { role: EscalationRole; region: string } | { emails: string[] },
    party: ConflictParty | undefined,
    note: string | undefined,
  ): void {
    const key = `${this.view.workflowId}/${purpose}#${this.seq}`;
    this.pendingEmails.push(sendConflictEmail({ key, template, to, view: this.view, party, note }));
  }
}

/** Earliest claim first; ties: the claim holder, then the lowest registration id (stable, stated). */
export function firstToRegister(parties: ConflictParty[]): ConflictParty {
  return [...parties].sort(
    (a, b) =>
      Date.parse(a.submittedAt) - Date.parse(b.submittedAt) ||
      Number(b.holder) - Number(a.holder) ||
      (a.registrationId ?? '').localeCompare(b.registrationId ?? ''),
  )[0];
}

function describeAward(award: string, party?: ConflictParty): string {
  if (award === 'direct') return 'awarded to the direct team';
  if (award === 'co_sell') return 'co-sell between the parties';
  if (award === 'none') return 'no party is awarded the account';
  return party ? 'awarded to another party' : 'awarded to one party';
}

const nowIso = () => new Date(Date.now()).toISOString();

/** The view as it is now: a later transition must not change what an earlier record writes. */
const snapshotOf = (view: ConflictView): ConflictView => JSON.parse(JSON.stringify(view)) as ConflictView;
