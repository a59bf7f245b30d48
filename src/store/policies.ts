import type { Db } from './db';
import { InvalidCursorError, decodeCursor, encodeCursor, isIssuedCursor, type Page } from './directory';
import type { PolicyDocument } from '../domain/policy';

export const POLICY_STATUSES = ['draft', 'scheduled', 'effective', 'superseded', 'cancelled'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export interface PolicyVersion {
  version: number;
  title: string;
  status: PolicyStatus;
  document: PolicyDocument;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  effectiveAt?: string;
  supersededAt?: string;
  cancelledAt?: string;
  cancelReason?: string;
  /** The document may no longer be edited: any version but a draft, and a draft whose rollout finished Document. */
  frozen: boolean;
}

type Row = Record<string, unknown>;
const isoOrNothing = (key: string, value: unknown) => (value ? { [key]: new Date(value as string).toISOString() } : {});

function toPolicy(r: Row): PolicyVersion {
  return {
    version: r.version as number,
    title: r.title as string,
    status: r.status as PolicyStatus,
    document: r.document as PolicyDocument,
    createdAt: new Date(r.created_at as string).toISOString(),
    updatedAt: new Date(r.updated_at as string).toISOString(),
    ...isoOrNothing('publishedAt', r.published_at),
    ...isoOrNothing('effectiveAt', r.effective_at),
    ...isoOrNothing('supersededAt', r.superseded_at),
    ...isoOrNothing('cancelledAt', r.cancelled_at),
    ...(r.cancel_reason ? { cancelReason: r.cancel_reason as string } : {}),
    // Only a draft can be edited: every published version (and version 1, seeded effective) is frozen.
    frozen: r.frozen === true || r.status !== 'draft',
  };
}

/** Whether `cursor` is a `nextCursor` of the policy list (it carries a version number). */
export const isPolicyCursor = (cursor: string): boolean =>
  isIssuedCursor(cursor) && /^[1-9]\d{0,8}$/.test(decodeCursor(cursor));

function versionIn(cursor: string): number {
  if (!isPolicyCursor(cursor)) throw new InvalidCursorError();
  return Number(decodeCursor(cursor));
}

export type ReplaceDraftResult =
  { kind: 'replaced'; policy: PolicyVersion } | { kind: 'missing' } | { kind: 'not_draft'; policy: PolicyVersion };

export function policyStore(db: Db) {
  return {
    /** Versions are 1, 2, 3…: the next number is taken under a table lock so two drafts never share one. */
    async createDraft(document: PolicyDocument): Promise<PolicyVersion> {
      return db.transaction(async (tx) => {
        await tx.query('LOCK TABLE policies IN SHARE ROW EXCLUSIVE MODE');
        const rows = await tx.query(
          `INSERT INTO policies (version, title, document, status)
           SELECT COALESCE(MAX(version), 0) + 1, $1, $2, 'draft' FROM policies RETURNING *`,
          [document.title, JSON.stringify(document)],
        );
        return toPolicy(rows[0]);
      });
    },

    async replaceDraft(version: number, document: PolicyDocument): Promise<ReplaceDraftResult> {
      return db.transaction(async (tx) => {
        const current = await tx.query('SELECT * FROM policies WHERE version = $1 FOR UPDATE', [version]);
        if (!current[0]) return { kind: 'missing' };
        const policy = toPolicy(current[0]);
        if (policy.status !== 'draft' || policy.frozen) return { kind: 'not_draft', policy };
        const rows = await tx.query(
          `UPDATE policies SET title = $2, document = $3, updated_at = now() WHERE version = $1 RETURNING *`,
          [version, document.title, JSON.stringify(document)],
        );
        return { kind: 'replaced', policy: toPolicy(rows[0]) };
      });
    },

    async get(version: number): Promise<PolicyVersion | undefined> {
      const rows = await db.query('SELECT * FROM policies WHERE version = $1', [version]);
      return rows[0] ? toPolicy(rows[0]) : undefined;
    },

    async list(limit: number, cursor?: string, status?: PolicyStatus): Promise<Page<PolicyVersion>> {
      const after = cursor ? versionIn(cursor) : 0;
      const rows = await db.query(
        `SELECT * FROM policies WHERE version > $1 AND ($2::text IS NULL OR status = $2) ORDER BY version LIMIT $3`,
        [after, status ?? null, limit + 1],
      );
      const items = rows.slice(0, limit).map(toPolicy);
      const next = rows.length > limit ? encodeCursor(String(items[items.length - 1].version)) : undefined;
      return { items, ...(next ? { nextCursor: next } : {}) };
    },

    /** The version that governed at `at`: effective from `effective_at` until the next one took over. */
    /**
     * The version in effect at `at`: of the published, not cancelled versions, the one with the
     * latest effective instant at or before `at` (ties: the higher version). This is the rule
     * everywhere, so a registration submitted in the second of a switch gets the version that
     * instant names, whether or not the change workflow has recorded the switch yet.
     */
    async effectiveAt(at: Date): Promise<PolicyVersion | undefined> {
      const rows = await db.query(
        `SELECT * FROM policies WHERE status IN ('scheduled', 'effective', 'superseded')
           AND effective_at <= $1
         ORDER BY effective_at DESC, version DESC LIMIT 1`,
        [at.toISOString()],
      );
      return rows[0] ? toPolicy(rows[0]) : undefined;
    },

    current(): Promise<PolicyVersion | undefined> {
      return this.effectiveAt(new Date());
    },

    /** Draft → scheduled, with the instant it takes effect. Undefined: it was not a draft. */
    async schedule(version: number, publishedAt: Date, effectiveAt: Date): Promise<PolicyVersion | undefined> {
      const rows = await db.query(
        `UPDATE policies SET status = 'scheduled', published_at = $2, effective_at = $3, frozen = true, updated_at = now()
         WHERE version = $1 AND status = 'draft' RETURNING *`,
        [version, publishedAt.toISOString(), effectiveAt.toISOString()],
      );
      return rows[0] ? toPolicy(rows[0]) : undefined;
    },

    /**
     * The switch, at its instant: this version effective, and of all effective versions only the
     * latest by (effective instant, version) stays so, the others superseded. Idempotent, and
     * right whatever order the switches of several versions are recorded in.
     */
    async makeEffective(version: number): Promise<PolicyVersion | undefined> {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `UPDATE policies SET status = 'effective', updated_at = now()
           WHERE version = $1 AND status IN ('scheduled', 'effective') RETURNING version`,
          [version],
        );
        if (!rows[0]) return undefined;
        await tx.query(
          `WITH latest AS (
             SELECT version, effective_at FROM policies WHERE status = 'effective'
             ORDER BY effective_at DESC, version DESC LIMIT 1)
           UPDATE policies SET status = 'superseded', superseded_at = (SELECT effective_at FROM latest), updated_at = now()
           WHERE status = 'effective' AND version <> (SELECT version FROM latest)`,
        );
        const after = await tx.query('SELECT * FROM policies WHERE version = $1', [version]);
        return toPolicy(after[0]);
      });
    },

    /** Scheduled → cancelled; undefined when it was not scheduled any more. */
    async cancel(version: number, reason: string, at: Date): Promise<PolicyVersion | undefined> {
      const rows = await db.query(
        `UPDATE policies SET status = 'cancelled', cancelled_at = $2, cancel_reason = $3, updated_at = now()
         WHERE version = $1 AND status = 'scheduled' RETURNING *`,
        [version, at.toISOString(), reason],
      );
      return rows[0] ? toPolicy(rows[0]) : undefined;
    },

    /** Records a partner's acknowledgement once; returns whether this call added it. */
    async acknowledge(version: number, partnerId: string, by: string): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO policy_acknowledgements (version, partner_id, acknowledged_by) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING partner_id`,
        [version, partnerId, by],
      );
      return rows.length === 1;
    },

    async acknowledgedBy(version: number): Promise<string[]> {
      const rows = await db.query<{ partner_id: string }>(
        'SELECT partner_id FROM policy_acknowledgements WHERE version = $1 ORDER BY partner_id',
        [version],
      );
      return rows.map((r) => r.partner_id);
    },

    /** When `partnerId` acknowledged `version` (ISO), if it has. */
    async acknowledgedAt(version: number, partnerId: string): Promise<string | undefined> {
      const rows = await db.query<{ acknowledged_at: Date | string }>(
        'SELECT acknowledged_at FROM policy_acknowledgements WHERE version = $1 AND partner_id = $2',
        [version, partnerId],
      );
      return rows[0] ? new Date(rows[0].acknowledged_at).toISOString() : undefined;
    },

    /** Active registrations still under versions older than `version` (grandfathered): all, or one partner's. */
    async grandfatheredCount(version: number, partnerId?: string): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM registrations
         WHERE policy_version < $1 AND status IN ('pending_review', 'info_requested', 'in_conflict', 'approved')
           AND ($2::text IS NULL OR partner_id = $2)`,
        [version, partnerId ?? null],
      );
      return rows[0]?.n ?? 0;
    },

    /** Makes `document` version 1, effective at `at`, when no version exists yet. Returns whether it did. */
    async seedFirstEffective(document: PolicyDocument, at: Date): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO policies (version, title, document, status, published_at, effective_at, frozen)
         VALUES (1, $1, $2, 'effective', $3, $3, true) ON CONFLICT (version) DO NOTHING RETURNING version`,
        [document.title, JSON.stringify(document), at.toISOString()],
      );
      return rows.length === 1;
    },
  };
}

export type PolicyStore = ReturnType<typeof policyStore>;
