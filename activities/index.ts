import type { Store } from '../src/store';
import type { Mailer, OutgoingEmail } from '../src/notify/mailer';
import type { AuditEvent } from '../src/store/audit';

export interface ActivityDeps {
  store: Store;
  mailer: Mailer;
}

/**
 * Side effects of every process. Each is idempotent, so Temporal's retries never duplicate:
 * audit rows are keyed by event key, emails by a Message-ID derived from workflow id + purpose.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    async recordAuditEvent(eventKey: string, event: AuditEvent): Promise<boolean> {
      return deps.store.audit.append(eventKey, event);
    },
    async sendEmail(email: OutgoingEmail): Promise<string> {
      return (await deps.mailer.send(email)).messageId;
    },
  };
}

export type RoeActivities = ReturnType<typeof createActivities>;
