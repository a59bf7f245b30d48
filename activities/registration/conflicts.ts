import type { Client } from '@temporalio/client';
import type { Store } from '../../src/store';
import type { ClaimHolder } from '../../workflows/accountClaims/contract';
import {
  addPartySignal,
  CONFLICT_WORKFLOW_TYPE,
  conflictWorkflowId,
  partyLeftSignal,
  type ConflictInput,
  type ConflictParty,
  type ConflictWorkflow,
} from '../../workflows/conflict/contract';
import { isClosedWorkflow } from '../shared/closedWorkflow';

// A registration's side of a conflict: it opens or joins the case of its collision (signal-with-start,
// which a workflow cannot send). Registrations started before patch leaving-signalled-by-workflow
// still tell the case here when they leave; newer ones signal it themselves.

export interface OpenConflictRequest {
  conflictId: string;
  accountKey: string;
  productLine: string;
  region: string;
  policy: ConflictInput['policy'];
  holder: ClaimHolder;
  newcomer: { registrationId: string; partnerId: string; submittedAt: string };
}

export function registrationConflictActivities(deps: { store: Store; temporal: Client; taskQueue: string }) {
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
      await deps.temporal.workflow.signalWithStart<ConflictWorkflow, [ConflictParty]>(CONFLICT_WORKFLOW_TYPE, {
        workflowId: conflictWorkflowId(request.conflictId),
        taskQueue: deps.taskQueue,
        args: [input],
        signal: addPartySignal,
        signalArgs: [newcomer],
      });
    },

    /** Before patch leaving-signalled-by-workflow: a party left while the case was open (running registrations still call it). */
    async leaveConflict(conflictId: string, registrationId: string): Promise<void> {
      try {
        await deps.temporal.workflow.getHandle(conflictWorkflowId(conflictId)).signal(partyLeftSignal, registrationId);
      } catch (error) {
        // A case that has ended has nothing to update.
        if (!isClosedWorkflow(error)) throw error;
      }
    },
  };
}
