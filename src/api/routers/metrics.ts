import { z } from 'zod';
import { CONFLICT_RATE_TARGETS, KPI_RATINGS, RESOLUTION_TIME_TARGETS_SECONDS, ratingOf } from '../../domain/kpiTargets';
import { PARTNER_TIERS } from '../../domain/directory';
import { MATURITY_DIMENSIONS, maturityScorecard, type MaturityScore } from '../../domain/maturity';
import type { Store } from '../../store';
import type { Percentiles, ProgramFigures } from '../../store/metrics';
import { REGISTRATION_STATUSES } from '../../../workflows/registration/contract';
import type { RouteTable } from '../routes';
import { moneyView } from '../schemas';
import { baseCurrencyOf, totalInBaseCurrency } from '../../domain/money';
import type { PolicyDocument } from '../../domain/policy';

// GET /api/metrics: the program's KPIs from the read models. Each field's description is what the
// OpenAPI document tells a reader the number means.

const seconds = (what: string) => z.number().nullable().describe(`${what}, in seconds; null when nothing is counted`);
const percentiles = (what: string) =>
  z.object({
    count: z.number().int().describe(`How many ${what} are counted`),
    medianSeconds: seconds('Median'),
    p90Seconds: seconds('90th percentile (percentile_cont)'),
  });
const rating = z
  .enum(KPI_RATINGS)
  .describe(
    'The figure against its field target: excellent, good, needs_attention, or no_data when nothing is counted',
  );
const awardCounts = z.object({
  decidedCases: z.number().int().describe('Cases with a standing decision (resolved or defaulted)'),
  partner: z.number().int().describe('Awarded to one partner registration'),
  direct: z.number().int().describe('Awarded to the direct team'),
  coSell: z.number().int().describe('Co-sell: every partner registration approved as co-sell'),
  none: z.number().int().describe('Nobody: every partner registration rejected'),
});

const metricsView = z.object({
  generatedAt: z.string().describe('When these figures were computed (ISO 8601)'),
  registrationsByStatus: z
    .object(Object.fromEntries(REGISTRATION_STATUSES.map((s) => [s, z.number().int()])))
    .describe('Registrations in the read model by current status; every status is present, 0 when none'),
  timeToDecision: z
    .object({
      all: percentiles('decisions').describe(
        'Every registration decided approved or rejected: decision.decidedAt − submittedAt, whoever decided',
      ),
      manual: percentiles('decisions').describe(
        'Decisions not taken by the rules engine at submission (decidedBy ≠ system:rules): managers, SLA defaults and conflict cases',
      ),
    })
    .describe(
      'Time from submission to an approve/reject decision; a pending_review or in_conflict first evaluation is not a decision',
    ),
  conflictRate: z
    .object({
      registrations: z.number().int().describe('All registrations'),
      inConflict: z
        .number()
        .int()
        .describe(
          'Registrations that were ever in conflict: a conflictId, status or first decision in_conflict, or a conflict event in the timeline',
        ),
      rate: z.number().nullable().describe('inConflict / registrations (0–1); null without registrations'),
      targets: z
        .object({ good: z.number(), excellent: z.number() })
        .describe('Field targets: under 10 % is good, under 5 % excellent (kpidepot)'),
      rating,
    })
    .describe('Share of registrations that collided with another claim'),
  conflicts: z
    .object({
      opened: z.number().int().describe('Cases ever opened'),
      open: z.number().int().describe('Cases waiting on a decision now (including ones reopened by an appeal)'),
      resolved: z.number().int().describe('Cases decided by a manager'),
      defaulted: z.number().int().describe("Cases decided by the policy's onFinalBreach rule after the last tier"),
    })
    .describe('Conflict cases by status'),
  timeToResolve: percentiles('decided cases')
    .extend({
      targets: z
        .object({ good: z.number(), excellent: z.number() })
        .describe('Field targets in seconds: under 48 h is good, under 24 h excellent'),
      rating,
    })
    .describe('Resolved and defaulted cases: resolution.decidedAt − openedAt'),
  slaBreaches: z
    .object({
      registrationReviews: z
        .number()
        .int()
        .describe('Review SLAs missed, summed over registrations (each escalation or default counts once)'),
      conflictsByTier: z
        .array(
          z.object({
            tier: z.number().int().describe('1-based tier whose deadline passed'),
            role: z.string().describe('The role that held the case at that tier'),
            breaches: z.number().int(),
          }),
        )
        .describe('Conflict deadlines missed, by ladder tier, lowest tier first'),
    })
    .describe('Deadlines that passed without a decision'),
  fairness: z
    .object({
      byPartnerTier: z
        .array(
          z.object({
            tier: z.enum(PARTNER_TIERS),
            parties: z.number().int().describe('Partner claims of this tier in decided cases'),
            won: z.number().int().describe('The case awarded this claim alone'),
            coSold: z.number().int().describe('The case was settled as co-sell'),
            lost: z.number().int().describe('The case awarded another party, the direct team, or nobody'),
          }),
        )
        .describe('Conflict outcomes by the tier each partner had when it claimed; every tier, in ladder order'),
      awards: awardCounts.describe('Decided cases by what they awarded: partner vs direct'),
      awardsWithDirectParty: awardCounts.describe('The same, for cases where the direct team was a party'),
    })
    .describe('Whether conflict outcomes favour some tiers, or the direct team'),
  grandfathered: z
    .object({
      currentPolicyVersion: z.number().int().nullable().describe('The version in effect now'),
      count: z
        .number()
        .int()
        .describe(
          'Active registrations (pending_review, info_requested, in_conflict, approved) under an older version than the one in effect',
        ),
      byPolicyVersion: z.array(z.object({ version: z.number().int(), count: z.number().int() })),
    })
    .describe('Deals still governed by the terms they were registered under'),
  amounts: z
    .object({
      currency: z.string().describe('The base currency of the policy version in effect (EUR when none is)'),
      policyVersion: z.number().int().nullable().describe('The version whose exchange rates converted the amounts'),
      byStatus: z
        .object(
          Object.fromEntries(
            REGISTRATION_STATUSES.map((s) => [
              s,
              z.object({
                value: z.number().describe('Amounts of registrations in this status, in the base currency'),
                unconverted: z
                  .array(moneyView)
                  .describe('Amounts in currencies without a rate in that version, per currency; not in value'),
              }),
            ]),
          ),
        )
        .describe('Every status is present; 0 and no unconverted amounts when none'),
    })
    .describe('Registered amounts by status, summed in the base currency of the version in effect with its rates'),
  maturity: z
    .array(
      z.object({
        dimension: z.enum(MATURITY_DIMENSIONS),
        stage: z
          .union([z.literal(1), z.literal(2), z.literal(3)])
          .describe('1 unwritten & reactive, 2 documented but inconsistent, 3 embedded & data-driven'),
        evidence: z.string().describe('The numbers the stage rests on'),
      }),
    )
    .describe(
      'The maturity-matrix scorecard over the last 90 days for the version in effect: five dimensions, in the seed\'s order (rules in the README, "Maturity scorecard")',
    ),
});

