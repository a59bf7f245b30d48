import type { PartnerTier } from './directory';
import { totalInBaseCurrency, type AmountTotal, type Money, type PolicyMoney } from './money';

// Revenue and attribution from the registrations (the seed's pipeline, win rate and partner-sourced
// revenue): each deal's route, what is still open, what was won and lost, how long winning took,
// and what went through a conflict case. Pure: the store reads the facts, this file judges them.

/** One registration as the report reads it. */
export interface DealFacts {
  id: string;
  partnerId: string;
  /** The account's registrable domain: net revenue retention is counted per account. */
  accountKey: string;
  status: string;
  submittedAt: string;
  amount: Money;
  closure?: { outcome: 'won' | 'lost'; amount?: Money; closedOn: string };
  conflictId?: string;
  /** The standing award of its conflict case, if it went through one. */
  caseAward?: string;
}

/**
 * How a deal is sold: `co_sell` when its case awarded a co-sell, `direct` when its case gave the
 * account line to the direct team, else `partner_led`.
 */
export type Route = 'partner_led' | 'co_sell' | 'direct';
export const ROUTES: readonly Route[] = ['partner_led', 'co_sell', 'direct'];

const OPEN_STATUSES = new Set(['submitted', 'pending_review', 'info_requested', 'in_conflict', 'approved']);

export function routeOf(deal: DealFacts): Route {
  if (deal.caseAward === 'co_sell') return 'co_sell';
  if (deal.caseAward === 'direct') return 'direct';
  return 'partner_led';
}

export interface RevenueFigures {
  deals: number;
  /** Open deals (submitted, in review, in conflict or approved): their registered amounts. */
  pipeline: AmountTotal;
  openDeals: number;
  /** Won deals: the amounts signed. */
  won: AmountTotal;
  wonDeals: number;
  lostDeals: number;
  /** wonDeals / (wonDeals + lostDeals); null before any deal closed. */
  winRate: number | null;
}

export interface RevenueReport {
  currency: string;
  period: { from?: string; to?: string };
  total: RevenueFigures;
  byRoute: (RevenueFigures & { route: Route })[];
  byTier: (RevenueFigures & { tier: PartnerTier | 'unknown' })[];
  byPartner: (RevenueFigures & { partnerId: string; tier: PartnerTier | 'unknown' })[];
  /** Days from submission to the day a won deal closed. */
  salesCycleDays: { count: number; median: number | null; p90: number | null };
  /**
   * Of the registered value whose route is settled (every deal but those ceded to the direct team
   * counts as partner-sourced), the share partners brought: (partner_led + co_sell) / all.
   */
  partnerSourcedShare: number | null;
  /**
   * Net revenue retention: what the accounts that brought won revenue in the base period brought
   * in the period after it, over what they brought in the base; null without base revenue.
   */
  netRevenueRetention: {
    basePeriod: { from: string; to: string };
    period: { from: string; to: string };
    accounts: number;
    base: AmountTotal;
    retained: AmountTotal;
    value: number | null;
  };
  /** Deals that went through a conflict case, and how they ended. */
  conflictCost: {
    deals: number;
    registered: AmountTotal;
    byStatus: Record<string, number>;
    won: AmountTotal;
    cededToDirect: AmountTotal;
  };
}

function figures(deals: readonly DealFacts[], policy: PolicyMoney): RevenueFigures {
  const open = deals.filter((d) => OPEN_STATUSES.has(d.status));
  const won = deals.filter((d) => d.closure?.outcome === 'won');
  const lost = deals.filter((d) => d.closure?.outcome === 'lost');
  const closed = won.length + lost.length;
  return {
    deals: deals.length,
    pipeline: totalInBaseCurrency(
      open.map((d) => d.amount),
      policy,
    ),
    openDeals: open.length,
    won: totalInBaseCurrency(
      won.map((d) => d.closure!.amount ?? d.amount),
      policy,
    ),
    wonDeals: won.length,
    lostDeals: lost.length,
    winRate: closed ? round(won.length / closed) : null,
  };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** The q-quantile of sorted values, interpolated as percentile_cont does. */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return Math.round((sorted[low] + (sorted[high] - sorted[low]) * (at - low)) * 10) / 10;
}

const DAY_MS = 86_400_000;

