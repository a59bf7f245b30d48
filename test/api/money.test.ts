import { randomBytes } from 'node:crypto';
import { startTestStack, type TestStack } from '../helpers/stack';
import type { ApiResponse } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { EXAMPLE_POLICY, type PolicyDocumentInput } from '../../src/domain/policy';
import type { RegistrationView } from '../../workflows/registration/contract';

// Money through the API on the real stack: policy v1 (the seed) is in euros without exchange rates
// and auto-approves gold deals up to 50,000; a later version adds rates for USD and GBP.

const ADMIN = 'dev-admin';
const NORTHWIND = 'dev-partner-northwind'; // gold
const RATES = { USD: 0.92, GBP: 1.17 };

type Problem = { status: number; detail: string; errors?: { path: string; message: string }[] };
type Money = { value: number; currency: string };
type AmountTotal = { currency: string; value: number; unconverted: Money[] };

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('under policy v1: thresholds in EUR, no exchange rates', () => {
  it('sends a gold partner’s USD deal to review instead of auto-approving the bare number, naming USD', async () => {
    const dollars = await registered(aDeal({ value: 20_000, currency: 'USD' }));

    expect(dollars.status).toBe('pending_review');
    expect(dollars.decision).toMatchObject({ outcome: 'pending_review', ruleIds: ['R-DEFAULT', 'AUTO-APPROVE'] });
    expect(dollars.decision!.reason).toBe(
      "Your registration needs a manager's review because its amount in USD cannot be compared with the EUR auto-approval threshold: the policy has no USD rate (route R-DEFAULT, rule AUTO-APPROVE).",
    );
    // The same number in the base currency is auto-approved as before.
    expect((await registered(aDeal({ value: 20_000, currency: 'EUR' }))).status).toBe('approved');
    expect((await registered(aDeal({ value: 10_000, currency: 'GBP' }))).status).toBe('pending_review');
    expect((await registered(aDeal({ value: 1_000_000, currency: 'JPY' }))).status).toBe('pending_review');
  });

  it('refuses a currency that is not an ISO 4217 code with 400 naming opportunity.amount.currency', async () => {
    const res = await register<Problem>(aDeal({ value: 100, currency: 'XXY' }));

    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      { path: 'opportunity.amount.currency', message: 'expected an ISO 4217 currency code, such as "EUR" or "USD"' },
    ]);
  });

  it('refuses an expected close date before the day of submission with 400 naming it, and takes today', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

    const late = await register<Problem>(aDeal({ value: 100, currency: 'EUR' }, yesterday));
    expectProblem(late, 400);
    expect(late.body.errors).toEqual([
      { path: 'opportunity.expectedCloseDate', message: expect.stringContaining(`before the day of submission`) },
    ]);
    const closingToday = await register(aDeal({ value: 100, currency: 'EUR' }, today));
    expect(closingToday.status).toBe(201);
  });
});

describe('policy documents', () => {
  it.each([
    ['a base currency that is not ISO 4217', { currency: 'XXY' }, ['currency']],
    ['a rate for a code that is not a currency', { exchangeRates: { XYZ: 1.5 } }, ['exchangeRates.XYZ']],
    ['a rate that is not positive', { exchangeRates: { USD: 0 } }, ['exchangeRates.USD']],
    ['a rate other than 1 for the base currency', { exchangeRates: { EUR: 0.9 } }, ['exchangeRates.EUR']],
  ])('refuses %s with 400 naming the field', async (_case, money, paths) => {
    const res = await stack.api.call<Problem>('POST', '/api/policies', { token: ADMIN, body: aPolicy(money) });

    expectProblem(res, 400);
    expect(res.body.errors?.map((error) => error.path)).toEqual(paths);
    expect(res.body.errors?.map((error) => error.message)).not.toContain('unknown field');
  });

  it('keeps a base currency and exchange rates, and shows them in the diff as rule changes', async () => {
    const created = await stack.api.call<{ version: number }>('POST', '/api/policies', {
      token: ADMIN,
      body: aPolicy({ currency: 'EUR', exchangeRates: RATES }),
    });
    expect(created.status).toBe(201);
    const read = await stack.api.call<{ document: PolicyDocumentInput }>(
      'GET',
      `/api/policies/${created.body.version}`,
      {
        token: ADMIN,
      },
    );
    expect(read.body.document).toMatchObject({ currency: 'EUR', exchangeRates: RATES });

    const diff = await stack.api.call<{ changes: { path: string; summary: string }[] }>(
      'GET',
      `/api/policies/1/diff/${created.body.version}`,
      { token: ADMIN },
    );
    expect(diff.status).toBe(200);
    expect(diff.body.changes.filter((change) => change.path !== 'title')).toEqual([
      expect.objectContaining({ path: 'exchangeRates[GBP]', summary: 'The GBP exchange rate is set to 1.17.' }),
      expect.objectContaining({ path: 'exchangeRates[USD]', summary: 'The USD exchange rate is set to 0.92.' }),
    ]);
  });
});