/** The scorecard's period: the 90 days up to now. */
export const MATURITY_PERIOD_DAYS = 90;

export type ProgramMetrics = z.infer<typeof metricsView>;

export function metricsRoutes(table: RouteTable, store: Store): void {
  table.add({
    method: 'get',
    path: '/api/metrics',
    summary: 'Read the program KPIs',
    tag: 'Operations',
    roles: ['admin', 'ops'],
    responses: { 200: { description: 'KPIs computed from the read models now', schema: metricsView } },
    handler: async () => {
      const now = new Date();
      const [figures, maturity, amounts] = await Promise.all([
        store.metrics.programFigures(),
        currentMaturity(store, now),
        currentAmounts(store, now),
      ]);
      return { status: 200, body: programMetrics(figures, now, maturity, amounts) };
    },
  });
}

/** The scorecard of the last 90 days for the version in effect at `now` (no playbook when none is in effect). */
export async function currentMaturity(store: Store, now: Date): Promise<MaturityScore[]> {
  const from = new Date(now.getTime() - MATURITY_PERIOD_DAYS * 24 * 3600_000);
  const current = await store.policies.effectiveAt(now);
  return maturityScorecard(await store.metrics.maturityFacts(from, now, current?.version ?? 0));
}

type Amounts = ProgramMetrics['amounts'];

/** The registered amounts in the base currency of the version in effect at `now`, converted with its rates. */
async function currentAmounts(store: Store, now: Date): Promise<Amounts> {
  const [sums, current] = await Promise.all([store.metrics.amountsByStatus(), store.policies.effectiveAt(now)]);
  const money: Pick<PolicyDocument, 'currency' | 'exchangeRates'> = current?.document ?? {};
  const byStatus = Object.fromEntries(
    REGISTRATION_STATUSES.map((status) => {
      const { value, unconverted } = totalInBaseCurrency(
        sums.filter((sum) => sum.status === status),
        money,
      );
      return [status, { value, unconverted }];
    }),
  );
  return { currency: baseCurrencyOf(money), policyVersion: current?.version ?? null, byStatus };
}

/** The figures with their rates and ratings against the field targets. */
export function programMetrics(
  figures: ProgramFigures,
  now: Date,
  maturity: MaturityScore[],
  amounts: Amounts,
): ProgramMetrics {
  const { registrations, inConflict } = figures.conflictRate;
  const rate = registrations === 0 ? null : inConflict / registrations;
  const resolve: Percentiles = figures.timeToResolve;
  return {
    generatedAt: now.toISOString(),
    ...figures,
    conflictRate: {
      registrations,
      inConflict,
      rate,
      targets: CONFLICT_RATE_TARGETS,
      rating: ratingOf(rate, CONFLICT_RATE_TARGETS),
    },
    timeToResolve: {
      ...resolve,
      targets: RESOLUTION_TIME_TARGETS_SECONDS,
      rating: ratingOf(resolve.medianSeconds, RESOLUTION_TIME_TARGETS_SECONDS),
    },
    amounts,
    maturity,
  };
}
