import type { RolloutActivities } from '../../activities/rollout';
import { EMAIL_BESIDE, proxiedBy, WAITED_OUT, WAITED_OUT_LONGER } from '../shared/activityOptions';

/** The rollout's activities and how each runs: the process's one table of them. */
export const rolloutSteps = proxiedBy<RolloutActivities>({
  recordRolloutTransition: WAITED_OUT,
  sendRolloutEmail: EMAIL_BESIDE,
  // Every write here is idempotent and takes no text the API lets in when the store cannot hold it.
  publishPolicyForRollout: WAITED_OUT_LONGER,
  freezePolicyDraft: WAITED_OUT_LONGER,
  policyAdoption: WAITED_OUT_LONGER,
  instrumentChecks: WAITED_OUT_LONGER,
  reviewReport: WAITED_OUT_LONGER,
  handOverEarlierRollouts: WAITED_OUT_LONGER,
  rolloutsInReviewBefore: WAITED_OUT,
});
