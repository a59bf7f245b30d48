import type { Db } from './db';
import { decodePositionCursor, encodePositionCursor, type Page } from './directory';
import type { RolloutView } from '../../workflows/rollout/contract';

/** The read model of rollouts: the latest view each rollout workflow recorded. */
export function rolloutStore(db: Db) {
  return {
    async save(view: RolloutView, seq: number): Promise<void> {
      await db.query(
        `INSERT INTO rollouts (id, policy_version, status, current_stage, view, view_seq, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6, now())
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, current_stage = EXCLUDED.current_stage,
           view = EXCLUDED.view, view_seq = EXCLUDED.view_seq, updated_at = now()
         WHERE rollouts.view_seq < EXCLUDED.view_seq`,
        [view.id, view.policyVersion, view.status, view.currentStage, JSON.stringify(view), seq],
      );
    },

    async get(id: string): Promise<RolloutView | undefined> {
      const rows = await db.query<{ view: RolloutView }>('SELECT view FROM rollouts WHERE id = $1', [id]);
      return rows[0]?.view;
    },

    /** Newest first. */
    async list(limit: number, cursor?: string): Promise<Page<RolloutView>> {
      const after = cursor ? decodePositionCursor(cursor) : undefined;
      const rows = await db.query<{ view: RolloutView; created: string; id: string }>(
        `SELECT view, (view->'history'->0->>'at') AS created, id FROM rollouts
         WHERE ($1::timestamptz IS NULL OR ((view->'history'->0->>'at')::timestamptz, id) < ($1::timestamptz, $2::text))
         ORDER BY (view->'history'->0->>'at')::timestamptz DESC, id DESC LIMIT $3`,
        [after?.[0] ?? null, after?.[1] ?? null, limit + 1],
      );
      const items = rows.slice(0, limit).map((r) => r.view);
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return { items, ...(last ? { nextCursor: encodePositionCursor(last.created, last.id) } : {}) };
    },

    /** The rollout that still manages `policyVersion` (publishes it at Enable, reviews it after), if any. */
    async activeFor(policyVersion: number): Promise<string | undefined> {
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM rollouts WHERE policy_version = $1 AND status <> 'completed' ORDER BY id LIMIT 1`,
        [policyVersion],
      );
      return rows[0]?.id;
    },

    /** Rollouts still reviewing a version older than `policyVersion`: a newer rollout takes over from them. */
    async inReviewBefore(policyVersion: number): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM rollouts WHERE status = 'in_review' AND policy_version < $1 ORDER BY id`,
        [policyVersion],
      );
      return rows.map((r) => r.id);
    },

    async reviewsHeld(): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `SELECT COALESCE(sum(jsonb_array_length(view->'reviews')), 0)::int AS n FROM rollouts`,
      );
      return rows[0]?.n ?? 0;
    },
  };
}

export type RolloutStore = ReturnType<typeof rolloutStore>;
