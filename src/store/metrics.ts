import type { Db } from './db';
import { PARTNER_TIERS, type PartnerTier } from '../domain/directory';
import { REGISTRATION_STATUSES, type RegistrationStatus } from '../../workflows/registration/contract';
import type { MaturityFacts } from '../domain/maturity';
import type { PolicyDocument } from '../domain/policy';
import { runPlaybook } from '../domain/rules';
import type { DealFacts } from '../domain/revenue';

// The program's KPIs, computed in SQL from the read models (registrations, conflicts, policies).
// Percentiles use percentile_cont, which PGlite and PostgreSQL both have.

export interface Percentiles {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface AwardCounts {
  partner: number;
  direct: number;
  coSell: number;
  none: number;
}

export interface TierOutcomes {
  tier: PartnerTier;
  /** Partner parties of decided cases with this tier. */
  parties: number;
  won: number;
  coSold: number;
  lost: number;
}

export interface ProgramFigures {
  registrationsByStatus: Record<RegistrationStatus, number>;
  timeToDecision: { all: Percentiles; manual: Percentiles };
  conflictRate: { registrations: number; inConflict: number };
  conflicts: { opened: number; open: number; resolved: number; defaulted: number };
  timeToResolve: Percentiles;
  slaBreaches: {
    registrationReviews: number;
    conflictsByTier: { tier: number; role: string; breaches: number }[];
  };
  fairness: {
    byPartnerTier: TierOutcomes[];
    awards: AwardCounts & { decidedCases: number };
    awardsWithDirectParty: AwardCounts & { decidedCases: number };
  };
  grandfathered: {
    currentPolicyVersion: number | null;
    count: number;
    byPolicyVersion: { version: number; count: number }[];
  };
}

/** Registrations a process still acts on: their policy version's terms apply to them. */
const ACTIVE = ['pending_review', 'info_requested', 'in_conflict', 'approved'];
/** A case with a decision that stands (an appeal reopens it: `open` again). */
const DECIDED_CASE = `status IN ('resolved', 'defaulted') AND view ? 'resolution'`;
const SECONDS_BETWEEN = (from: string, to: string) => `EXTRACT(EPOCH FROM ((${to})::timestamptz - (${from})))::float8`;
const AWARD = `view->'resolution'->>'award'`;
/** Decided cases matching `where` by what they awarded, as columns named `<prefix>partner`… */
const AWARD_COUNTS = (where: string, prefix: string) => `
  count(*) FILTER (WHERE ${where} AND ${AWARD} NOT IN ('direct', 'co_sell', 'none'))::int AS ${prefix}partner,
  count(*) FILTER (WHERE ${where} AND ${AWARD} = 'direct')::int AS ${prefix}direct,
  count(*) FILTER (WHERE ${where} AND ${AWARD} = 'co_sell')::int AS ${prefix}co_sell,
  count(*) FILTER (WHERE ${where} AND ${AWARD} = 'none')::int AS ${prefix}none,
  count(*) FILTER (WHERE ${where})::int AS ${prefix}decided`;

type Row = Record<string, unknown>;
const num = (value: unknown): number => Number(value ?? 0);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export function metricsStore(db: Db) {
  const one = async (sql: string, params: unknown[] = []): Promise<Row> => (await db.query<Row>(sql, params))[0];

  async function registrationsByStatus(): Promise<ProgramFigures['registrationsByStatus']> {
    const rows = await db.query<{ status: RegistrationStatus; count: number }>(
      'SELECT status, count(*)::int AS count FROM registrations GROUP BY status',
    );
    const byStatus = Object.fromEntries(REGISTRATION_STATUSES.map((s) => [s, 0])) as Record<RegistrationStatus, number>;
    for (const row of rows) byStatus[row.status] = num(row.count);
    return byStatus;
  }

  async function timeToDecision(): Promise<ProgramFigures['timeToDecision']> {
    const row = await one(`
      WITH decided AS (
        SELECT ${SECONDS_BETWEEN('submitted_at', "view->'decision'->>'decidedAt'")} AS seconds,
               view->'decision'->>'decidedBy' <> 'system:rules' AS manual
        FROM registrations
        WHERE view->'decision'->>'outcome' IN ('approved', 'rejected') AND view->'decision' ? 'decidedAt')
      SELECT count(*)::int AS count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90,
        count(*) FILTER (WHERE manual)::int AS manual_count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE manual) AS manual_median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE manual) AS manual_p90
      FROM decided`);
    return {
      all: { count: num(row.count), medianSeconds: numOrNull(row.median), p90Seconds: numOrNull(row.p90) },
      manual: {
        count: num(row.manual_count),
        medianSeconds: numOrNull(row.manual_median),
        p90Seconds: numOrNull(row.manual_p90),
      },
    };
  }

  async function conflictRate(): Promise<ProgramFigures['conflictRate']> {
    const row = await one(`
      WITH flagged AS (
        SELECT (view ? 'conflictId' OR status = 'in_conflict' OR view->'decision'->>'outcome' = 'in_conflict'
                OR EXISTS (SELECT 1 FROM jsonb_array_elements(view->'timeline') AS entry
                           WHERE entry->>'event' LIKE '%conflict%')) AS in_conflict
        FROM registrations)
      SELECT count(*)::int AS registrations, count(*) FILTER (WHERE in_conflict)::int AS in_conflict FROM flagged`);
    return { registrations: num(row.registrations), inConflict: num(row.in_conflict) };
  }

  async function conflicts(): Promise<ProgramFigures['conflicts']> {
    const row = await one(`
      SELECT count(*)::int AS opened, count(*) FILTER (WHERE status = 'open')::int AS open,
        count(*) FILTER (WHERE status = 'resolved')::int AS resolved,
        count(*) FILTER (WHERE status = 'defaulted')::int AS defaulted
      FROM conflicts`);
    return { opened: num(row.opened), open: num(row.open), resolved: num(row.resolved), defaulted: num(row.defaulted) };
  }

  async function timeToResolve(): Promise<Percentiles> {
    const row = await one(`
      WITH decided AS (
        SELECT ${SECONDS_BETWEEN("(view->>'openedAt')::timestamptz", "view->'resolution'->>'decidedAt'")} AS seconds
        FROM conflicts WHERE ${DECIDED_CASE})
      SELECT count(*)::int AS count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
      FROM decided`);
    return { count: num(row.count), medianSeconds: numOrNull(row.median), p90Seconds: numOrNull(row.p90) };
  }

  async function slaBreaches(): Promise<ProgramFigures['slaBreaches']> {
    const [reviews, byTier] = await Promise.all([
      one(`SELECT COALESCE(sum((view->'review'->>'breaches')::int), 0)::int AS breaches FROM registrations
           WHERE view->'review' ? 'breaches'`),
      db.query<Row>(`
        SELECT (breach->>'tier')::int AS tier, breach->>'role' AS role, count(*)::int AS breaches
        FROM conflicts, jsonb_array_elements(view->'breaches') AS breach
        GROUP BY 1, 2 ORDER BY 1, 2`),
    ]);
    return {
      registrationReviews: num(reviews.breaches),
      conflictsByTier: byTier.map((r) => ({ tier: num(r.tier), role: String(r.role), breaches: num(r.breaches) })),
    };
  }

  async function fairness(): Promise<ProgramFigures['fairness']> {
    const [tiers, awards] = await Promise.all([
      db.query<Row>(`
        SELECT party->>'partnerTier' AS tier, count(*)::int AS parties,
          count(*) FILTER (WHERE ${AWARD} = party->>'registrationId')::int AS won,
          count(*) FILTER (WHERE ${AWARD} = 'co_sell')::int AS co_sold,
          count(*) FILTER (WHERE ${AWARD} IS DISTINCT FROM party->>'registrationId' AND ${AWARD} <> 'co_sell')::int
            AS lost
        FROM conflicts, jsonb_array_elements(view->'parties') AS party
        WHERE ${DECIDED_CASE} AND party->>'kind' = 'partner' AND party ? 'partnerTier'
        GROUP BY 1`),
      one(`
        SELECT ${AWARD_COUNTS('true', '')},
          ${AWARD_COUNTS(`view->'parties' @> '[{"kind":"direct"}]'`, 'direct_party_')}
        FROM conflicts WHERE ${DECIDED_CASE}`),
    ]);
    const byTier = new Map(tiers.map((r) => [String(r.tier), r]));
    const awardsOf = (prefix: string) => ({
      decidedCases: num(awards[`${prefix}decided`]),
      partner: num(awards[`${prefix}partner`]),
      direct: num(awards[`${prefix}direct`]),
      coSell: num(awards[`${prefix}co_sell`]),
      none: num(awards[`${prefix}none`]),
    });
    return {
      byPartnerTier: PARTNER_TIERS.map((tier) => {
        const row = byTier.get(tier) ?? {};
        return { tier, parties: num(row.parties), won: num(row.won), coSold: num(row.co_sold), lost: num(row.lost) };
      }),
      awards: awardsOf(''),
      awardsWithDirectParty: awardsOf('direct_party_'),
    };
  }

  async function grandfathered(): Promise<ProgramFigures['grandfathered']> {
    const [current, rows] = await Promise.all([
      one(`SELECT max(version) AS version FROM policies WHERE status = 'effective'`),
      db.query<Row>(
        `SELECT policy_version AS version, count(*)::int AS count FROM registrations
         WHERE status = ANY($1::text[])
           AND policy_version < (SELECT max(version) FROM policies WHERE status = 'effective')
         GROUP BY 1 ORDER BY 1`,
        [ACTIVE],
      ),
    ]);
    const byPolicyVersion = rows.map((r) => ({ version: num(r.version), count: num(r.count) }));
    return {
      currentPolicyVersion: numOrNull(current?.version),
      count: byPolicyVersion.reduce((sum, r) => sum + r.count, 0),
      byPolicyVersion,
    };
  }

  return {
    /**
     * What the revenue report reads of each registration submitted in [from, to) (either end open),
     * with the standing award of its conflict case. Older rows without a typed amount are left out.
     */
    async dealFacts(period: { from?: string; to?: string }): Promise<DealFacts[]> {
      const rows = await db.query<Row>(
        `SELECT r.id, r.partner_id, r.account_key, r.status, r.submitted_at, r.view->'opportunity'->'amount' AS amount,
           r.view->'closure' AS closure, r.view->>'conflictId' AS conflict_id, c.view->'resolution'->>'award' AS award
         FROM registrations r LEFT JOIN conflicts c ON c.id = r.view->>'conflictId'
         WHERE jsonb_typeof(r.view->'opportunity'->'amount'->'value') = 'number'
           AND ($1::timestamptz IS NULL OR r.submitted_at >= $1::timestamptz)
           AND ($2::timestamptz IS NULL OR r.submitted_at < $2::timestamptz)
         ORDER BY r.submitted_at, r.id`,
        [period.from ?? null, period.to ?? null],
      );
      return rows.map((r) => ({
        id: String(r.id),
        partnerId: String(r.partner_id),
        accountKey: String(r.account_key),
        status: String(r.status),
        submittedAt: new Date(r.submitted_at as string).toISOString(),
        amount: r.amount as DealFacts['amount'],
        ...(r.closure ? { closure: r.closure as DealFacts['closure'] } : {}),
        ...(r.conflict_id ? { conflictId: String(r.conflict_id) } : {}),
        ...(r.award ? { caseAward: String(r.award) } : {}),
      }));
    },

    /** Registered amounts summed by status and currency, as registered (the caller converts them). */
    async amountsByStatus(): Promise<{ status: RegistrationStatus; currency: string; value: number }[]> {
      const rows = await db.query<Row>(`
        SELECT status, view->'opportunity'->'amount'->>'currency' AS currency,
          sum((view->'opportunity'->'amount'->>'value')::numeric) AS value
        FROM registrations WHERE jsonb_typeof(view->'opportunity'->'amount'->'value') = 'number'
        GROUP BY 1, 2 ORDER BY 1, 2`);
      return rows.map((r) => ({
        status: r.status as RegistrationStatus,
        currency: String(r.currency),
        value: num(r.value),
      }));
    },

    /** Every KPI figure at this moment. */
    async programFigures(): Promise<ProgramFigures> {
      const [byStatus, decision, rate, cases, resolve, breaches, fair, grandfather] = await Promise.all([
        registrationsByStatus(),
        timeToDecision(),
        conflictRate(),
        conflicts(),
        timeToResolve(),
        slaBreaches(),
        fairness(),
        grandfathered(),
      ]);
      return {
        registrationsByStatus: byStatus,
        timeToDecision: decision,
        conflictRate: rate,
        conflicts: cases,
        timeToResolve: resolve,
        slaBreaches: breaches,
        fairness: fair,
        grandfathered: grandfather,
      };
    },

    /**
     * The maturity scorecard's facts for [from, to): registrations submitted and conflict cases
     * opened in the period, acknowledgements of the newest version published by `to`, versions
     * published and rollout reviews held in the 365 days up to `to`, and the playbook of
     * `policyVersion` run through the rules engine.
     */
    async maturityFacts(from: Date, to: Date, policyVersion: number): Promise<MaturityFacts> {
      const period = [from.toISOString(), to.toISOString()];
      const yearAgo = new Date(to.getTime() - 365 * 24 * 3600_000).toISOString();
      const [registrations, cases, published, reviews, policy, ratings] = await Promise.all([
        one(
          `WITH period AS (SELECT * FROM registrations WHERE submitted_at >= $1 AND submitted_at < $2)
           SELECT count(*)::int AS registrations,
             count(*) FILTER (WHERE view->'decision'->>'outcome' IN ('approved', 'rejected'))::int AS decisions,
             count(*) FILTER (WHERE view->'decision'->>'outcome' IN ('approved', 'rejected')
                                AND view->'decision'->>'decidedBy' = 'system:rules')::int AS by_rules,
             count(*) FILTER (WHERE view ? 'review')::int AS reviews,
             COALESCE(sum((view->'review'->>'breaches')::int) FILTER (WHERE view->'review' ? 'breaches'), 0)::int
               AS breaches,
             count(*) FILTER (WHERE view ? 'conflictId' OR status = 'in_conflict'
               OR view->'decision'->>'outcome' = 'in_conflict'
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(view->'timeline') AS entry
                          WHERE entry->>'event' LIKE '%conflict%'))::int AS in_conflict,
             count(*) FILTER (WHERE status = 'approved')::int AS approved,
             COALESCE(sum((SELECT count(*) FROM jsonb_array_elements(view->'timeline') AS entry
                            WHERE entry->>'event' = 'progress_update')), 0)::int AS progress_updates
           FROM period`,
          period,
        ),
        one(
          `WITH period AS (SELECT * FROM conflicts
                           WHERE (view->>'openedAt')::timestamptz >= $1 AND (view->>'openedAt')::timestamptz < $2),
           decided AS (
             SELECT ${SECONDS_BETWEEN("(view->>'openedAt')::timestamptz", "view->'resolution'->>'decidedAt'")} AS seconds
             FROM period WHERE ${DECIDED_CASE})
           SELECT (SELECT count(*) FROM period)::int AS opened,
             (SELECT count(*) FROM period WHERE status = 'resolved')::int AS resolved,
             (SELECT count(*) FROM period WHERE status = 'defaulted')::int AS defaulted,
             (SELECT COALESCE(sum(jsonb_array_length(view->'breaches')), 0) FROM period
               WHERE jsonb_typeof(view->'breaches') = 'array')::int AS breaches,
             (SELECT COALESCE(sum(jsonb_array_length(view->'appeals')), 0) FROM period
               WHERE jsonb_typeof(view->'appeals') = 'array')::int AS appeals,
             (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM decided) AS median`,
          period,
        ),
        one(
          `WITH published AS (
             SELECT version, published_at FROM policies
             WHERE status IN ('scheduled', 'effective', 'superseded') AND published_at IS NOT NULL AND published_at < $1),
           latest AS (SELECT max(version) AS version FROM published)
           SELECT (SELECT version FROM latest) AS version,
             (SELECT count(*) FROM partners)::int AS partners,
             (SELECT count(*) FROM policy_acknowledgements a JOIN partners p ON p.id = a.partner_id
               WHERE a.version = (SELECT version FROM latest))::int AS acknowledged,
             (SELECT count(*) FROM published WHERE published_at >= $2)::int AS last_year`,
          [to.toISOString(), yearAgo],
        ),
        one(
          `SELECT count(*)::int AS reviews
           FROM rollouts, jsonb_array_elements(CASE WHEN jsonb_typeof(view->'reviews') = 'array'
                                                    THEN view->'reviews' ELSE '[]'::jsonb END) AS review
           WHERE (review->>'at')::timestamptz >= $1 AND (review->>'at')::timestamptz < $2`,
          [yearAgo, to.toISOString()],
        ),
        one('SELECT document FROM policies WHERE version = $1', [policyVersion]),
        one(
          `SELECT count(*)::int AS ratings, avg(rating)::float8 AS average FROM partner_feedback
           WHERE updated_at >= $1 AND updated_at < $2`,
          period,
        ),
      ]);
      const playbook = policy ? runPlaybook(policy.document as PolicyDocument, policyVersion) : [];
      const median = numOrNull(cases.median);
      return {
        registrations: num(registrations.registrations),
        decisions: num(registrations.decisions),
        decisionsByRules: num(registrations.by_rules),
        manualReviews: num(registrations.reviews) + num(cases.opened),
        slaBreaches: num(registrations.breaches) + num(cases.breaches),
        registrationsInConflict: num(registrations.in_conflict),
        conflictsOpened: num(cases.opened),
        conflictsResolved: num(cases.resolved),
        conflictsDefaulted: num(cases.defaulted),
        medianHoursToResolve: median === null ? null : median / 3600,
        appeals: num(cases.appeals),
        playbookScenarios: playbook.length,
        playbookPassing: playbook.filter((result) => result.passed).length,
        publishedVersion: numOrNull(published.version),
        partners: num(published.partners),
        acknowledged: num(published.acknowledged),
        progressUpdates: num(registrations.progress_updates),
        approvedRegistrations: num(registrations.approved),
        versionsPublishedLastYear: num(published.last_year),
        reviewsHeld: num(reviews.reviews),
        ratings: num(ratings.ratings),
        ratingAverage: numOrNull(ratings.average),
      };
    },
  };
}

export type MetricsStore = ReturnType<typeof metricsStore>;
