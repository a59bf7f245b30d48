import type { Db } from './db';
import { decodePositionCursor, encodePositionCursor, type Page } from './directory';
import type { RegistrationStatus, RegistrationView } from '../../workflows/registration/contract';

export interface RegistrationFilter {
  partnerId?: string;
  status?: RegistrationStatus;
  domain?: string;
}

export interface ReviewAssignment {
  registrationId: string;
  assigneeRole: string;
  dueAt: string;
  region: string;
  view: RegistrationView;
}

/** The read model of registrations: the latest view each workflow recorded, for lists and the inbox. */
export function registrationStore(db: Db) {
  return {
    /** Keeps the newest view: a late retry of an older transition never overwrites a newer one. */
    async save(view: RegistrationView, seq: number): Promise<void> {
      await db.query(
        `INSERT INTO registrations (id, partner_id, account_key, product_line, status, policy_version, submitted_at,
           due_at, assignee_role, view, view_seq, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11, now())
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, due_at = EXCLUDED.due_at,
           assignee_role = EXCLUDED.assignee_role, view = EXCLUDED.view, view_seq = EXCLUDED.view_seq, updated_at = now()
         WHERE registrations.view_seq < EXCLUDED.view_seq`,
        [
          view.id,
          view.partnerId,
          view.account.domain,
          view.opportunity.productLine,
          view.status,
          view.policyVersion,
          view.submittedAt,
          view.review && view.status === 'pending_review' ? view.review.dueAt : null,
          view.review && view.status === 'pending_review' ? view.review.assigneeRole : null,
          JSON.stringify(view),
          seq,
        ],
      );
    },

    async get(id: string): Promise<RegistrationView | undefined> {
      const rows = await db.query<{ view: RegistrationView }>('SELECT view FROM registrations WHERE id = $1', [id]);
      return rows[0]?.view;
    },

    /** The registration if it is `partnerId`'s: another partner's and a missing one are the same empty answer. */
    async getOwnedBy(id: string, partnerId: string): Promise<RegistrationView | undefined> {
      const rows = await db.query<{ view: RegistrationView }>(
        'SELECT view FROM registrations WHERE id = $1 AND partner_id = $2',
        [id, partnerId],
      );
      return rows[0]?.view;
    },

    /** Newest first; the cursor is the last (submittedAt, id) seen. */
    async list(filter: RegistrationFilter, limit: number, cursor?: string): Promise<Page<RegistrationView>> {
      const after = cursor ? decodePositionCursor(cursor) : undefined;
      const rows = await db.query<{ view: RegistrationView; submitted_at: string; id: string }>(
        `SELECT view, submitted_at, id FROM registrations
         WHERE ($1::text IS NULL OR partner_id = $1) AND ($2::text IS NULL OR status = $2)
           AND ($3::text IS NULL OR account_key = $3)
           AND ($4::timestamptz IS NULL OR (submitted_at, id) < ($4::timestamptz, $5::text))
         ORDER BY submitted_at DESC, id DESC LIMIT $6`,
        [
          filter.partnerId ?? null,
          filter.status ?? null,
          filter.domain ?? null,
          after?.[0] ?? null,
          after?.[1] ?? null,
          limit + 1,
        ],
      );
      const items = rows.slice(0, limit).map((r) => r.view);
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      const next = last ? encodePositionCursor(last.submitted_at, last.id) : undefined;
      return { items, ...(next ? { nextCursor: next } : {}) };
    },

    /**
     * Every account name known from the directory and from registrations, for duplicate warnings.
     * All of them: a cap would silently stop warning once the program grew past it (the cost is
     * linear, ~25 ms on PostgreSQL at 20,000 registrations — see Benchmarks in the README).
     */
    async accountNames(exceptDomain: string): Promise<{ domain: string; name: string }[]> {
      return db.query<{ domain: string; name: string }>(
        `SELECT domain, name FROM accounts WHERE domain <> $1
         UNION SELECT account_key AS domain, view->'account'->>'name' AS name FROM registrations WHERE account_key <> $1`,
        [exceptDomain],
      );
    },

    /** Registrations waiting on one of `roles`, soonest due first. */
    async pendingReviews(roles: string[]): Promise<RegistrationView[]> {
      const rows = await db.query<{ view: RegistrationView }>(
        `SELECT view FROM registrations WHERE status = 'pending_review' AND assignee_role = ANY($1::text[])
         ORDER BY due_at ASC NULLS LAST, id LIMIT 500`,
        [roles],
      );
      return rows.map((r) => r.view);
    },

    /** For a policy's dry run: registrations active now, and any submitted at or after `since` (ISO). */
    async forImpact(since: string): Promise<RegistrationView[]> {
      const rows = await db.query<{ view: RegistrationView }>(
        `SELECT view FROM registrations
         WHERE status IN ('pending_review', 'info_requested', 'in_conflict', 'approved') OR submitted_at >= $1
         ORDER BY submitted_at, id`,
        [since],
      );
      return rows.map((r) => r.view);
    },
  };
}

export type RegistrationStore = ReturnType<typeof registrationStore>;
