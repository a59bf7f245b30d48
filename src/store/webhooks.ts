import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import type { FeedPosition } from './audit';
import { decodeCursor, encodeCursor } from './directory';

export type WebhookStatus = 'enabled' | 'disabled';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A subscription as an admin reads it: never its secret, which is shown once at creation. */
export interface WebhookSubscription {
  id: string;
  url: string;
  events: string[];
  partnerId?: string;
  /** Who is told when it is disabled. */
  ownerEmail?: string;
  status: WebhookStatus;
  disabledAt?: string;
  disabledReason?: string;
  createdBy: string;
  createdAt: string;
}

/** What a delivery signs with: the current secret and, while a rotation overlaps, the one before. */
export interface SigningSecrets {
  current: string;
  previous?: string;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  statusCode?: number;
  error?: string;
  responseExcerpt?: string;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  subject: { kind: string; id: string };
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  deliveredAt?: string;
  failedAt?: string;
  lastAttempt?: DeliveryAttempt;
}

/** An event to deliver, as the feed gives it to one subscription's audience. */
export interface DeliverableEvent {
  id: string;
  type: string;
  at: string;
  subject: { kind: string; id: string };
  data: Record<string, unknown>;
}

/** `whsec_` and 24 random bytes in base64, as Standard Webhooks names a secret. */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : undefined);

function toSubscription(r: Record<string, unknown>): WebhookSubscription {
  return {
    id: r.id as string,
    url: r.url as string,
    events: r.events as string[],
    ...(r.partner_id ? { partnerId: r.partner_id as string } : {}),
    ...(r.owner_email ? { ownerEmail: r.owner_email as string } : {}),
    status: r.status as WebhookStatus,
    ...(r.disabled_at ? { disabledAt: iso(r.disabled_at) } : {}),
    ...(r.disabled_reason ? { disabledReason: r.disabled_reason as string } : {}),
    createdBy: r.created_by as string,
    createdAt: iso(r.created_at)!,
  };
}

function toAttempt(r: Record<string, unknown>): DeliveryAttempt {
  return {
    attempt: Number(r.attempt),
    at: iso(r.at)!,
    ...(r.status_code !== null && r.status_code !== undefined ? { statusCode: Number(r.status_code) } : {}),
    ...(r.error ? { error: r.error as string } : {}),
    ...(r.response_excerpt !== null && r.response_excerpt !== undefined
      ? { responseExcerpt: r.response_excerpt as string }
      : {}),
    durationMs: Number(r.duration_ms),
  };
}

function toDelivery(r: Record<string, unknown>): WebhookDelivery {
  const last = r.last_attempt as DeliveryAttempt | null;
  return {
    id: r.id as string,
    subscriptionId: r.subscription_id as string,
    eventId: r.event_id as string,
    eventType: r.event_type as string,
    subject: { kind: r.subject_kind as string, id: r.subject_id as string },
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    createdAt: iso(r.created_at)!,
    ...(r.delivered_at ? { deliveredAt: iso(r.delivered_at) } : {}),
    ...(r.failed_at ? { failedAt: iso(r.failed_at) } : {}),
    ...(last ? { lastAttempt: last } : {}),
  };
}

const LIVE = 'deleted_at IS NULL';