/**
 * Net revenue retention over [from, to) against the period of the same length before it, from
 * won deals by the day they closed (every deal, whenever it was submitted).
 */
export function netRevenueRetention(
  deals: readonly DealFacts[],
  policy: PolicyMoney,
  period: { from: string; to: string },
): RevenueReport['netRevenueRetention'] {
  const length = Date.parse(period.to) - Date.parse(period.from);
  const basePeriod = { from: new Date(Date.parse(period.from) - length).toISOString().slice(0, 10), to: period.from };
  const wonIn = (p: { from: string; to: string }) =>
    deals.filter((d) => d.closure?.outcome === 'won' && d.closure.closedOn >= p.from && d.closure.closedOn < p.to);
  const inBase = wonIn(basePeriod);
  const accounts = new Set(inBase.map((d) => d.accountKey));
  const amount = (d: DealFacts) => d.closure!.amount ?? d.amount;
  const base = totalInBaseCurrency(inBase.map(amount), policy);
  const retained = totalInBaseCurrency(
    wonIn(period)
      .filter((d) => accounts.has(d.accountKey))
      .map(amount),
    policy,
  );
  return {
    basePeriod,
    period,
    accounts: accounts.size,
    base,
    retained,
    value: base.value > 0 ? round(retained.value / base.value) : null,
  };
}

export function revenueReport(
  deals: readonly DealFacts[],
  tierOf: (partnerId: string) => PartnerTier | undefined,
  policy: PolicyMoney,
  period: { from?: string; to?: string } = {},
  retention: RevenueReport['netRevenueRetention'] = netRevenueRetention(deals, policy, lastYear()),
): RevenueReport {
  const groupBy = <K extends string>(key: (d: DealFacts) => K) => {
    const groups = new Map<K, DealFacts[]>();
    for (const deal of deals) groups.set(key(deal), [...(groups.get(key(deal)) ?? []), deal]);
    return groups;
  };
  const tier = (d: DealFacts) => tierOf(d.partnerId) ?? 'unknown';
  const cycles = deals
    .filter((d) => d.closure?.outcome === 'won')
    .map(
      (d) =>
        (Date.parse(`${d.closure!.closedOn}T00:00:00Z`) - Date.parse(d.submittedAt.slice(0, 10) + 'T00:00:00Z')) /
        DAY_MS,
    )
    .sort((a, b) => a - b);
  const registeredByRoute = (route: Route) =>
    totalInBaseCurrency(
      deals.filter((d) => routeOf(d) === route).map((d) => d.amount),
      policy,
    ).value;
  const sourced = registeredByRoute('partner_led') + registeredByRoute('co_sell');
  const all = sourced + registeredByRoute('direct');
  const throughCases = deals.filter((d) => d.conflictId);
  const byStatus: Record<string, number> = {};
  for (const d of throughCases) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
  return {
    currency: totalInBaseCurrency([], policy).currency,
    period,
    total: figures(deals, policy),
    byRoute: ROUTES.map((route) => ({ route, ...figures(groupBy(routeOf).get(route) ?? [], policy) })),
    byTier: [...groupBy(tier)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([t, group]) => ({ tier: t, ...figures(group, policy) })),
    byPartner: [...groupBy((d) => d.partnerId)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([partnerId, group]) => ({ partnerId, tier: tierOf(partnerId) ?? 'unknown', ...figures(group, policy) })),
    salesCycleDays: { count: cycles.length, median: quantile(cycles, 0.5), p90: quantile(cycles, 0.9) },
    partnerSourcedShare: all > 0 ? round(sourced / all) : null,
    netRevenueRetention: retention,
    conflictCost: {
      deals: throughCases.length,
      registered: totalInBaseCurrency(
        throughCases.map((d) => d.amount),
        policy,
      ),
      byStatus,
      won: totalInBaseCurrency(
        throughCases.filter((d) => d.closure?.outcome === 'won').map((d) => d.closure!.amount ?? d.amount),
        policy,
      ),
      cededToDirect: totalInBaseCurrency(
        throughCases.filter((d) => routeOf(d) === 'direct').map((d) => d.amount),
        policy,
      ),
    },
  };
}

/** The 365 days up to today (UTC days): the default period of net revenue retention. */
export function lastYear(now = new Date()): { from: string; to: string } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return { from: new Date(to.getTime() - 365 * DAY_MS).toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}
