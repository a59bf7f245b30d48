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
  };
}

export type AuditStore = ReturnType<typeof auditStore>;

function seqOfCursor(cursor: string): number {
  const seq = decodeCursor(cursor);
  if (!/^[1-9]\d{0,17}$/.test(seq)) throw new InvalidCursorError();
  return Number(seq);
}