export function webhookStore(db: Db) {
  return {
    /** A new subscription receives the events recorded after `from` (the feed's end when it was created). */
    async create(input: {
      url: string;
      events: string[];
      partnerId?: string;
      createdBy: string;
      ownerEmail?: string;
      from: FeedPosition;
    }): Promise<{ subscription: WebhookSubscription; secret: string }> {
      const id = `whk_${randomBytes(6).toString('hex')}`;
      const secret = newSecret();
      const [row] = await db.query(
        `INSERT INTO webhook_subscriptions (id, url, events, partner_id, secret, created_by, owner_email, start_txid, start_seq)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING *`,
        [
          id,
          input.url,
          JSON.stringify(input.events),
          input.partnerId ?? null,
          secret,
          input.createdBy,
          input.ownerEmail ?? null,
          input.from.txid,
          input.from.seq,
        ],
      );
      return { subscription: toSubscription(row), secret };
    },

    async get(id: string): Promise<WebhookSubscription | undefined> {
      const [row] = await db.query(`SELECT * FROM webhook_subscriptions WHERE id = $1 AND ${LIVE}`, [id]);
      return row ? toSubscription(row) : undefined;
    },

    async list(): Promise<WebhookSubscription[]> {
      const rows = await db.query(`SELECT * FROM webhook_subscriptions WHERE ${LIVE} ORDER BY created_at, id`);
      return rows.map(toSubscription);
    },

    /** The enabled subscriptions with where each starts in the feed: what the dispatcher fans out to. */
    async enabled(): Promise<(WebhookSubscription & { from: FeedPosition })[]> {
      const rows = await db.query(
        `SELECT * FROM webhook_subscriptions WHERE ${LIVE} AND status = 'enabled' ORDER BY created_at, id`,
      );
      return rows.map((r) => ({
        ...toSubscription(r),
        from: { txid: r.start_txid as string, seq: r.start_seq as string },
      }));
    },

    /** Deleted subscriptions keep their deliveries' history but send nothing more. */
    async remove(id: string): Promise<WebhookSubscription | undefined> {
      const [row] = await db.query(
        `UPDATE webhook_subscriptions SET deleted_at = now() WHERE id = $1 AND ${LIVE} RETURNING *`,
        [id],
      );
      return row ? toSubscription(row) : undefined;
    },

    /** A new secret; the old one keeps signing beside it until `overlapUntil`, so receivers can switch. */
    async rotateSecret(
      id: string,
      overlapUntil: Date,
    ): Promise<{ subscription: WebhookSubscription; secret: string } | undefined> {
      const secret = newSecret();
      const [row] = await db.query(
        `UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_until = $2, secret = $3
         WHERE id = $1 AND ${LIVE} RETURNING *`,
        [id, overlapUntil.toISOString(), secret],
      );
      return row ? { subscription: toSubscription(row), secret } : undefined;
    },

    async signingSecrets(id: string, at: Date): Promise<SigningSecrets | undefined> {
      const [row] = await db.query<{
        secret: string;
        previous_secret: string | null;
        previous_secret_until: string | null;
      }>(`SELECT secret, previous_secret, previous_secret_until FROM webhook_subscriptions WHERE id = $1`, [id]);
      if (!row) return undefined;
      const overlapping = row.previous_secret && row.previous_secret_until && new Date(row.previous_secret_until) > at;
      return { current: row.secret, ...(overlapping ? { previous: row.previous_secret! } : {}) };
    },

    /** Whom to tell when it is disabled: the address of the admin who created it, when known. */
    async ownerEmail(id: string): Promise<string | undefined> {
      const [row] = await db.query<{ owner_email: string | null }>(
        'SELECT owner_email FROM webhook_subscriptions WHERE id = $1',
        [id],
      );
      return row?.owner_email ?? undefined;
    },

    /** Disables it once; returns the subscription if this call disabled it. */
    async disable(id: string, reason: string): Promise<WebhookSubscription | undefined> {
      const [row] = await db.query(
        `UPDATE webhook_subscriptions SET status = 'disabled', disabled_at = now(), disabled_reason = $2
         WHERE id = $1 AND status = 'enabled' AND ${LIVE} RETURNING *`,
        [id, reason],
      );
      return row ? toSubscription(row) : undefined;
    },

    /** Enabled again from now on: events recorded while it was disabled are not sent. */
    async enable(id: string, from: FeedPosition): Promise<WebhookSubscription | undefined> {
      const [row] = await db.query(
        `UPDATE webhook_subscriptions SET status = 'enabled', disabled_at = NULL, disabled_reason = NULL,
           start_txid = $2, start_seq = $3
         WHERE id = $1 AND ${LIVE} RETURNING *`,
        [id, from.txid, from.seq],
      );
      return row ? toSubscription(row) : undefined;
    },

    /** Where the dispatcher stopped reading the feed; the feed's end the first time. */
    async dispatchedThrough(): Promise<FeedPosition | undefined> {
      const [row] = await db.query<FeedPosition>('SELECT txid, seq FROM webhook_dispatch WHERE id = 1');
      return row;
    },

    async markDispatched(position: FeedPosition): Promise<void> {
      await db.query(
        `INSERT INTO webhook_dispatch (id, txid, seq) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET txid = $1, seq = $2`,
        [position.txid, position.seq],
      );
    },

    /** Adds the delivery of `event` to `subscriptionId` once; false when it was there already. */
    async addDelivery(id: string, subscriptionId: string, event: DeliverableEvent): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, subject_kind, subject_id, event)
         VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [id, subscriptionId, event.id, event.type, event.subject.kind, event.subject.id, JSON.stringify(event)],
      );
      return rows.length === 1;
    },

    async markEnqueued(id: string): Promise<void> {
      await db.query('UPDATE webhook_deliveries SET enqueued = true WHERE id = $1', [id]);
    },

    /** Deliveries recorded but never handed to their queue (the dispatcher stopped in between), oldest first. */
    async notEnqueued(limit: number): Promise<WebhookDelivery[]> {
      const rows = await db.query('SELECT * FROM webhook_deliveries WHERE NOT enqueued ORDER BY seq LIMIT $1', [limit]);
      return rows.map(toDelivery);
    },

    async delivery(id: string): Promise<(WebhookDelivery & { event: DeliverableEvent }) | undefined> {
      const [row] = await db.query('SELECT * FROM webhook_deliveries WHERE id = $1', [id]);
      return row ? { ...toDelivery(row), event: row.event as DeliverableEvent } : undefined;
    },

    async attemptsOf(id: string): Promise<DeliveryAttempt[]> {
      const rows = await db.query('SELECT * FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt', [id]);
      return rows.map(toAttempt);
    },

    /** One page of a subscription's deliveries, newest first. */
    async deliveries(
      subscriptionId: string,
      query: { status?: DeliveryStatus; limit: number; cursor?: string },
    ): Promise<{ items: WebhookDelivery[]; nextCursor?: string }> {
      const before = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = await db.query(
        `SELECT * FROM webhook_deliveries
         WHERE subscription_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::bigint IS NULL OR seq < $3::bigint)
         ORDER BY seq DESC LIMIT $4`,
        [subscriptionId, query.status ?? null, before ?? null, query.limit + 1],
      );
      const page = rows.slice(0, query.limit);
      const more = rows.length > query.limit;
      return {
        items: page.map(toDelivery),
        ...(more ? { nextCursor: encodeCursor(String(page.at(-1)!.seq)) } : {}),
      };
    },

    /** Records one attempt (once per number: a retried recording adds nothing) and its outcome on the delivery. */
    async recordAttempt(id: string, attempt: DeliveryAttempt, delivered: boolean): Promise<void> {
      await db.transaction(async (tx) => {
        const added = await tx.query(
          `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, response_excerpt, duration_ms)
           VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING RETURNING attempt`,
          [
            id,
            attempt.attempt,
            attempt.at,
            attempt.statusCode ?? null,
            attempt.error ?? null,
            attempt.responseExcerpt ?? null,
            attempt.durationMs,
          ],
        );
        if (added.length === 0) return;
        await tx.query(
          `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt = $2,
             status = CASE WHEN $3 THEN 'delivered' ELSE status END,
             delivered_at = CASE WHEN $3 THEN $4::timestamptz ELSE delivered_at END
           WHERE id = $1`,
          [id, JSON.stringify(attempt), delivered, attempt.at],
        );
      });
    },

    async markFailed(id: string, reason?: string): Promise<void> {
      await db.query(
        `UPDATE webhook_deliveries SET status = 'failed', failed_at = now(),
           last_attempt = CASE WHEN $2::text IS NULL THEN last_attempt
             ELSE coalesce(last_attempt, '{}'::jsonb) || jsonb_build_object('error', $2::text) END
         WHERE id = $1 AND status = 'pending'`,
        [id, reason ?? null],
      );
    },

    /** A replay sends it again: pending once more, its earlier attempts kept. */
    async markPending(id: string): Promise<void> {
      await db.query(`UPDATE webhook_deliveries SET status = 'pending', failed_at = NULL WHERE id = $1`, [id]);
    },

    /** The number the next attempt of the delivery takes. */
    async nextAttemptNumber(id: string): Promise<number> {
      const [row] = await db.query<{ n: number }>(
        'SELECT coalesce(max(attempt), 0) + 1 AS n FROM webhook_attempts WHERE delivery_id = $1',
        [id],
      );
      return Number(row.n);
    },
  };
}

export type WebhookStore = ReturnType<typeof webhookStore>;
