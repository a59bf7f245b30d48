import type { Store } from '../../src/store';
import type { RegistrationView } from '../../workflows/registration/contract';
import { recordingOf, type Transition } from '../shared/transitions';

export type RegistrationTransition = Transition<RegistrationView>;

const recordRegistration = recordingOf<RegistrationView>({
  subject: 'registration',
  save: (store, view, seq) => store.registrations.save(view, seq),
  at: (view) => view.timeline[view.timeline.length - 1]?.at ?? view.submittedAt,
});

export function registrationTransitionActivities(deps: { store: Store }) {
  return {
    /** The read model and one audit event per transition; both idempotent under retries. */
    async recordRegistrationTransition(transition: RegistrationTransition): Promise<void> {
      await recordRegistration(deps.store, transition);
    },
  };
}
