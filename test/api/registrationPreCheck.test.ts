import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { startTestStack, type TestStack } from '../helpers/stack';
import type { ApiResponse } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { DEV_PARTNERS } from '../../src/devDirectory';
import type { PreCheckAnswer } from '../../src/api/registrationPreCheck';
import type { RegistrationView } from '../../workflows/registration/contract';

// POST /api/registrations/pre-check on the real stack (seeded directory, policy v1): it answers what
// the first evaluation of the same body would decide, and claims, stores and sends nothing.

const ADMIN = 'dev-admin';
const CHANNEL_MANAGER = 'dev-cm-emea';
const NORTHWIND = 'dev-partner-northwind'; // gold: auto-approved up to 50,000 EUR
const CONTOSO = 'dev-partner-contoso'; // silver: always reviewed
const FABRIKAM = 'dev-partner-fabrikam'; // platinum

type Problem = { status: number; detail: string; errors?: { path: string; message: string }[] };
type RegistrationBody = {
  account: { name: string; domain: string; region: string; segment?: string };
  opportunity: {
    title: string;
    productLine: string;
    amount: { value: number; currency: string };
    expectedCloseDate: string;
  };
};

/** A 20,000 EUR analytics deal on an account no one has claimed yet, unless told otherwise. */
function aDeal(changes: { domain?: string; segment?: string; value?: number; currency?: string } = {}) {
  const body: RegistrationBody = {
    account: { name: 'Acme Widgets', domain: changes.domain ?? uniqueDomain(), region: 'emea' },
    opportunity: {
      title: 'Analytics rollout',
      productLine: 'analytics',
      amount: { value: changes.value ?? 20_000, currency: changes.currency ?? 'EUR' },
      expectedCloseDate: '2027-06-30',
    },
  };
  if (changes.segment) body.account.segment = changes.segment;
  return body;
}

const uniqueDomain = () => `precheck-${randomBytes(4).toString('hex')}.example`;

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('the pre-check answers what submitting the same body then decides', () => {
  it.each([
    ['a gold partner’s 20,000 EUR deal is auto-approved', NORTHWIND, {}, 'approved'],
    [
      'a gold partner’s 80,000 EUR deal goes to review above the threshold',
      NORTHWIND,
      { value: 80_000 },
      'pending_review',
    ],
    ['a USD deal goes to review: policy v1 has no USD rate', NORTHWIND, { currency: 'USD' }, 'pending_review'],
    ['a silver partner’s deal goes to review', CONTOSO, {}, 'pending_review'],
    [
      'a strategic account (as the directory has it) is rejected',
      NORTHWIND,
      { domain: 'umbrella.example', segment: 'mid_market' },
      'rejected',
    ],
    [
      'a named direct account is in conflict with the direct team',
      FABRIKAM,
      { domain: 'hooli.example' },
      'in_conflict',
    ],
  ] as const)('%s', async (_case, partner, deal, outcome) => {
    const body = aDeal(deal);

    const checked = await preCheck(partner, body);
    const registration = await submitted(partner, body);

    expect(checked.outcome).toBe(outcome);
    expect(JSON.stringify(checked)).not.toMatch(/Dana|dana\.direct/);
    expectSameDecision(checked, registration);
  });

  it('answers in_conflict for an account a competitor holds, without naming the competitor, as submitting does', async () => {
    const domain = uniqueDomain();
    const competitor = await submitted(FABRIKAM, aDeal({ domain }));
    expect(competitor.status).toBe('approved');

    const checked = await preCheck(NORTHWIND, aDeal({ domain }));
    const text = JSON.stringify(checked);

    expect(checked).toMatchObject({ outcome: 'in_conflict', ruleIds: ['R-DEFAULT', 'EXISTING-CLAIM'] });
    expect(checked.nextStep).toContain('Another registration already holds this account');
    for (const named of ['fabrikam', 'Fabrikam Systems', competitor.id, competitor.workflowId]) {
      expect(text).not.toContain(named);
    }
    expectSameDecision(checked, await submitted(NORTHWIND, aDeal({ domain })));
  });

  it('answers rejected for a partner whose tier may not register, as submitting does', async () => {
    const contoso = DEV_PARTNERS.find((partner) => partner.id === 'contoso')!;
    await putPartner({ ...contoso, tier: 'registered' });
    try {
      const body = aDeal();
      const checked = await preCheck(CONTOSO, body);

      expect(checked).toMatchObject({ outcome: 'rejected', ruleIds: ['R-DEFAULT'] });
      expect(checked.reason).toContain('your partner tier is registered');
      expectSameDecision(checked, await submitted(CONTOSO, body));
    } finally {
      await putPartner(contoso);
    }
  });

  it('says when a review would be due and who would review it', async () => {
    const body = aDeal({ value: 80_000 });
    const checked = await preCheck(NORTHWIND, body);
    const registration = await submitted(NORTHWIND, body);

    expect(checked.review).toMatchObject({ assigneeRole: 'channel_manager', sla: 'PT48H' });
    expect(registration.review!.assigneeRole).toBe(checked.review!.assigneeRole);
    // The pre-check came first: its deadline is never after the real one.
    expect(Date.parse(checked.review!.dueAt)).toBeLessThanOrEqual(Date.parse(registration.review!.dueAt));
  });
});

