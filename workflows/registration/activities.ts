import type { RegistrationActivities } from '../../activities/registration';
import { EMAIL_BESIDE, proxiedBy, WAITED_OUT } from '../shared/activityOptions';

/** The registration's activities and how each runs: the process's one table of them. */
export const registrationSteps = proxiedBy<RegistrationActivities>({
  recordRegistrationTransition: WAITED_OUT,
  sendRegistrationEmail: EMAIL_BESIDE,
  // Only the cluster (claims, cases): a refusal of theirs is an answer, not a failure.
  claimAccount: WAITED_OUT,
  releaseAccountClaim: WAITED_OUT,
  openOrJoinConflict: WAITED_OUT,
  leaveConflict: WAITED_OUT,
});
