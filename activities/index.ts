import type { Client } from '@temporalio/client';
import type { Store } from '../src/store';
import type { Mailer, OutgoingEmail } from '../src/notify/mailer';
import type { AuditEvent } from '../src/store/audit';
import { claimActivities } from './claims';
import { conflictActivities } from './conflicts';
import { policyActivities } from './policies';
import { rolloutActivities } from './rollouts';
import { notifyActivities } from './notify';
import { registrationActivities } from './registrations';
import { sendingOnce } from './emailOnce';

export interface ActivityDeps {
  store: Store;
  mailer: Mailer;
  temporal: Client;
  taskQueue: string;
  /** Base URL for links in emails. */
  publicUrl: string;
}

/**
 * Side effects of every process. Each is idempotent, so Temporal's retries never duplicate:
 * audit rows are keyed by event key, emails by a Message-ID derived from workflow id + purpose and
 * a delivery record, so an email sent before a retry is not sent again.
 */
export function createActivities(given: ActivityDeps) {
  const deps = { ...given, mailer: sendingOnce(given.mailer, given.store.emailDeliveries) };
  return {
    async recordAuditEvent(eventKey: string, event: AuditEvent): Promise<boolean> {
      return deps.store.audit.append(eventKey, event);
    },
    async sendEmail(email: OutgoingEmail): Promise<string> {
      return (await deps.mailer.send(email)).messageId;
    },
    ...claimActivities(deps),
    ...conflictActivities(deps),
    ...policyActivities(deps),
    ...rolloutActivities(deps),
    ...notifyActivities(deps),
    ...registrationActivities(deps),
  };
}

export type RoeActivities = ReturnType<typeof createActivities>;
