import { conflictActivities } from './conflict';
import { managerDigestActivities, managerMailer } from './managerDigest';
import { policyChangeActivities } from './policyChange';
import { registrationActivities } from './registration';
import { rolloutActivities } from './rollout';
import { sendingOnce } from './shared/emailOnce';
import { webhookDeliveryActivities } from './webhookDelivery';
import type { ActivityDeps } from './shared/deps';

export type { ActivityDeps } from './shared/deps';

/**
 * The activities of every process, one group per process (activities/<process>/). Each is
 * idempotent, so Temporal's retries never duplicate: read-model rows and audit events are keyed by
 * workflow id and step, emails by a Message-ID derived from workflow id + purpose and a delivery
 * record, so an email sent before a retry is not sent again.
 */
export function createActivities(given: ActivityDeps) {
  const mailer = sendingOnce(given.mailer, given.store.emailDeliveries);
  const deps = { ...given, mailer, toManagers: managerMailer({ ...given, mailer }) };
  return {
    ...registrationActivities(deps),
    ...conflictActivities(deps),
    ...policyChangeActivities(deps),
    ...rolloutActivities(deps),
    ...managerDigestActivities(deps),
    ...webhookDeliveryActivities(deps),
  };
}

export type RoeActivities = ReturnType<typeof createActivities>;
