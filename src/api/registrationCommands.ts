import { createHash, randomBytes } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Principal } from '../domain/principal';
import type { Store } from '../store';
import { firstDecisionUpdate, registration, registrationStatusQuery } from '../../workflows/registration';
import {
  registrationWorkflowId,
  type Actor,
  type RegistrationInput,
  type RegistrationView,
} from '../../workflows/registrationTypes';
import { Problem, conflict, notFound } from './problem';

/** How long POST /api/registrations waits for the first evaluation before answering as is. */
const FIRST_DECISION_WAIT_MS = 10_000;

/** The id of a new registration: derived from the Idempotency-Key, so a repeat names the same one. */
export function registrationIdFor(partnerId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `reg-${randomBytes(8).toString('hex')}`;
  return `reg-${createHash('sha256').update(`${partnerId}\n${idempotencyKey}`).digest('hex').slice(0, 16)}`;
}

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
  const handleOf = (id: string): WorkflowHandle<typeof registration> =>
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

  return {
    current,

    /** Starts the registration (idempotently) and waits for its first decision. */
    async submit(input: RegistrationInput): Promise<RegistrationView> {
      const startWorkflowOperation = new WithStartWorkflowOperation(registration, {
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
        if (view) return view;
        update.catch(() => undefined);
      } catch (error) {
        const existing = await store.registrations.get(input.registrationId);
        if (existing) return existing;
        throw error;
      }
      const view = await current(input.registrationId);
      if (!view)
        throw new Problem(503, 'not-ready', 'the registration was accepted but is not visible yet; retry the GET');
      return view;
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
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      // The registration's status must not overwrite the problem's own `status` (the HTTP code).
      const { status, ...details } = (cause.details?.[0] ?? {}) as Record<string, unknown>;
      if (cause.type === 'NotAllowed') return new Problem(403, 'forbidden', cause.message);
      return conflict(cause.message, { ...details, ...(status === undefined ? {} : { registrationStatus: status }) });
    }
    if (error instanceof WorkflowNotFoundError || isCompletedError(error)) {
      const view = await store.registrations.get(id);
      return conflict(`registration ${id} is ${view?.status ?? 'closed'}; nothing can change it any more`, {
        registrationStatus: view?.status,
      });
    }
    return error;
  }
}

function isCompletedError(error: unknown): boolean {
  return error instanceof Error && /already completed|workflow execution already finished/i.test(error.message);
}