describe('a version with USD and GBP rates', () => {
  let version: number;

  beforeAll(async () => {
    const created = await stack.api.call<{ version: number }>('POST', '/api/policies', {
      token: ADMIN,
      body: aPolicy({ exchangeRates: RATES, noticePeriod: 'PT1S' }),
    });
    if (created.status !== 201) throw new Error(`draft answered ${created.status}: ${created.text}`);
    version = created.body.version;
  });

  it('previews its impact with the changed deals summed in EUR at its rates', async () => {
    const impact = await stack.api.call<{
      changed: { amount: Money; newOutcome: string }[];
      changedAmount: AmountTotal;
    }>('GET', `/api/policies/${version}/impact`, { token: ADMIN });

    expect(impact.status).toBe(200);
    // The USD and GBP deals reviewed under v1 would be auto-approved: 18,400 + 11,700 EUR. JPY has no rate.
    const changes = impact.body.changed.map((change) => ({ ...change.amount, newOutcome: change.newOutcome }));
    expect(changes).toHaveLength(2);
    expect(changes).toEqual(
      expect.arrayContaining([
        { value: 20_000, currency: 'USD', newOutcome: 'approved' },
        { value: 10_000, currency: 'GBP', newOutcome: 'approved' },
      ]),
    );
    expect(impact.body.changedAmount).toEqual({ currency: 'EUR', value: 30_100, unconverted: [] });
  });

  it('once effective, converts an amount with its rate: approved at or below 50,000 EUR, reviewed above', async () => {
    const published = await stack.api.call('POST', `/api/policies/${version}/publish`, { token: ADMIN, body: {} });
    expect(published.status).toBe(202);
    await eventually(
      () => stack.api.call<{ version: number }>('GET', '/api/policies/current', { token: ADMIN }),
      (current) => current.body.version === version,
    );

    // 54,000 USD is 49,680 EUR; 45,000 GBP is 52,650 EUR. Compared as bare numbers, each went the other way.
    const dollars = await registered(aDeal({ value: 54_000, currency: 'USD' }));
    const pounds = await registered(aDeal({ value: 45_000, currency: 'GBP' }));

    expect(dollars).toMatchObject({ status: 'approved', policyVersion: version });
    expect(dollars.decision!.reason).toContain('54,000 USD (49,680 EUR at 0.92)');
    expect(pounds).toMatchObject({ status: 'pending_review', policyVersion: version });
    expect(pounds.decision!.reason).toContain(
      '45,000 GBP (52,650 EUR at 1.17) is above the auto-approval threshold of 50,000 EUR',
    );
  });

  it('sums the amounts of GET /api/metrics by status in EUR at the rates of the version in effect', async () => {
    const metrics = await eventually(
      () =>
        stack.api.call<{ amounts: { currency: string; policyVersion: number; byStatus: Record<string, AmountTotal> } }>(
          'GET',
          '/api/metrics',
          { token: ADMIN },
        ),
      (res) => res.status === 200 && res.body.amounts?.byStatus.pending_review.value === 82_750,
    );

    expect(metrics.body.amounts).toMatchObject({ currency: 'EUR', policyVersion: version });
    // Approved: 20,000 + 100 EUR and 54,000 USD (49,680 EUR). Reviewed: 20,000 USD, 10,000 + 45,000 GBP; JPY apart.
    expect(metrics.body.amounts.byStatus.approved).toEqual({ value: 69_780, unconverted: [] });
    expect(metrics.body.amounts.byStatus.pending_review).toEqual({
      value: 18_400 + 64_350,
      unconverted: [{ value: 1_000_000, currency: 'JPY' }],
    });
    expect(metrics.body.amounts.byStatus.rejected).toEqual({ value: 0, unconverted: [] });
  });
});

// ---------------------------------------------------------------- helpers

function aDeal(amount: Money, expectedCloseDate = '2027-06-30') {
  return {
    account: { name: 'Money Test Ltd', domain: `money-${randomBytes(4).toString('hex')}.example`, region: 'emea' },
    opportunity: { title: 'Platform deal', productLine: 'platform', amount, expectedCloseDate },
  };
}

function aPolicy(changes: Partial<PolicyDocumentInput>): PolicyDocumentInput {
  return { ...structuredClone(EXAMPLE_POLICY), title: 'FY27 rules with rates', ...changes };
}

function register<T = RegistrationView>(body: ReturnType<typeof aDeal>): Promise<ApiResponse<T>> {
  return stack.api.call<T>('POST', '/api/registrations', { token: NORTHWIND, body });
}

async function registered(body: ReturnType<typeof aDeal>): Promise<RegistrationView> {
  const res = await register(body);
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
  return res.body;
}

function expectProblem(res: ApiResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}