describe('the pre-check claims nothing', () => {
  it('leaves no registration, no email and no claim: other partners’ pre-checks on the account are not in conflict', async () => {
    const domain = uniqueDomain();
    const before = await registrationIds(NORTHWIND);

    expect((await preCheck(NORTHWIND, aDeal({ domain }))).outcome).toBe('approved');
    expect((await preCheck(NORTHWIND, aDeal({ domain }))).outcome).toBe('approved');
    expect((await preCheck(FABRIKAM, aDeal({ domain }))).outcome).toBe('approved');
    expect((await preCheck(CONTOSO, aDeal({ domain }))).outcome).toBe('pending_review');

    expect(await registrationIds(NORTHWIND)).toEqual(before);
    const domainList = await stack.api.call<{ items: RegistrationView[] }>(
      'GET',
      `/api/registrations?domain=${domain}`,
      { token: ADMIN },
    );
    expect(domainList.body.items).toEqual([]);
    // The account is still free: the first real registration holds it, and only it is told by email.
    expect((await submitted(CONTOSO, aDeal({ domain }))).status).toBe('pending_review');
    const emails = await eventually(
      async () => (await stack.outbox.read()).filter((email) => email.text?.includes(domain)),
      (about) => about.some((email) => recipientsOf(email).includes('carl@contoso.example')),
    );
    const recipients = emails.flatMap(recipientsOf);
    expect(recipients).not.toContain('nora@northwind.example');
    expect(recipients).not.toContain('fiona@fabrikam.example');
  });

  it('takes an Idempotency-Key of its own: a repeat answers again, another body is 422, and a submission under the same key is new', async () => {
    const key = `precheck-${randomBytes(4).toString('hex')}`;
    const body = aDeal();

    const first = await preCheckResponse(NORTHWIND, body, key);
    const repeat = await preCheckResponse(NORTHWIND, body, key);
    const changed = await preCheckResponse(NORTHWIND, aDeal({ domain: body.account.domain, value: 70_000 }), key);
    const registration = await stack.api.call<RegistrationView>('POST', '/api/registrations', {
      token: NORTHWIND,
      body,
      headers: { 'idempotency-key': key },
    });

    expect(first.status).toBe(200);
    expect(repeat.body).toMatchObject({
      outcome: first.body.outcome,
      ruleIds: first.body.ruleIds,
      reason: first.body.reason,
    });
    expect(changed.status).toBe(422);
    expect((changed.body as unknown as Problem).errors).toEqual([
      { path: 'Idempotency-Key', message: expect.any(String) },
    ]);
    expect(registration.status).toBe(201);
    expect(registration.body.status).toBe('approved');
  });
});

describe('the pre-check endpoint', () => {
  it('refuses a bad body with 400 naming the field, as POST /api/registrations does', async () => {
    const body = aDeal({ currency: 'XXY' });

    const checked = await preCheckResponse<Problem>(NORTHWIND, body);
    const registering = await stack.api.call<Problem>('POST', '/api/registrations', { token: NORTHWIND, body });

    expect(checked.status).toBe(400);
    expect(checked.headers.get('content-type')).toContain('application/problem+json');
    expect(checked.body.errors).toEqual(registering.body.errors);
    expect(checked.body.errors?.map((error) => error.path)).toEqual(['opportunity.amount.currency']);
  });

  it('refuses unknown fields with 400', async () => {
    const body = { ...aDeal(), status: 'approved' };

    const checked = await preCheckResponse<Problem>(NORTHWIND, body as unknown as RegistrationBody);

    expect(checked.status).toBe(400);
    expect(checked.body.errors?.map((error) => error.path)).toEqual(['status']);
  });

  it('is for partners: a manager gets 403', async () => {
    const res = await stack.api.call('POST', '/api/registrations/pre-check', { token: CHANNEL_MANAGER, body: aDeal() });

    expect(res.status).toBe(403);
  });

  it('is not taken for a registration id: GET on its path is 405 allowing POST', async () => {
    const res = await stack.api.call('GET', '/api/registrations/pre-check', { token: NORTHWIND });

    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

// ---------------------------------------------------------------- helpers

function expectSameDecision(checked: PreCheckAnswer, registration: RegistrationView): void {
  expect(registration.status).toBe(checked.outcome);
  expect(registration.decision).toMatchObject({
    outcome: checked.outcome,
    ruleIds: checked.ruleIds,
    reason: checked.reason,
  });
  expect(registration.policyVersion).toBe(checked.policyVersion);
}

function preCheckResponse<T = PreCheckAnswer>(
  token: string,
  body: RegistrationBody,
  key?: string,
): Promise<ApiResponse<T>> {
  return stack.api.call<T>('POST', '/api/registrations/pre-check', {
    token,
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
}

async function preCheck(token: string, body: RegistrationBody): Promise<PreCheckAnswer> {
  const res = await preCheckResponse(token, body);
  if (res.status !== 200) throw new Error(`pre-check answered ${res.status}: ${res.text}`);
  return res.body;
}

async function submitted(token: string, body: RegistrationBody): Promise<RegistrationView> {
  const res = await stack.api.call<RegistrationView>('POST', '/api/registrations', { token, body });
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
  return res.body;
}

async function registrationIds(token: string): Promise<string[]> {
  const res = await stack.api.call<{ items: RegistrationView[] }>('GET', '/api/registrations?limit=500', { token });
  return res.body.items.map((registration) => registration.id);
}

function recipientsOf(email: ParsedMail): string[] {
  const to = email.to === undefined ? [] : Array.isArray(email.to) ? email.to : [email.to];
  return to.flatMap((address) => address.value.map((mailbox) => mailbox.address ?? ''));
}

async function putPartner(partner: (typeof DEV_PARTNERS)[number]): Promise<void> {
  const { id, ...body } = partner;
  const res = await stack.api.call('PUT', `/api/directory/partners/${id}`, { token: ADMIN, body });
  if (res.status !== 200 && res.status !== 201) throw new Error(`directory answered ${res.status}: ${res.text}`);
}
