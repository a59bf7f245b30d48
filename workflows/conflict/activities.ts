import type { ConflictActivities } from '../../activities/conflict';
import { EMAIL_BESIDE, proxiedBy, WAITED_OUT } from '../shared/activityOptions';

/** The conflict case's activities and how each runs: the process's one table of them. */
export const conflictSteps = proxiedBy<ConflictActivities>({
  recordConflictTransition: WAITED_OUT,
  sendConflictEmail: EMAIL_BESIDE,
  // Only the cluster (registrations, claims): a registration past changing answers instead of failing.
  applyConflictOutcome: WAITED_OUT,
  settleAccountClaim: WAITED_OUT,
  reopenAccountClaimCase: WAITED_OUT,
});
