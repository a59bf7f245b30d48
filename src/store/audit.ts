import type { Db } from './db';
import { InvalidCursorError, decodeCursor, encodeCursor, type Page } from './directory';

export interface AuditEvent {
  /** `registration:ID`, `conflict:ID`, `policy:N`, `rollout:ID`, `directory:…`. */
  subject: string;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/** A place in the event feed: after the row `seq` of transaction `txid` (`0`, `0`: the start). */
export interface FeedPosition {
  txid: string;
  seq: string;
}

/** An audit row as the event feed reads it, with who may see it: the partners a subject belongs to. */
export interface FeedRow extends FeedPosition {
  subject: string;
  at: string;
  action: string;
  detail: Record<string, unknown>;
  /** The registration's partner, or the conflict case's partner parties; empty for other subjects. */
  partnerIds: string[];
  /** The object's version after this event (its process's step number), when a process recorded it. */
  version?: number;
}

export const FEED_START: FeedPosition = { txid: '0', seq: '0' };

/** A process records its steps as `<workflow id>#<step number>`: that number is the object's version. */
const versionOf = (eventKey: string): { version?: number } => {
  const match = /#(\d{1,9})$/.exec(eventKey);
  return match ? { version: Number(match[1]) } : {};
};

export function auditStore(db: Db) {
  return {
    /**
     * Appends an event once: `eventKey` is unique (workflow id + event, request id + action), so a
     * retried activity or request never adds a second row. Returns whether this call added it.
     */
    async append(eventKey: string, event: AuditEvent): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO audit_events (event_key, subject, at, actor, action, detail) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (event_key) DO NOTHING RETURNING seq`,
        [eventKey, event.subject, event.at, event.actor, event.action, JSON.stringify(event.detail)],
      );
      return rows.length === 1;
    },

    /** Events of one subject in the order they happened. */
    async bySubject(subject: string, limit: number, cursor?: string): Promise<Page<AuditEvent>> {
      // A cursor this list did not issue reads from the start, as it always has (the router does not refuse it yet).
      const after = cursor ? seqOfCursor(cursor) : 0;
      const rows = await db.query<Record<string, unknown>>(
        `SELECT seq, subject, at, actor, action, detail FROM audit_events
         WHERE subject = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [subject, after, limit + 1],
      );
      const items = rows.slice(0, limit).map((r) => ({
        subject: r.subject as string,
        at: new Date(r.at as string).toISOString(),
        actor: r.actor as string,
        action: r.action as string,
        detail: r.detail as Record<string, unknown>,
      }));
      const next = rows.length > limit ? encodeCursor(String(rows[limit - 1].seq)) : undefined;
      return { items, ...(next ? { nextCursor: next } : {}) };
    },

    /** The last settled position: a stream that names no cursor starts there, with what happens next. */
    async feedEnd(): Promise<FeedPosition> {
      const rows = await db.query<FeedPosition>(
        `SELECT txid::text AS txid, seq::text AS seq FROM audit_events
         WHERE txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY txid DESC, seq DESC LIMIT 1`,
      );
      return rows[0] ?? FEED_START;
    },

    /**
     * Up to `limit` rows after `after`, in the order their transactions settled. Only rows of
     * transactions older than every one still running are read, so no row can later appear before
     * a position already handed out (a bigserial is taken before commit: by seq alone a slow
     * transaction's row would land behind a reader's cursor and be missed).
     */
    async feedAfter(after: FeedPosition, limit: number): Promise<FeedRow[]> {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT a.txid::text AS txid, a.seq::text AS seq, a.event_key, a.subject, a.at, a.action, a.detail, r.partner_id,
           (SELECT coalesce(jsonb_agg(p->>'partnerId'), '[]'::jsonb) FROM jsonb_array_elements(c.view->'parties') p
             WHERE p->>'kind' = 'partner') AS parties
         FROM audit_events a
         LEFT JOIN registrations r ON a.subject LIKE 'registration:%' AND r.id = substr(a.subject, 14)
         LEFT JOIN conflicts c ON a.subject LIKE 'conflict:%' AND c.id = substr(a.subject, 10)
         WHERE (a.txid, a.seq) > ($1::text::xid8, $2::bigint)
           AND a.txid < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY a.txid, a.seq LIMIT $3`,
        [after.txid, after.seq, limit],
      );
      return rows.map((r) => ({
        txid: r.txid as string,
        seq: r.seq as string,
        ...versionOf(r.event_key as string),
        subject: r.subject as string,
        at: new Date(r.at as string).toISOString(),
        action: r.action as string,
        detail: r.detail as Record<string, unknown>,
        partnerIds: r.partner_id
          ? [r.partner_id as string]
          : ((r.parties as (string | null)[] | null) ?? []).filter((id): id is string => Boolean(id)),
      }));
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;

function seqOfCursor(cursor: string): number {
  const seq = decodeCursor(cursor);
  if (!/^[1-9]\d{0,17}$/.test(seq)) throw new InvalidCursorError();
  return Number(seq);
}
