import { z } from 'zod';
import type { Store } from '../../store';
import { allOf } from '../../store/directory';
import {
  ROUTES,
  lastYear,
  netRevenueRetention,
  revenueReport,
  type RevenueFigures,
  type RevenueReport,
} from '../../domain/revenue';
import { toCsv } from '../../imports/csv';
import type { RouteTable } from '../routes';
import { badRequest } from '../problem';
import { amountTotalView } from '../schemas';

// GET /api/reports/revenue: pipeline, won revenue, win rate, sales cycle, partner-sourced share and
// the cost of conflicts, by route, tier and partner, in the base currency of the policy in effect.

const READERS = ['admin', 'ops', 'manager'] as const;

const figuresView = z.object({
  deals: z.number().int().describe('Registrations counted'),
  pipeline: amountTotalView.describe('Open deals (submitted, in review, in conflict, approved): registered amounts'),
  openDeals: z.number().int(),
  won: amountTotalView.describe('Won deals: the amounts signed (the registered amount when none was given)'),
  wonDeals: z.number().int(),
  lostDeals: z.number().int(),
  winRate: z.number().nullable().describe('wonDeals / (wonDeals + lostDeals), 0–1; null before any deal closed'),
});

const reportView = z.object({
  currency: z.string().describe('The base currency of the policy in effect now: every amount is in it'),
  period: z.object({ from: z.string().optional(), to: z.string().optional() }),
  total: figuresView,
  byRoute: z
    .array(figuresView.extend({ route: z.enum(ROUTES) }))
    .describe(
      'partner_led; co_sell (its conflict case awarded a co-sell); direct (its case gave the line to the direct team)',
    ),
  byTier: z.array(figuresView.extend({ tier: z.string() })),
  byPartner: z.array(figuresView.extend({ partnerId: z.string(), tier: z.string() })),
  salesCycleDays: z
    .object({ count: z.number().int(), median: z.number().nullable(), p90: z.number().nullable() })
    .describe('Days from submission to the day a won deal closed'),
  partnerSourcedShare: z
    .number()
    .nullable()
    .describe('Registered value of partner_led and co_sell deals over all registered value (0–1)'),
  netRevenueRetention: z
    .object({
      basePeriod: z.object({ from: z.string(), to: z.string() }),
      period: z.object({ from: z.string(), to: z.string() }),
      accounts: z.number().int().describe('Accounts with won revenue closed in the base period'),
      base: amountTotalView.describe('Their won revenue closed in the base period'),
      retained: amountTotalView.describe('Their won revenue closed in the period'),
      value: z.number().nullable().describe('retained / base; null without base revenue'),
    })
    .describe(
      'Net revenue retention: the period is from–to (default the last 365 days), the base the period of the same length before it; by the day won deals closed',
    ),
  conflictCost: z
    .object({
      deals: z.number().int().describe('Registrations that went through a conflict case'),
      registered: amountTotalView,
      byStatus: z.record(z.string(), z.number().int()).describe('Those registrations by their status now'),
      won: amountTotalView.describe('What of them was won anyway'),
      cededToDirect: amountTotalView.describe('Registered value of those whose case gave the line to the direct team'),
    })
    .describe('What conflicts cost: the deals that went through a case and how they ended'),
});

const periodQuery = z
  .strictObject({
    from: z.iso.date().optional().describe('Registrations submitted on or after this day (UTC)'),
    to: z.iso.date().optional().describe('…and before this day (UTC)'),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.to <= q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  });

async function reportOf(store: Store, period: { from?: string; to?: string }): Promise<RevenueReport> {
  const [deals, every, policy, partners] = await Promise.all([
    store.metrics.dealFacts({
      ...(period.from ? { from: `${period.from}T00:00:00Z` } : {}),
      ...(period.to ? { to: `${period.to}T00:00:00Z` } : {}),
    }),
    // Retention reads won deals by the day they closed, whenever they were submitted.
    store.metrics.dealFacts({}),
    store.policies.effectiveAt(new Date()),
    allOf((limit, cursor) => store.directory.listPartners(limit, cursor)),
  ]);
  if (!policy) throw badRequest('no policy is in effect: there is no base currency to report in');
  const tiers = new Map(partners.map((p) => [p.id, p.tier]));
  const defaults = lastYear();
  const retentionPeriod = { from: period.from ?? defaults.from, to: period.to ?? defaults.to };
  const retention = netRevenueRetention(every, policy.document, retentionPeriod);
  return revenueReport(deals, (id) => tiers.get(id), policy.document, period, retention);
}

const CSV_COLUMNS = [
  'group',
  'key',
  'tier',
  'deals',
  'openDeals',
  'pipeline',
  'wonDeals',
  'won',
  'lostDeals',
  'winRate',
  'currency',
] as const;

function csvRow(group: string, key: string, tier: string, f: RevenueFigures, currency: string): Record<string, string> {
  return {
    group,
    key,
    tier,
    deals: String(f.deals),
    openDeals: String(f.openDeals),
    pipeline: f.pipeline.value.toFixed(2),
    wonDeals: String(f.wonDeals),
    won: f.won.value.toFixed(2),
    lostDeals: String(f.lostDeals),
    winRate: f.winRate === null ? '' : String(f.winRate),
    currency,
  };
}

export function reportRoutes(table: RouteTable, store: Store): void {
  table.add({
    method: 'get',
    path: '/api/reports/revenue',
    summary:
      'Revenue and attribution: pipeline, won revenue, win rate, sales cycle, partner-sourced share, conflict cost',
    tag: 'Metrics',
    roles: READERS,
    query: periodQuery,
    responses: { 200: { description: 'The report', schema: reportView } },
    handler: async ({ query }) => ({ status: 200, body: await reportOf(store, query) }),
  });

  table.add({
    method: 'get',
    path: '/api/reports/revenue/export',
    summary: 'The revenue report as CSV: one row for the total, each route, tier and partner',
    tag: 'Metrics',
    roles: READERS,
    query: periodQuery,
    responses: { 200: { description: 'The report as CSV', schema: z.string(), contentType: 'text/csv' } },
    handler: async ({ query }) => {
      const report = await reportOf(store, query);
      const rows = [
        csvRow('total', 'all', '', report.total, report.currency),
        ...report.byRoute.map((r) => csvRow('route', r.route, '', r, report.currency)),
        ...report.byTier.map((r) => csvRow('tier', r.tier, r.tier, r, report.currency)),
        ...report.byPartner.map((r) => csvRow('partner', r.partnerId, r.tier, r, report.currency)),
      ];
      return { status: 200, text: { contentType: 'text/csv; charset=utf-8', body: toCsv(CSV_COLUMNS, rows) } };
    },
  });
}
