import type { PolicyChangeActivities } from '../../activities/policyChange';
import { EMAIL_BESIDE, proxiedBy, WAITED_OUT_LONGER } from '../shared/activityOptions';

/** The policy change's activities and how each runs: the process's one table of them. */
export const policyChangeSteps = proxiedBy<PolicyChangeActivities>({
  recordPolicyChange: WAITED_OUT_LONGER,
  sendPolicyNotices: EMAIL_BESIDE,
});

/**
 * Notices as changes published before PATCH_NOTICES_BESIDE sent them: awaited in line, waiting for
 * the mail server like a recording waits for the store.
 */
export const { sendPolicyNotices: sendPolicyNoticesInLine } = proxiedBy<
  Pick<PolicyChangeActivities, 'sendPolicyNotices'>
>({ sendPolicyNotices: WAITED_OUT_LONGER });
