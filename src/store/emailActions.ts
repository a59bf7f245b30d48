import { randomBytes } from 'node:crypto';
import type { Db } from './db';

export type EmailActionName = 'approve' | 'reject' | 'request_info' | 'acknowledge';

/** One action link as stored: what it does, to what, for whom, valid while the object is as it was. */
export interface EmailActionLink {
  id: string;
  action: EmailActionName;
  subject: { kind: 'registration' | 'policy'; id: string };
  /** The person's address (a manager), or `partner:<id>` (a policy notice goes to all its contacts). */
  recipient: string;
  /** The object's state when the link was sent: a link for another state is stale. */
  stateKey: string;
  expiresAt: string;
  usedAt?: string;
  outcome?: string;
}

const toLink = (r: Record<string, unknown>): EmailActionLink => ({
  id: r.id as string,
  action: r.action as EmailActionName,
  subject: { kind: r.subject_kind as EmailActionLink['subject']['kind'], id: r.subject_id as string },
  recipient: r.recipient as string,
  stateKey: r.state_key as string,
  expiresAt: new Date(r.expires_at as string).toISOString(),
  ...(r.used_at ? { usedAt: new Date(r.used_at as string).toISOString() } : {}),
  ...(r.outcome ? { outcome: r.outcome as string } : {}),
});

export function emailActionStore(db: Db) {
  return {
    /** Adds the link once: a retried send finds the one it made before. */
    async add(link: Omit<EmailActionLink, 'usedAt' | 'outcome'>): Promise<EmailActionLink> {
      await db.query(
        `INSERT INTO email_action_links (id, action, subject_kind, subject_id, recipient, state_key, expires_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (id) DO NOTHING`,
        [link.id, link.action, link.subject.kind, link.subject.id, link.recipient, link.stateKey, link.expiresAt],
      );
      return (await this.get(link.id))!;
    },

    async get(id: string): Promise<EmailActionLink | undefined> {
      const [row] = await db.query('SELECT * FROM email_action_links WHERE id = $1', [id]);
      return row ? toLink(row) : undefined;
    },

    /** Takes the link for one use; false when it was used already (or is being used). */
    async claim(id: string): Promise<boolean> {
      const rows = await db.query(
        'UPDATE email_action_links SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id',
        [id],
      );
      return rows.length === 1;
    },

    /** The step did not happen after all: the link may be used again. */
    async release(id: string): Promise<void> {
      await db.query('UPDATE email_action_links SET used_at = NULL WHERE id = $1 AND outcome IS NULL', [id]);
    },

    async recordOutcome(id: string, outcome: string): Promise<void> {
      await db.query('UPDATE email_action_links SET outcome = $2 WHERE id = $1', [id, outcome]);
    },

    /** The HMAC key of the links, made on first use and then the same for every process. */
    async signingKey(): Promise<Buffer> {
      await db.query(
        `INSERT INTO signing_keys (name, key) VALUES ('email-actions', $1) ON CONFLICT (name) DO NOTHING`,
        [randomBytes(32).toString('base64')],
      );
      const [row] = await db.query<{ key: string }>(`SELECT key FROM signing_keys WHERE name = 'email-actions'`);
      return Buffer.from(row.key, 'base64');
    },
  };
}

export type EmailActionStore = ReturnType<typeof emailActionStore>;
