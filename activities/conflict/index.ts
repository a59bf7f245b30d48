import type { Client } from '@temporalio/client';
import type { EscalationRole } from '../../src/domain/directory';
import type { Mailer } from '../../src/notify/mailer';
import { CONFLICT_EMAILS, type ConflictEmailName } from '../../src/notify/conflictEmails';
import type { ManagerMailer } from '../managerDigest';
import type { Store } from '../../src/store';
import { conflictViewForParty } from '../../src/domain/conflictRedaction';
import {
  accountClaimsWorkflowId,
  reopenCaseUpdate,
  settleUpdate,
  type SettleRequest,
} from '../../workflows/accountClaims/contract';
import type { ConflictOutcome, ConflictParty, ConflictView } from '../../workflows/conflict/contract';
import { conflictNoticeUpdate, registrationWorkflowId } from '../../workflows/registration/contract';
import { isClosedWorkflow } from '../shared/closedWorkflow';
import { recordingOf, type Transition } from '../shared/transitions';
import { untilCancelled } from '../shared/cancellable';

// The conflict case's activities: its read model and emails, and the updates that carry its decision
// to the registrations and the account's claims (updates, which a workflow cannot send).

export type ConflictTransition = Transition<ConflictView>;

const recordConflict = recordingOf<ConflictView>({
  subject: 'conflict',
  save: (store, view, seq) => store.conflicts.save(view, seq),
  at: (view) => view.history[view.history.length - 1]?.at ?? view.openedAt,
});

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
  toManagers: ManagerMailer;
}) {
  return {
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
        await untilCancelled(deps.temporal, () => handle.executeUpdate(conflictNoticeUpdate, { args: [outcome] }));
        return 'applied';
      } catch (error) {
        if (isClosedWorkflow(error)) return 'registration_closed';
        throw error;
      }
    },

    /** Moves the account's claim to the case's winner, atomically in the account's own workflow. */
    async settleAccountClaim(accountKey: string, request: SettleRequest): Promise<void> {
      const handle = deps.temporal.workflow.getHandle(accountClaimsWorkflowId(accountKey));
      await untilCancelled(deps.temporal, () => handle.executeUpdate(settleUpdate, { args: [request] }));
    },

    async reopenAccountClaimCase(accountKey: string, productLine: string, conflictId: string): Promise<void> {
      const handle = deps.temporal.workflow.getHandle(accountClaimsWorkflowId(accountKey));
      await untilCancelled(deps.temporal, () =>
        handle.executeUpdate(reopenCaseUpdate, { args: [{ productLine, conflictId }] }),
      );
    },

    async recordConflictTransition(transition: ConflictTransition): Promise<void> {
      await recordConflict(deps.store, transition);
    },

    async sendConflictEmail(email: ConflictEmail): Promise<string> {
      const to =
        'emails' in email.to
          ? email.to.emails
          : 'partnerId' in email.to
            ? ((await deps.store.directory.getPartner(email.to.partnerId))?.contacts.map((c) => c.email) ?? [])
            : (await deps.store.directory.peopleWithRole(email.to.role, email.to.region)).map((p) => p.email);
      if (to.length === 0) return 'no recipients in the directory';
      const party = email.party;
      const view = party ? conflictViewForParty(email.view, (p) => isSameParty(p, party)) : email.view;
      const rendered = CONFLICT_EMAILS[email.template]({
        view,
        party: email.party,
        publicUrl: deps.publicUrl,
        note: email.note,
      });
      if ('role' in email.to) {
        const link = `${deps.publicUrl}/api/conflicts/${encodeURIComponent(email.view.id)}`;
        return deps.toManagers({ key: email.key, to, ...rendered, link });
      }
      return (await deps.mailer.send({ key: email.key, to, ...rendered })).messageId;
    },
  };
}

/** The party an email is for: the same claim (a partner's registration, or the direct team). */
function isSameParty(candidate: ConflictParty, party: ConflictParty): boolean {
  return candidate.kind === party.kind && candidate.registrationId === party.registrationId;
}

export type ConflictActivities = ReturnType<typeof conflictActivities>;
