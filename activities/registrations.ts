import type { Store } from '../src/store';
import type { RegistrationView } from '../workflows/registrationTypes';

export interface RegistrationTransition {
  view: RegistrationView;
  /** Increases with every transition of one registration. */
  seq: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export function registrationActivities(deps: { store: Store }) {
  return {
    /** The read model and one audit event per transition; both idempotent under retries. */
    async recordRegistrationTransition(transition: RegistrationTransition): Promise<void> {
      const { view, seq } = transition;
      await deps.store.registrations.save(view, seq);
      await deps.store.audit.append(`${view.workflowId}#${seq}`, {
        subject: `registration:${view.id}`,
        at: view.timeline[view.timeline.length - 1]?.at ?? view.submittedAt,
        actor: transition.actor,
        action: transition.action,
        detail: transition.detail,
      });
    },
  };
}
