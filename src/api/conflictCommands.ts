import type { Client, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Principal } from '../domain/principal';
import type { Store } from '../store';
import { conflictStatusQuery, type ConflictWorkflow } from '../../workflows/conflict/contract';
import { conflictWorkflowId, type ConflictView } from '../../workflows/conflict/contract';
import { conflictViewForParty, isPartyTo, type VisibleConflictView } from '../domain/conflictRedaction';

export {
  ANOTHER_PARTY,
  YOUR_REGISTRATION,
  type HiddenParty,
  type VisibleConflictView,
} from '../domain/conflictRedaction';
import { recordedOrLive } from './freshView';
import { conflict, notFound } from './problem';
import { problemOfRefusal } from './refusals';

/** The case if the caller may see it (a partner only as a party), redacted for them; else 404. */
export function visibleConflict(principal: Principal, view: ConflictView | undefined, id: string): VisibleConflictView {
  if (!view || (principal.role === 'partner' && !isPartyTo(principal.partnerId, view))) {
    throw notFound(`conflict ${id}`);
  }
  return conflictViewFor(principal, view);
}

/** What a caller may see of a case: managers, ops and admins see it whole, a partner its redaction. */
export function conflictViewFor(principal: Principal, view: ConflictView): VisibleConflictView {
  if (principal.role !== 'partner') return view;
  const partnerId = principal.partnerId;
  return conflictViewForParty(view, (p) => p.kind === 'partner' && p.partnerId === partnerId);
}

export function conflictCommands(temporal: Client, store: Store) {
  const handleOf = (id: string): WorkflowHandle<ConflictWorkflow> =>
    temporal.workflow.getHandle(conflictWorkflowId(id));

  return {
    /**
     * The recorded view: every transition of a case writes the read model before a step on it
     * answers; the case's own status query only until its first transition is recorded.
     */
    current(id: string): Promise<ConflictView | undefined> {
      return recordedOrLive(
        () => store.conflicts.get(id),
        () => handleOf(id).query(conflictStatusQuery),
      );
    },

    /** Runs a human step on the case; business refusals become 409, 403 or 400 problems. */
    async act<Args extends [unknown, ...unknown[]]>(
      principal: Principal,
      id: string,
      update: UpdateDefinition<ConflictView, Args>,
      args: Args,
    ): Promise<ConflictView> {
      try {
        return await handleOf(id).executeUpdate(update, { args });
      } catch (error) {
        throw await refusalOf(principal, error, id);
      }
    },
  };

  async function refusalOf(principal: Principal, error: unknown, id: string): Promise<unknown> {
    return problemOfRefusal(error, {
      details: (details) => refusalDetails(principal, details),
      ended: async () => {
        const view = await store.conflicts.get(id);
        // A decided case ends when its appeal window closes: a step on it now is too late.
        return conflict(
          `conflict ${id} is ${view?.status ?? 'closed'} and its appeal window has closed; nothing can change it any more`,
          { conflictStatus: view?.status, ...(view?.resolution ? { ruleId: 'APPEAL-WINDOW' } : {}) },
        );
      },
    });
  }
}

/** The refusal's details (`ruleId`…); a partner gets only the rule and the case's status. */
function refusalDetails(principal: Principal, details: Record<string, unknown>): Record<string, unknown> {
  if (principal.role !== 'partner') return details;
  return Object.fromEntries(Object.entries(details).filter(([key]) => key === 'ruleId' || key === 'conflictStatus'));
}
