import type { Db } from './db';

/** What a partner thought of one decision on its registration or conflict case. */
export interface PartnerFeedback {
  partnerId: string;
  subject: { kind: 'registration' | 'conflict'; id: string };
  /** The decision rated: its kind (`approved`, `rejected`, `conflict_resolved`…) and when it was taken. */
  decision: { type: string; decidedAt: string };
  rating: number;
  comment?: string;
  createdAt: string;
  updatedAt: string;
}

export interface SatisfactionRow {
  decisionType: string;
  /** The month the rating was given, YYYY-MM (UTC). */
  month: string;
  ratings: number;
  total: number;
}

const iso = (value: unknown) => new Date(value as string).toISOString();

function toFeedback(r: Record<string, unknown>): PartnerFeedback {
  const [type, decidedAt] = [r.decision_type as string, r.decision_key as string];
  return {
    partnerId: r.partner_id as string,
    subject: { kind: r.subject_kind as PartnerFeedback['subject']['kind'], id: r.subject_id as string },
    decision: { type, decidedAt },
    rating: Number(r.rating),
    ...(r.comment ? { comment: r.comment as string } : {}),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function feedbackStore(db: Db) {
  return {
    /** Rates the decision, or rates it again; `created` tells which. */
    async rate(
      input: Omit<PartnerFeedback, 'createdAt' | 'updatedAt'>,
    ): Promise<{ feedback: PartnerFeedback; created: boolean }> {
      const [row] = await db.query(
        `INSERT INTO partner_feedback (partner_id, subject_kind, subject_id, decision_key, decision_type, rating, comment)
         VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (partner_id, subject_kind, subject_id, decision_key)
         DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, updated_at = now()
         RETURNING *, (xmax = 0) AS created`,
        [
          input.partnerId,
          input.subject.kind,
          input.subject.id,
          input.decision.decidedAt,
          input.decision.type,
          input.rating,
          input.comment ?? null,
        ],
      );
      return { feedback: toFeedback(row), created: Boolean(row.created) };
    },

    /** The partner's ratings of one subject, newest decision first. */
    async of(partnerId: string, kind: PartnerFeedback['subject']['kind'], id: string): Promise<PartnerFeedback[]> {
      const rows = await db.query(
        `SELECT * FROM partner_feedback WHERE partner_id = $1 AND subject_kind = $2 AND subject_id = $3
         ORDER BY decision_key DESC`,
        [partnerId, kind, id],
      );
      return rows.map(toFeedback);
    },

    /** Ratings given in [from, to), summed by decision type and month. */
    async satisfaction(period: { from?: string; to?: string }): Promise<SatisfactionRow[]> {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT decision_type, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
           count(*)::int AS ratings, sum(rating)::int AS total
         FROM partner_feedback
         WHERE ($1::timestamptz IS NULL OR updated_at >= $1::timestamptz) AND ($2::timestamptz IS NULL OR updated_at < $2::timestamptz)
         GROUP BY 1, 2 ORDER BY 2, 1`,
        [period.from ?? null, period.to ?? null],
      );
      return rows.map((r) => ({
        decisionType: String(r.decision_type),
        month: String(r.month),
        ratings: Number(r.ratings),
        total: Number(r.total),
      }));
    },
  };
}

export type FeedbackStore = ReturnType<typeof feedbackStore>;
