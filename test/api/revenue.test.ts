import { parse } from 'csv-parse/sync';
import { startTestStack, type TestStack } from '../helpers/stack';
import { registeredThroughApi, uniqueDomain } from '../helpers/registrations';

// Revenue on the real stack: deals closed won with what was signed and lost, then the report and
// its CSV as ops read them, in the policy's base currency.

jest.setTimeout(120_000);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.close());

const NORTHWIND = 'dev-partner-northwind';
const FABRIKAM = 'dev-partner-fabrikam';
const today = () => new Date().toISOString().slice(0, 10);

async function approvedDeal(token: string, value: number): Promise<string> {
  const registered = await registeredThroughApi(stack, token, 'Acme Widgets', uniqueDomain('acme'), value);
  expect(registered.status).toBe('approved');
  return registered.id;
}

const close = (token: string, id: string, body: Record<string, unknown>) =>
  stack.api.call('POST', `/api/registrations/${id}/close`, { token, body });

describe('closing a deal', () => {
  it('as won records what the customer signed and the day it closed', async () => {
    const id = await approvedDeal(NORTHWIND, 20_000);
    const res = await close(NORTHWIND, id, {
      outcome: 'won',
      amount: { value: 22_500, currency: 'EUR' },
      closedOn: today(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'won',
      closure: { outcome: 'won', amount: { value: 22_500, currency: 'EUR' }, closedOn: today() },
    });
  });

  it('as won without an amount takes the registered one, and today', async () => {
    const id = await approvedDeal(NORTHWIND, 8_000);
    const res = await close(NORTHWIND, id, { outcome: 'won' });
    expect(res.body.closure).toMatchObject({
      outcome: 'won',
      amount: { value: 8_000, currency: 'EUR' },
      closedOn: today(),
    });
  });

  it.each([
    ['a lost deal with an amount', { outcome: 'lost', amount: { value: 1, currency: 'EUR' } }, 'amount'],
    ['a day in the future', { outcome: 'won', closedOn: '2999-01-01' }, 'closedOn'],
    ['a day before the registration', { outcome: 'won', closedOn: '2020-01-01' }, 'closedOn'],
    ['a currency that is not ISO 4217', { outcome: 'won', amount: { value: 1, currency: 'eur' } }, 'amount.currency'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const id = await approvedDeal(FABRIKAM, 1_000);
    const res = await close(FABRIKAM, id, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect((await stack.api.call('GET', `/api/registrations/${id}`, { token: FABRIKAM })).body.status).toBe('approved');
  });
});

describe('the revenue report', () => {
  it('sums the pipeline, won revenue and win rate by route, tier and partner', async () => {
    const lost = await approvedDeal(FABRIKAM, 3_000);
    expect((await close(FABRIKAM, lost, { outcome: 'lost' })).status).toBe(200);
    const res = await stack.api.call('GET', `/api/reports/revenue?from=${today()}`, { token: 'dev-ops' });

    expect(res.status).toBe(200);
    expect(res.body.currency).toBe('EUR');
    // Won: 22,500 + 8,000. Lost: 1. Open: the four refused closes (1,000 each) of fabrikam.
    expect(res.body.total).toMatchObject({
      deals: 7,
      wonDeals: 2,
      lostDeals: 1,
      openDeals: 4,
      won: { value: 30_500 },
      pipeline: { value: 4_000 },
      winRate: 0.6667,
    });
    expect(res.body.byRoute[0]).toMatchObject({ route: 'partner_led', deals: 7 });
    expect(res.body.byPartner).toEqual([
      expect.objectContaining({ partnerId: 'fabrikam', tier: 'platinum', lostDeals: 1, wonDeals: 0, winRate: 0 }),
      expect.objectContaining({ partnerId: 'northwind', tier: 'gold', wonDeals: 2, winRate: 1 }),
    ]);
    expect(res.body.salesCycleDays).toEqual({ count: 2, median: 0, p90: 0 });
    expect(res.body.partnerSourcedShare).toBe(1);
    // Everything closed today: no account had won revenue in the year before the period.
    expect(res.body.netRevenueRetention).toMatchObject({ accounts: 0, base: { value: 0 }, value: null });
    expect(res.body.netRevenueRetention.period.from).toBe(today());
  });

  it('as CSV has a row for the total, each route, tier and partner', async () => {
    const res = await stack.api.call('GET', '/api/reports/revenue/export', { token: 'dev-admin' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ group: 'total', key: 'all', won: '30500.00', currency: 'EUR' });
    expect(rows.filter((r) => r.group === 'route').map((r) => r.key)).toEqual(['partner_led', 'co_sell', 'direct']);
    expect(rows.find((r) => r.group === 'partner' && r.key === 'northwind')).toMatchObject({
      tier: 'gold',
      wonDeals: '2',
    });
  });

  it('is not for partners, and refuses a period that ends before it starts', async () => {
    expect((await stack.api.call('GET', '/api/reports/revenue', { token: NORTHWIND })).status).toBe(403);
    const res = await stack.api.call('GET', '/api/reports/revenue?from=2027-02-01&to=2027-01-01', { token: 'dev-ops' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'to' })]);
  });
});
