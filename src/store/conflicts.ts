import type { Db } from './db';
import { decodePositionCursor, encodePositionCursor, type Page } from './directory';
import type { ConflictStatus, ConflictView } from '../../workflows/conflict/contract';

export interface ConflictFilter {
  status?: ConflictStatus;
  assigneeRole?: string;
  /** Only cases where one of the parties is this partner. */
  partnerId?: string;
}

/** The read model of conflict cases: the latest view each case recorded, for lists and the inbox. */
export function conflictStore(db: Db) {
  return {
    /** Keeps the newest view: a late retry of an older step never overwrites a newer one. */
    async save(view: ConflictView, seq: number): Promise<void> {
      const open = view.status === 'open';
      await db.query(
        `INSERT INTO conflicts (id, account_key, product_line, status, tier, assignee_role, due_at, view, view_seq,
           updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9, now())
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, tier = EXCLUDED.tier,
           assignee_role = EXCLUDED.assignee_role, due_at = EXCLUDED.due_at, view = EXCLUDED.view,
           view_seq = EXCLUDED.view_seq, updated_at = now()
         WHERE conflicts.view_seq < EXCLUDED.view_seq`,
        [
          view.id,
          view.domain,
          view.productLine,
          view.status,
          view.tier,
          view.assigneeRole,
          open && view.dueAt ? view.dueAt : null,
          JSON.stringify(view),
          seq,
        ],
      );
    },

    async get(id: string): Promise<ConflictView | undefined> {
      const rows = await db.query<{ view: ConflictView }>('SELECT view FROM conflicts WHERE id = $1', [id]);
      return rows[0]?.view;
    },

    /**
     * Whether `partnerId` is a party to case `id`: the case lists it, or one of its registrations
     * names the case (recorded with the registration's first decision, before the case records
     * the join). A case it is not party to and a missing one are the same `false` of the same query.
     */
    async isParty(id: string, partnerId: string): Promise<boolean> {
      const rows = await db.query<{ party: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM conflicts WHERE id = $1 AND view->'parties' @> $2::jsonb)
             OR EXISTS (SELECT 1 FROM registrations WHERE partner_id = $3 AND view->>'conflictId' = $1) AS party`,
        [id, JSON.stringify([{ partnerId }]), partnerId],
      );
      return rows[0]?.party === true;
    },

    /** Newest opened first; the cursor is the last (openedAt, id) seen. */
    async list(filter: ConflictFilter, limit: number, cursor?: string): Promise<Page<ConflictView>> {
      const after = cursor ? decodePositionCursor(cursor) : undefined;
      const rows = await db.query<{ view: ConflictView; opened_at: string; id: string }>(
        `SELECT view, (view->>'openedAt')::timestamptz AS opened_at, id FROM conflicts
         WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR assignee_role = $2)
           AND ($3::jsonb IS NULL OR view->'parties' @> $3::jsonb)
           AND ($4::timestamptz IS NULL OR ((view->>'openedAt')::timestamptz, id) < ($4::timestamptz, $5::text))
         ORDER BY opened_at DESC, id DESC LIMIT $6`,
        [
          filter.status ?? null,
          filter.assigneeRole ?? null,
          filter.partnerId ? JSON.stringify([{ partnerId: filter.partnerId }]) : null,
          after?.[0] ?? null,
          after?.[1] ?? null,
          limit + 1,
        ],
      );
      const items = rows.slice(0, limit).map((r) => r.view);
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      const next = last ? encodePositionCursor(last.opened_at, last.id) : undefined;
      return { items, ...(next ? { nextCursor: next } : {}) };
    },

    /** Open cases assigned to one of `roles`, soonest due first. */
    async openForRoles(roles: string[]): Promise<ConflictView[]> {
      const rows = await db.query<{ view: ConflictView }>(
        `SELECT view FROM conflicts WHERE status = 'open' AND assignee_role = ANY($1::text[])
         ORDER BY due_at ASC NULLS LAST, id LIMIT 500`,
        [roles],
      );
      return rows.map((r) => r.view);
    },
  };
}

export type ConflictStore = ReturnType<typeof conflictStore>;
