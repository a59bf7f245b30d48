import type { Db } from './db';

export interface EmailDelivery {
  messageId: string;
  delivery: 'smtp' | 'outbox';
}

/**
 * Which emails were handed over already, by email key (workflow id + purpose). An activity retried
 * after a successful send (a worker killed before it reported, a later recipient failing) finds its
 * message here and does not send a second copy.
 */
export function emailDeliveryStore(db: Db) {
  return {
    async sent(emailKey: string): Promise<EmailDelivery | undefined> {
      const [row] = await db.query<{ message_id: string; delivery: EmailDelivery['delivery'] }>(
        'SELECT message_id, delivery FROM email_deliveries WHERE email_key = $1',
        [emailKey],
      );
      return row ? { messageId: row.message_id, delivery: row.delivery } : undefined;
    },

    async recordSent(emailKey: string, sent: EmailDelivery): Promise<void> {
      await db.query(
        `INSERT INTO email_deliveries (email_key, message_id, delivery) VALUES ($1,$2,$3)
         ON CONFLICT (email_key) DO NOTHING`,
        [emailKey, sent.messageId, sent.delivery],
      );
    },
  };
}

export type EmailDeliveryStore = ReturnType<typeof emailDeliveryStore>;
