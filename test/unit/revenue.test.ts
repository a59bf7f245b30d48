import { netRevenueRetention, revenueReport, routeOf, type DealFacts } from '../../src/domain/revenue';

// The revenue report's arithmetic on hand-checkable deals: EUR base, USD at 0.9, GBP without a rate.

const POLICY = { currency: 'EUR', exchangeRates: { USD: 0.9 } };
const eur = (value: number) => ({ value, currency: 'EUR' });

const deal = (over: Partial<DealFacts> & Pick<DealFacts, 'id'>): DealFacts => ({
  partnerId: 'northwind',
  accountKey: `${over.id}.example`,
  status: 'approved',
  submittedAt: '2027-01-01T10:00:00.000Z',
  amount: eur(10_000),
  ...over,
});

const DEALS: DealFacts[] = [
  deal({ id: 'open', amount: eur(10_000) }),
  deal({ id: 'won', status: 'won', closure: { outcome: 'won', amount: eur(12_000), closedOn: '2027-01-31' } }),
  deal({
    id: 'won-default',
    status: 'won',
    closure: { outcome: 'won', closedOn: '2027-03-02' },
    amount: { value: 1_000, currency: 'USD' },
  }),
  deal({ id: 'lost', status: 'lost', closure: { outcome: 'lost', closedOn: '2027-02-01' } }),
  deal({ id: 'cosold', partnerId: 'contoso', conflictId: 'cf-1', caseAward: 'co_sell', amount: eur(5_000) }),
  deal({
    id: 'to-direct',
    partnerId: 'contoso',
    status: 'rejected',
    conflictId: 'cf-2',
    caseAward: 'direct',
    amount: eur(20_000),
  }),
  deal({ id: 'pounds', partnerId: 'fabrikam', amount: { value: 700, currency: 'GBP' } }),
];
const TIERS: Record<string, 'gold' | 'silver'> = { northwind: 'gold', contoso: 'silver' };

describe('the revenue report', () => {
  const report = revenueReport(DEALS, (id) => TIERS[id], POLICY, { from: '2027-01-01' });

  it('routes a deal by its conflict case: co-sell, ceded to direct, else partner-led', () => {
    expect(DEALS.map(routeOf)).toEqual([
      'partner_led',
      'partner_led',
      'partner_led',
      'partner_led',
      'co_sell',
      'direct',
      'partner_led',
    ]);
  });

  it('sums the open pipeline and the won amounts in the base currency, keeping what has no rate apart', () => {
    expect(report.currency).toBe('EUR');
    expect(report.total.pipeline).toEqual({
      currency: 'EUR',
      value: 15_000,
      unconverted: [{ currency: 'GBP', value: 700 }],
    });
    // 12,000 signed + 1,000 USD registered (no signed amount) at 0.9.
    expect(report.total.won).toEqual({ currency: 'EUR', value: 12_900, unconverted: [] });
    expect(report.total).toMatchObject({ deals: 7, openDeals: 3, wonDeals: 2, lostDeals: 1, winRate: 0.6667 });
  });

  it('gives the figures per route, tier and partner', () => {
    expect(report.byRoute.map((r) => [r.route, r.deals])).toEqual([
      ['partner_led', 5],
      ['co_sell', 1],
      ['direct', 1],
    ]);
    expect(report.byTier.map((t) => [t.tier, t.deals])).toEqual([
      ['gold', 4],
      ['silver', 2],
      ['unknown', 1],
    ]);
    expect(report.byPartner.find((p) => p.partnerId === 'northwind')).toMatchObject({
      tier: 'gold',
      wonDeals: 2,
      winRate: 0.6667,
    });
  });

  it('measures the sales cycle of won deals in days: median and 90th percentile', () => {
    // 30 and 60 days after 1 January.
    expect(report.salesCycleDays).toEqual({ count: 2, median: 45, p90: 57 });
  });

  it('counts partner-sourced value over all registered value, and what conflicts cost', () => {
    // Converted registered value: 10,000 + 10,000 + 900 + 10,000 + 5,000 partner-sourced; 20,000 ceded.
    expect(report.partnerSourcedShare).toBe(Math.round((35_900 / 55_900) * 10_000) / 10_000);
    expect(report.conflictCost).toMatchObject({
      deals: 2,
      registered: { value: 25_000 },
      byStatus: { approved: 1, rejected: 1 },
      won: { value: 0 },
      cededToDirect: { value: 20_000 },
    });
  });

  it('counts net revenue retention per account: won in the period over won in the period before', () => {
    const won = (id: string, account: string, value: number, closedOn: string): DealFacts =>
      deal({ id, accountKey: account, status: 'won', closure: { outcome: 'won', amount: eur(value), closedOn } });
    const history = [
      won('a1', 'acme.example', 10_000, '2026-03-01'),
      won('b1', 'globex.example', 5_000, '2026-06-01'),
      won('a2', 'acme.example', 12_000, '2027-02-01'),
      // New in the period: not retained revenue.
      won('c1', 'initech.example', 9_000, '2027-03-01'),
    ];
    const retention = netRevenueRetention(history, POLICY, { from: '2027-01-01', to: '2028-01-01' });
    expect(retention.basePeriod).toEqual({ from: '2026-01-01', to: '2027-01-01' });
    expect(retention).toMatchObject({ accounts: 2, base: { value: 15_000 }, retained: { value: 12_000 }, value: 0.8 });
    expect(netRevenueRetention([], POLICY, { from: '2027-01-01', to: '2028-01-01' }).value).toBeNull();
  });

  it('has no rates to report before any deal closed', () => {
    const empty = revenueReport([], () => undefined, POLICY);
    expect(empty.total).toMatchObject({ deals: 0, winRate: null });
    expect(empty.salesCycleDays).toEqual({ count: 0, median: null, p90: null });
    expect(empty.partnerSourcedShare).toBeNull();
  });
});
