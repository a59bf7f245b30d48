import type { Db } from './db';

/** One update for a manager: what its own email would have said in the subject, and where to act. */
export interface DigestItem {
  /** The email's own key (workflow id + purpose): a retried send finds its earlier answer. */
  emailKey: string;
  subject: string;
  link: string;
}

/** What to do with an update for one manager: send it now, or list it in that window's digest. */
export type DigestDecision =
  { send: 'at_once' } | { send: 'in_digest'; recipientKey: string; window: number; endsAt: Date };

/** A digest as it is sent: to whom, and the updates it lists, oldest first. */
export interface TakenDigest {
  address: string;
  items: DigestItem[];
}

/**
 * Manager email windows. Each email to a manager (at once or a digest) opens a window of its own;
 * updates that come within it wait in the store for the digest sent at its end. Every decision is
 * made under a lock on the recipient's row and recorded by email key, so concurrent sends agree
 * and a retried activity gets the answer it got the first time.
 */
export function managerDigestStore(db: Db) {
  return {
    async decide(address: string, recipientKey: string, item: DigestItem, at: Date, windowMs: number) {
      return db.transaction(async (tx): Promise<DigestDecision> => {
        // No conflict target: two first sends at once may meet on either unique key (address or its
        // recipient key), and naming one let PostgreSQL raise the other as a duplicate-key error.
        await tx.query(
          `INSERT INTO manager_mail_windows (address, recipient_key, window_seq, ends_at)
           VALUES ($1, $2, 0, to_timestamp(0)) ON CONFLICT DO NOTHING`,
          [address, recipientKey],
        );
        const [current] = await tx.query<{ window_seq: number; ends_at: Date }>(
          'SELECT window_seq, ends_at FROM manager_mail_windows WHERE address = $1 FOR UPDATE',
          [address],
        );
        const [earlier] = await tx.query<{ window_seq: number | null; window_ends_at: Date | null }>(
          'SELECT window_seq, window_ends_at FROM manager_mail_items WHERE email_key = $1 AND address = $2',
          [item.emailKey, address],
        );
        if (earlier) return decisionOf(recipientKey, earlier.window_seq, earlier.window_ends_at);
        const [waiting] = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM manager_mail_items WHERE address = $1 AND window_seq = $2',
          [address, current.window_seq],
        );
        // Past the window and nothing waiting: this update opens a window of its own and goes now.
        const opensWindow = at.getTime() >= new Date(current.ends_at).getTime() && waiting.n === 0;
        if (opensWindow) await openWindow(tx, address, current.window_seq + 1, new Date(at.getTime() + windowMs));
        const decision = opensWindow
          ? decisionOf(recipientKey, null, null)
          : decisionOf(recipientKey, current.window_seq, current.ends_at);
        await tx.query(
          `INSERT INTO manager_mail_items (email_key, address, window_seq, window_ends_at, subject, link, added_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            item.emailKey,
            address,
            decision.send === 'in_digest' ? decision.window : null,
            decision.send === 'in_digest' ? decision.endsAt : null,
            item.subject,
            item.link,
            at,
          ],
        );
        return decision;
      });
    },

    /**
     * Closes a window's digest: what it lists is fixed from then on, and sending it opens the next
     * window. A repeat (a retried activity, a second run of the digest workflow) gets the same list.
     */
    async takeDigest(recipientKey: string, window: number, at: Date, windowMs: number) {
      return db.transaction(async (tx): Promise<TakenDigest | undefined> => {
        const [current] = await tx.query<{ address: string; window_seq: number }>(
          'SELECT address, window_seq FROM manager_mail_windows WHERE recipient_key = $1 FOR UPDATE',
          [recipientKey],
        );
        if (!current || current.window_seq < window) return undefined;
        if (current.window_seq === window)
          await openWindow(tx, current.address, window + 1, new Date(at.getTime() + windowMs));
        const items = await tx.query<{ email_key: string; subject: string; link: string }>(
          `SELECT email_key, subject, link FROM manager_mail_items WHERE address = $1 AND window_seq = $2
           ORDER BY added_at, email_key`,
          [current.address, window],
        );
        return {
          address: current.address,
          items: items.map((row) => ({ emailKey: row.email_key, subject: row.subject, link: row.link })),
        };
      });
    },
  };
}

export type ManagerDigestStore = ReturnType<typeof managerDigestStore>;

function decisionOf(recipientKey: string, window: number | null, endsAt: Date | null): DigestDecision {
  if (window === null || endsAt === null) return { send: 'at_once' };
  return { send: 'in_digest', recipientKey, window, endsAt: new Date(endsAt) };
}

async function openWindow(tx: Db, address: string, window: number, endsAt: Date): Promise<void> {
  await tx.query('UPDATE manager_mail_windows SET window_seq = $2, ends_at = $3 WHERE address = $1', [
    address,
    window,
    endsAt,
  ]);
}
