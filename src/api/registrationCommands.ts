import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Principal } from '../domain/principal';
import type { Store } from '../store';
import {
  firstDecisionUpdate,
  REGISTRATION_WORKFLOW_TYPE,
  type RegistrationWorkflow,
  registrationStatusQuery,
} from '../../workflows/registration/contract';
import {
  registrationWorkflowId,
  type Actor,
  type RegistrationInput,
  type RegistrationView,
} from '../../workflows/registration/contract';
import { untilRecorded } from './freshView';
import { Problem, conflict, notFound } from './problem';
import { problemOfRefusal } from './refusals';

/** How long POST /api/registrations waits for the first evaluation before answering as is. */
const FIRST_DECISION_WAIT_MS = 10_000;

/**
 * A new registration's id: random, never derived from the partner and its Idempotency-Key (which
 * anyone could compute); a repeated key finds its id in the store (src/api/idempotency.ts).
 */
export const newRegistrationId = (): string => `reg-${randomBytes(8).toString('hex')}`;

export function actorOf(principal: Principal): Actor {
  if (principal.role === 'partner')
    return { role: 'partner', subject: principal.subject, partnerId: principal.partnerId };
  if (principal.role === 'manager') {
    return {
      role: 'manager',
      subject: principal.subject,
      escalationRoles: principal.escalationRoles,
      regions: principal.regions,
    };
  }
  return { role: principal.role, subject: principal.subject };
}

/** What a caller may see of a registration: partners only their own, and never reviewer notes. */
export function viewFor(principal: Principal, view: RegistrationView | undefined, id: string): RegistrationView {
  if (!view || (principal.role === 'partner' && view.partnerId !== principal.partnerId))
    throw notFound(`registration ${id}`);
  if (principal.role !== 'partner') return view;
  const { possibleDuplicates: _reviewerOnly, ...forPartner } = view;
  return { ...forPartner, possibleDuplicates: [] };
}

export function registrationCommands(temporal: Client, taskQueue: string, store: Store) {
  const handleOf = (id: string): WorkflowHandle<RegistrationWorkflow> =>
    temporal.workflow.getHandle(registrationWorkflowId(id));

  /**
   * The latest recorded view. Every transition writes the read model (a human step before it
   * answers), so it trails the workflow by one activity at most; a status query instead replays the
   * whole history once the worker's cache is full (`npm run bench`: GET p50 660 ms at 2,300 registrations).
   */
  async function current(id: string): Promise<RegistrationView | undefined> {
    const recorded = await store.registrations.get(id);
    if (recorded) return recorded;
    try {
      // Not recorded yet (its first transition is still on the way): ask the workflow itself.
      return await handleOf(id).query(registrationStatusQuery);
    } catch {
      return undefined;
    }
  }

  /**
   * The registration as `principal` may see it, else 404. A partner's read is one store query
   * filtered by its partner id and nothing more, so another partner's registration and one that
   * does not exist cost the same work before the same 404 (the workflow fallback of `current` would
   * run for a missing row only). Staff keep that fallback for a registration not recorded yet.
   */
  async function visibleTo(principal: Principal, id: string): Promise<RegistrationView> {
    if (principal.role !== 'partner') return viewFor(principal, await current(id), id);
    return viewFor(principal, await store.registrations.getOwnedBy(id, principal.partnerId), id);
  }

  /**
   * The first decision names the conflict case a moment before the case's workflow has recorded it
   * (it opens the case right after answering): the answer waits for that, so a GET of the case it
   * names is never a 404.
   */
  async function withCaseReadable(view: RegistrationView): Promise<RegistrationView> {
    const conflictId = view.conflictId;
    if (conflictId) await untilRecorded(() => store.conflicts.get(conflictId));
    return view;
  }

  return {
    current,
    visibleTo,

    /** Starts the registration (idempotently) and waits for its first decision. */
    async submit(input: RegistrationInput): Promise<RegistrationView> {
      const startWorkflowOperation = new WithStartWorkflowOperation<RegistrationWorkflow>(REGISTRATION_WORKFLOW_TYPE, {
        workflowId: registrationWorkflowId(input.registrationId),
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A finished registration is never started again under the same id.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      try {
        const update = temporal.workflow.executeUpdateWithStart(firstDecisionUpdate, { startWorkflowOperation });
        const timeout = new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), FIRST_DECISION_WAIT_MS).unref(),
        );
        const view = await Promise.race([update, timeout]);
        if (view) return withCaseReadable(view);
        update.catch(() => undefined);
      } catch (error) {
        const existing = await store.registrations.get(input.registrationId);
        if (existing) return withCaseReadable(existing);
        throw error;
      }
      const view = await current(input.registrationId);
      if (!view)
        throw new Problem(503, 'not-ready', 'the registration was accepted but is not visible yet; retry the GET');
      return withCaseReadable(view);
    },

    /** Runs a human step on the registration; business refusals become 409 (or 403) problems. */
    async act<Args extends [unknown, ...unknown[]]>(
      id: string,
      update: UpdateDefinition<RegistrationView, Args>,
      args: Args,
    ): Promise<RegistrationView> {
      try {
        return await handleOf(id).executeUpdate(update, { args });
      } catch (error) {
        throw await refusalOf(error, id);
      }
    },
  };

  async function refusalOf(error: unknown, id: string): Promise<unknown> {
    return problemOfRefusal(error, {
      // The registration's status must not overwrite the problem's own `status` (the HTTP code).
      details: ({ status, ...details }) => ({
        ...details,
        ...(status === undefined ? {} : { registrationStatus: status }),
      }),
      ended: async () => {
        const view = await store.registrations.get(id);
        return conflict(`registration ${id} is ${view?.status ?? 'closed'}; nothing can change it any more`, {
          registrationStatus: view?.status,
        });
      },
    });
  }
}
