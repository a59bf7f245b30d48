import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { EscalationRole } from '../src/domain/directory';
import type { Mailer } from '../src/notify/mailer';
import { CONFLICT_EMAILS, type ConflictEmailName } from '../src/notify/conflictEmails';
import type { Store } from '../src/store';
import { withoutOtherParties } from '../src/domain/redaction';
import {
  accountClaimsWorkflowId,
  reopenCaseUpdate,
  settleUpdate,
  type ClaimHolder,
  type SettleRequest,
} from '../workflows/accountClaims';
import { addPartySignal, conflictCase, partyLeftSignal } from '../workflows/conflict';
import {
  conflictWorkflowId,
  type ConflictInput,
  type ConflictOutcome,
  type ConflictParty,
  type ConflictView,
} from '../workflows/conflictTypes';
import { conflictNoticeUpdate } from '../workflows/registration';
import { registrationWorkflowId } from '../workflows/registrationTypes';

export interface ConflictTransition {
  view: ConflictView;
  seq: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface OpenConflictRequest {
  conflictId: string;
  accountKey: string;
  productLine: string;
  region: string;
  policy: ConflictInput['policy'];
  holder: ClaimHolder;
  newcomer: { registrationId: string; partnerId: string; submittedAt: string };
}

export interface ConflictEmail {
  key: string;
  template: ConflictEmailName;
  to: { partnerId: string } | { role: EscalationRole; region: string } | { emails: string[] };
  view: ConflictView;
  party?: ConflictParty;
  note?: string;
}

export function conflictActivities(deps: {
  store: Store;
  mailer: Mailer;
  temporal: Client;
  taskQueue: string;
  publicUrl: string;
}) {
  /** Tier for the fairness figures, name to keep out of what other partners read. */
  const partnerFacts = async (partnerId: string) => {
    const partner = await deps.store.directory.getPartner(partnerId);
    return { partnerId, ...(partner ? { partnerName: partner.name, partnerTier: partner.tier } : {}) };
  };

  return {
    /** Opens the case of a collision, or adds the newcomer to the case already open (signal-with-start). */
    async openOrJoinConflict(request: OpenConflictRequest): Promise<void> {
      const account = await deps.store.directory.getAccount(request.accountKey);
      const holder: ConflictParty = {
        kind: request.holder.kind,
        ...(request.holder.registrationId ? { registrationId: request.holder.registrationId } : {}),
        ...(request.holder.partnerId ? await partnerFacts(request.holder.partnerId) : {}),
        submittedAt: request.holder.claimedAt,
        holder: true,
      };
      const newcomer: ConflictParty = {
        kind: 'partner',
        registrationId: request.newcomer.registrationId,
        ...(await partnerFacts(request.newcomer.partnerId)),
        submittedAt: request.newcomer.submittedAt,
        holder: false,
      };
      const input: ConflictInput = {
        conflictId: request.conflictId,
        accountKey: request.accountKey,
        productLine: request.productLine,
        region: request.region,
        ...(account?.directOwner ? { directOwner: account.directOwner } : {}),
        policy: request.policy,
        parties: [holder, newcomer],
        openedAt: new Date().toISOString(),
      };
      await deps.temporal.workflow.signalWithStart(conflictCase, {
        workflowId: conflictWorkflowId(request.conflictId),
        taskQueue: deps.taskQueue,
        args: [input],
        signal: addPartySignal,
        signalArgs: [newcomer],
      });
    },

    /**
     * Tells a registration what its case decided (a repeat is ignored by the registration). One that
     * has ended meanwhile (withdrawn, closed) is past changing: that is an answer, not a failure.
     */
    async applyConflictOutcome(
      registrationId: string,
      outcome: ConflictOutcome,
    ): Promise<'applied' | 'registration_closed'> {
      const handle = deps.temporal.workflow.getHandle(registrationWorkflowId(registrationId));
      try {
        await handle.executeUpdate(conflictNoticeUpdate, { args: [outcome] });
        return 'applied';
      } catch (error) {
        if (isClosedRegistration(error)) return 'registration_closed';
        throw error;
      }
    },

    /** A party withdrew or closed its registration while the case was open. */
    async leaveConflict(conflictId: string, registrationId: string): Promise<void> {
      try {
        await deps.temporal.workflow.getHandle(conflictWorkflowId(conflictId)).signal(partyLeftSignal, registrationId);
      } catch (error) {
        // A case that has ended has nothing to update.
        if (!isClosedRegistration(error)) throw error;
      }
    },

    /** Moves the account's claim to the case's winner, atomically in the account's own workflow. */
    async settleAccountClaim(accountKey: string, request: SettleRequest): Promise<void> {
      const handle = deps.temporal.workflow.getHandle(accountClaimsWorkflowId(accountKey));
      await handle.executeUpdate(settleUpdate, { args: [request] });
    },

    async reopenAccountClaimCase(accountKey: string, productLine: string, conflictId: string): Promise<void> {
      const handle = deps.temporal.workflow.getHandle(accountClaimsWorkflowId(accountKey));
      await handle.executeUpdate(reopenCaseUpdate, { args: [{ productLine, conflictId }] });
    },

    async recordConflictTransition(transition: ConflictTransition): Promise<void> {
      const { view, seq } = transition;
      await deps.store.conflicts.save(view, seq);
      await deps.store.audit.append(`${view.workflowId}#${seq}`, {
        subject: `conflict:${view.id}`,
        at: view.history[view.history.length - 1]?.at ?? view.openedAt,
        actor: transition.actor,
        action: transition.action,
        detail: transition.detail,
      });
    },

    async sendConflictEmail(email: ConflictEmail): Promise<string> {
      const to =
        'emails' in email.to
          ? email.to.emails
          : 'partnerId' in email.to
            ? ((await deps.store.directory.getPartner(email.to.partnerId))?.contacts.map((c) => c.email) ?? [])
            : (await deps.store.directory.peopleWithRole(email.to.role, email.to.region)).map((p) => p.email);
      if (to.length === 0) return 'no recipients in the directory';
      const view = email.party ? viewForParty(email.view, email.party) : email.view;
      const rendered = CONFLICT_EMAILS[email.template]({
        view,
        party: email.party,
        publicUrl: deps.publicUrl,
        note: email.note,
      });
      return (await deps.mailer.send({ key: email.key, to, ...rendered })).messageId;
    },
  };
}

/** The workflow is gone or past changing: an answer, not a failure to retry. */
function isClosedRegistration(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
    return error.cause.type === 'InvalidState';
  return error instanceof Error && /already completed|workflow execution already finished/i.test(error.message);
}

/** What an email to one party may carry: no other party, and the reason without their names. */
function viewForParty(view: ConflictView, party: ConflictParty): ConflictView {
  const others = view.parties.filter((p) => p.registrationId !== party.registrationId || p.kind !== party.kind);
  return {
    ...view,
    parties: [party],
    ...(view.resolution
      ? { resolution: { ...view.resolution, reason: withoutOtherParties(view.resolution.reason, others) } }
      : {}),
    history: [],
  };
}
