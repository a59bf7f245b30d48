import type { ManagerDigestActivities } from '../../activities/managerDigest';
import { NEVER_GIVEN_UP, proxiedBy } from '../shared/activityOptions';

/** The digest's one activity: nothing held back may be lost, the store keeps its list. */
export const managerDigestSteps = proxiedBy<ManagerDigestActivities>({ sendManagerDigest: NEVER_GIVEN_UP });
