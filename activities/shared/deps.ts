import type { Client } from '@temporalio/client';
import type { Mailer } from '../../src/notify/mailer';
import type { Store } from '../../src/store';

/** What the activities reach: the store, email, the Temporal client and their settings. */
export interface ActivityDeps {
  store: Store;
  mailer: Mailer;
  temporal: Client;
  taskQueue: string;
  /** Base URL for links in emails. */
  publicUrl: string;
  /** How long a manager's updates wait for one digest after an email to them; 0 sends each at once. */
  managerDigestWindowMs: number;
  /** `host:port` webhooks may reach although loopback or private (ROE_WEBHOOK_ALLOWED_TARGETS). */
  webhookAllowedTargets?: string[];
  /** How long an email's action link works (ROE_EMAIL_LINK_TTL); default 72 hours. */
  emailActionTtlMs?: number;
}
