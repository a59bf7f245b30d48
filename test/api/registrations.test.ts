import { randomBytes } from 'node:crypto';
import { startTestStack, type TestStack } from '../helpers/stack';
import type { ApiResponse } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { addBusinessMillis, businessMillisBetween, deadlineAfter } from '../../src/domain/calendar';
import { EXAMPLE_POLICY, validatePolicyDocument, type PolicyDocument } from '../../src/domain/policy';
import type { RegistrationView } from '../../workflows/registration/contract';

// Deal registration through the API on the real stack: dev server, store, product worker, outbox.

const ADMIN = 'dev-admin';
const OPS = 'dev-ops';
const CHANNEL_MANAGER = 'dev-cm-emea';
const REGIONAL_DIRECTOR = 'dev-rd-emea';
const VP = 'dev-vp';
const NORTHWIND = 'dev-partner-northwind'; // gold: auto-approved up to 50,000
const CONTOSO = 'dev-partner-contoso'; // silver: always reviewed
const FABRIKAM = 'dev-partner-fabrikam'; // platinum

const DAY_MS = 24 * 60 * 60 * 1000;
const POLICY_V1: PolicyDocument = policyOf(EXAMPLE_POLICY);

type RegistrationBody = {
  account: { name: string; domain: string; region: string; segment?: string };
  opportunity: {
    title: string;
    productLine: string;
    amount: { value: number; currency: string };
    expectedCloseDate: string;
  };
};

/** A registration request on an account no one has claimed yet, unless told otherwise. */
class RegistrationBuilder {
  private readonly body: RegistrationBody = {
    account: { name: 'Acme Widgets', domain: uniqueDomain(), region: 'emea' },
    opportunity: {
      title: 'Analytics rollout',
      productLine: 'analytics',
      amount: { value: 20_000, currency: 'EUR' },
      expectedCloseDate: '2027-06-30',
    },
  };

  onAccount(domain: string, name = this.body.account.name): this {
    this.body.account = { ...this.body.account, domain, name };
    return this;
  }

  inRegion(region: string): this {
    this.body.account.region = region;
    return this;
  }

  forProductLine(productLine: string): this {
    this.body.opportunity.productLine = productLine;
    return this;
  }

  worth(value: number, currency = 'EUR'): this {
    this.body.opportunity.amount = { value, currency };
    return this;
  }

  build(): RegistrationBody {
    return structuredClone(this.body);
  }
}

const aRegistration = () => new RegistrationBuilder();

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('submitting a registration', () => {
  it('answers 201 with the registration after its first evaluation, its decision and a Location', async () => {
    const res = await register(NORTHWIND, aRegistration());

    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/registrations/${res.body.id}`);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^reg-[0-9a-f]{16}$/),
      workflowId: `registration-${res.body.id}`,
      partnerId: 'northwind',
      status: 'approved',
      policyVersion: 1,
      decision: {
        outcome: 'approved',
        ruleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
        decidedBy: 'system:rules',
        reason: expect.stringContaining('approved automatically'),
      },
    });
    expect(Date.parse(res.body.decision!.decidedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.submittedAt));
    const read = await stack.api.call('GET', res.headers.get('location')!, { token: NORTHWIND });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: res.body.id, status: 'approved' });
  });

  it('protects an auto-approved gold deal for the 90 days of policy version 1', async () => {
    const before = Date.now();
    const approved = await registered(NORTHWIND, aRegistration().worth(50_000));

    expect(approved.status).toBe('approved');
    const expiresAt = Date.parse(approved.expiresAt!);
    expect(expiresAt).toBe(Date.parse(approved.decision!.decidedAt) + 90 * DAY_MS);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 90 * DAY_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 90 * DAY_MS);
  });

  it('rejects a registration on a strategic account and names R-STRATEGIC', async () => {
    const rejected = await registered(NORTHWIND, aRegistration().onAccount('umbrella.example', 'Umbrella Group'));

    expect(rejected.status).toBe('rejected');
    expect(rejected.decision).toMatchObject({
      outcome: 'rejected',
      ruleIds: ['R-STRATEGIC'],
      decidedBy: 'system:rules',
    });
    expect(rejected.decision!.reason).toContain('R-STRATEGIC');
    expect(rejected.expiresAt).toBeUndefined();
    expectProblem(await act(NORTHWIND, rejected.id, 'withdraw', { reason: 'never mind' }), 409);
  });

  it('sends an enterprise deal to a channel manager, due 48 business hours later', async () => {
    const pending = await registered(
      NORTHWIND,
      aRegistration().onAccount('globex.example', 'Globex Corporation').forProductLine(uniqueLine()),
    );

    expect(pending.status).toBe('pending_review');
    expect(pending.decision).toMatchObject({ outcome: 'pending_review', ruleIds: ['R-ENTERPRISE'] });
    expect(pending.review?.assigneeRole).toBe('channel_manager');
    const assignedAt = Date.parse(pending.decision!.decidedAt);
    expect(Date.parse(pending.review!.dueAt)).toBe(deadlineAfter(assignedAt, 'PT48H', POLICY_V1.calendar, 'business'));
    expect(Date.parse(pending.review!.dueAt)).toBeGreaterThan(Date.now());
  });

  it('puts a registration on a named direct account in conflict with the direct team', async () => {
    const contested = await registered(
      FABRIKAM,
      aRegistration().onAccount('hooli.example', 'Hooli').forProductLine(uniqueLine()),
    );

    expect(contested.status).toBe('in_conflict');
    expect(contested.decision?.ruleIds).toContain('NAMED-DIRECT-ACCOUNT');
    expect(contested.decision?.decidedBy).toBe('system:rules');
  });

  it('identifies the account by its registrable domain', async () => {
    const res = await registered(
      NORTHWIND,
      aRegistration().onAccount('https://Sales.Initech.example/x', 'Initech').forProductLine(uniqueLine()),
    );

    expect(res.account.domain).toBe('initech.example');
    // The directory's record of the account wins over what the partner leaves out.
    expect(res.account.segment).toBe('mid_market');
  });

  it.each([
    ['an unknown top-level field', (b: Json) => ({ ...b, vip: true }), 'vip'],
    ['an unknown account field', (b: Json) => at(b, 'account.owner', 'me'), 'account.owner'],
    ['a lowercase currency', (b: Json) => at(b, 'opportunity.amount.currency', 'eur'), 'opportunity.amount.currency'],
    [
      'an impossible close date',
      (b: Json) => at(b, 'opportunity.expectedCloseDate', '2027-02-30'),
      'opportunity.expectedCloseDate',
    ],
    [
      'a close date that is not ISO',
      (b: Json) => at(b, 'opportunity.expectedCloseDate', '30/06/2027'),
      'opportunity.expectedCloseDate',
    ],
    ['a negative amount', (b: Json) => at(b, 'opportunity.amount.value', -1), 'opportunity.amount.value'],
    ['a domain that is not a domain name', (b: Json) => at(b, 'account.domain', 'not a domain'), 'account.domain'],
    ['an IP address as domain', (b: Json) => at(b, 'account.domain', '10.0.0.1'), 'account.domain'],
    ['a bare public suffix as domain', (b: Json) => at(b, 'account.domain', 'co.uk'), 'account.domain'],
    ['a region that is not a slug', (b: Json) => at(b, 'account.region', 'EMEA!'), 'account.region'],
    [
      'a product line with spaces',
      (b: Json) => at(b, 'opportunity.productLine', 'Big Data'),
      'opportunity.productLine',
    ],
  ])('refuses %s with 400 naming the field', async (_case, change, path) => {
    const res = await stack.api.call<Problem>('POST', '/api/registrations', {
      token: NORTHWIND,
      body: change(aRegistration().build() as unknown as Json),
    });

    expectProblem(res, 400);
    expect(res.body.errors?.map((e) => e.path)).toEqual([path]);
  });

  it.each([ADMIN, OPS, CHANNEL_MANAGER, VP])('lets only partners register (%s → 403)', async (token) => {
    const res = await stack.api.call('POST', '/api/registrations', { token, body: aRegistration().build() });
    expectProblem(res, 403);
  });

  it('asks for a token before anything else', async () => {
    expectProblem(await stack.api.call('POST', '/api/registrations', { body: aRegistration().build() }), 401);
  });
});

describe('ten simultaneous registrations of one account and product line', () => {
  it('leave exactly one holder; the other nine are in conflict', async () => {
    const domain = uniqueDomain();
    const account = await stack.api.call('PUT', `/api/directory/accounts/${domain}`, {
      token: ADMIN,
      body: { name: 'Contested GmbH', segment: 'mid_market', region: 'emea' },
    });
    expect(account.status).toBe(201);
    const tokens = await Promise.all(
      Array.from({ length: 10 }, (_, i) => partnerToken(`racer-${i}-${suffix()}`, i % 2 ? 'gold' : 'silver')),
    );

    const responses = await Promise.all(
      tokens.map((token, i) =>
        register(token, aRegistration().onAccount(domain, 'Contested GmbH'), { idempotencyKey: `race-${i}` }),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const statuses = responses.map((r) => r.body.status);
    const holders = responses.filter((r) => ['approved', 'pending_review'].includes(r.body.status));
    expect(holders).toHaveLength(1);
    expect(statuses.filter((s) => s === 'in_conflict')).toHaveLength(9);
    for (const loser of responses.filter((r) => r.body.status === 'in_conflict')) {
      expect(loser.body.decision?.ruleIds).toEqual(['R-DEFAULT', 'EXISTING-CLAIM']);
      // A partner never learns who holds the claim.
      expect(JSON.stringify(loser.body)).not.toContain(holders[0].body.partnerId);
    }
    const listed = await list(OPS, `domain=${domain}&limit=50`);
    expect(listed.items).toHaveLength(10);
    expect(listed.items.filter((v) => v.status === 'in_conflict')).toHaveLength(9);
  });
});

describe('idempotent submission', () => {
  it('returns the same registration for a repeated Idempotency-Key and starts nothing new', async () => {
    const request = aRegistration();
    const key = `order-${suffix()}`;

    const first = await register(NORTHWIND, request, { idempotencyKey: key });
    const again = await register(NORTHWIND, request, { idempotencyKey: key });
    const concurrent = await Promise.all([1, 2, 3].map(() => register(NORTHWIND, request, { idempotencyKey: key })));

    expect(first.status).toBe(201);
    for (const repeat of [again, ...concurrent]) {
      expect(repeat.status).toBeLessThan(300);
      expect(repeat.body.id).toBe(first.body.id);
      expect(repeat.body.submittedAt).toBe(first.body.submittedAt);
    }
    expect((await list(OPS, `domain=${first.body.account.domain}`)).items.map((v) => v.id)).toEqual([first.body.id]);
    await expectOneWorkflow(first.body.workflowId);
    const trail = await stack.api.call<{ items: AuditEvent[] }>(
      'GET',
      `/api/audit?subject=registration:${first.body.id}`,
      {
        token: OPS,
      },
    );
    expect(trail.body.items.filter((e) => e.action === 'registration.submitted')).toHaveLength(1);
  });

  it('starts one registration when the first submissions with a key arrive together', async () => {
    const request = aRegistration();
    const key = `order-${suffix()}`;

    const responses = await Promise.all([1, 2, 3, 4].map(() => register(NORTHWIND, request, { idempotencyKey: key })));

    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.map((r) => r.body.status)).toEqual(Array(4).fill('approved'));
    const domain = request.build().account.domain;
    expect((await list(OPS, `domain=${domain}`)).items).toHaveLength(1);
    await expectOneWorkflow(responses[0].body.workflowId);
  });

  it('returns the finished registration for a key repeated after its process ended', async () => {
    const request = aRegistration().onAccount('umbrella.example', 'Umbrella Group').forProductLine(uniqueLine());
    const key = `order-${suffix()}`;
    const rejected = await registered(FABRIKAM, request, { idempotencyKey: key });
    await workflowClosed(rejected.workflowId);

    const again = await register(FABRIKAM, request, { idempotencyKey: key });

    expect(again.status).toBeLessThan(300);
    expect(again.body).toMatchObject({ id: rejected.id, status: 'rejected', submittedAt: rejected.submittedAt });
    await expectOneWorkflow(rejected.workflowId);
  });

  it('gives another partner using the same key a registration of its own', async () => {
    const key = `order-${suffix()}`;
    const mine = await registered(NORTHWIND, aRegistration(), { idempotencyKey: key });
    const theirs = await registered(CONTOSO, aRegistration(), { idempotencyKey: key });

    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.partnerId).toBe('contoso');
  });

  it('refuses an Idempotency-Key that is not visible ASCII', async () => {
    const res = await register(NORTHWIND, aRegistration(), { idempotencyKey: 'x'.repeat(201) });
    expectProblem(res, 400);
  });
});

describe('partner isolation', () => {
  let theirs: RegistrationView;

  beforeAll(async () => {
    theirs = await registered(NORTHWIND, aRegistration());
  });

  it("answers 404 problem+json when a partner reads another partner's registration, as if it did not exist", async () => {
    const missing = 'reg-0000000000000000';
    const res = await stack.api.call<Problem>('GET', `/api/registrations/${theirs.id}`, { token: CONTOSO });
    const none = await stack.api.call<Problem>('GET', `/api/registrations/${missing}`, { token: CONTOSO });

    expectProblem(res, 404);
    expect(res.text).not.toContain('northwind');
    expect({ ...res.body, detail: res.body.detail.replace(theirs.id, '<id>') }).toEqual({
      ...none.body,
      detail: none.body.detail.replace(missing, '<id>'),
    });
  });

  it.each([
    ['info', { message: 'here you go' }],
    ['extensions', { reason: 'need more time' }],
    ['updates', { note: 'meeting booked' }],
    ['close', { outcome: 'lost' }],
    ['withdraw', { reason: 'not ours' }],
  ])("answers 404 to %s on another partner's registration and changes nothing", async (action, body) => {
    const res = await stack.api.call('POST', `/api/registrations/${theirs.id}/${action}`, { token: CONTOSO, body });

    expectProblem(res, 404);
    const after = await read(NORTHWIND, theirs.id);
    expect(after.status).toBe('approved');
    expect(after.timeline.map((t) => t.event)).toEqual(['submitted', 'evaluated']);
  });

  it('refuses decisions to partners by role (403) before looking at the registration', async () => {
    const res = await act(CONTOSO, theirs.id, 'decision', { outcome: 'reject', reason: 'mine' });
    expectProblem(res, 403);
  });

  it("never lists another partner's registrations, even when asked by partnerId or domain", async () => {
    const own = await list(CONTOSO, 'limit=500');
    const asked = await list(CONTOSO, 'partnerId=northwind');
    const byDomain = await list(CONTOSO, `domain=${theirs.account.domain}`);

    expect(own.items.every((v) => v.partnerId === 'contoso')).toBe(true);
    expect(asked.items).toEqual([]);
    expect(byDomain.items).toEqual([]);
    expect((await list(OPS, `domain=${theirs.account.domain}`)).items.map((v) => v.id)).toEqual([theirs.id]);
  });
});

describe('manager decisions', () => {
  it('lets a channel manager approve a pending review, protected from the decision on', async () => {
    const pending = await registered(CONTOSO, aRegistration());
    expect(pending.status).toBe('pending_review');

    const res = await decide(CHANNEL_MANAGER, pending.id, 'approve', 'Partner-led deal, no overlap');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'approved',
      decision: {
        outcome: 'approved',
        reason: 'Partner-led deal, no overlap',
        decidedBy: 'cm-emea',
        ruleIds: ['MANAGER-DECISION'],
      },
    });
    expect(Date.parse(res.body.expiresAt!)).toBe(Date.parse(res.body.decision!.decidedAt) + 90 * DAY_MS);
    expect((await read(CONTOSO, pending.id)).status).toBe('approved');
  });

  it('refuses a second decision with 409', async () => {
    const pending = await registered(CONTOSO, aRegistration());
    await decide(CHANNEL_MANAGER, pending.id, 'approve', 'fine');

    const second = await decide(CHANNEL_MANAGER, pending.id, 'reject', 'changed my mind');

    expectProblem(second, 409);
    expect(detailOf(second)).toBe(
      `registration ${pending.id} is approved: rejecting is allowed only when it is pending_review, info_requested`,
    );
    expect((await read(CONTOSO, pending.id)).status).toBe('approved');
  });

  it.each([
    [REGIONAL_DIRECTOR, 'rd-emea'],
    [VP, 'vp'],
  ])("lets %s, a role above the channel manager's, decide", async (token, subject) => {
    const pending = await registered(CONTOSO, aRegistration());
    const res = await decide(token, pending.id, 'approve', 'escalated by hand');
    expect(res.status).toBe(200);
    expect(res.body.decision).toMatchObject({ outcome: 'approved', decidedBy: subject });
  });

  it("refuses a manager outside the account's region with 403, for decisions and closing alike", async () => {
    const pending = await registered(CONTOSO, aRegistration().inRegion('na'));

    expectProblem(await decide(CHANNEL_MANAGER, pending.id, 'approve', 'not my region'), 403);
    expectProblem(await act(CHANNEL_MANAGER, pending.id, 'close', { outcome: 'lost' }), 403);
    expect((await read(CONTOSO, pending.id)).status).toBe('pending_review');
    expect((await decide(VP, pending.id, 'approve', 'every region is mine')).body.status).toBe('approved');
  });

  it('rejects with the reason the manager gives', async () => {
    const pending = await registered(CONTOSO, aRegistration());
    const res = await decide(CHANNEL_MANAGER, pending.id, 'reject', 'The customer is already in a direct deal');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'rejected',
      decision: { outcome: 'rejected', reason: 'The customer is already in a direct deal', decidedBy: 'cm-emea' },
    });
    expect(res.body.expiresAt).toBeUndefined();
  });

  it('pauses the review clock while the partner is asked, and moves the due time by the pause', async () => {
    const pending = await registered(CONTOSO, aRegistration());
    const asked = await decide(CHANNEL_MANAGER, pending.id, 'request_info', 'Who is the economic buyer?');
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('info_requested');

    const answered = await act(CONTOSO, pending.id, 'info', { message: 'The CFO, Ms Smith' });

    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('pending_review');
    expect(answered.body.review?.assigneeRole).toBe('channel_manager');
    const askedAt = Date.parse(eventAt(answered.body, 'info_requested'));
    const answeredAt = Date.parse(eventAt(answered.body, 'info_provided'));
    const oldDue = Date.parse(pending.review!.dueAt);
    const left = businessMillisBetween(askedAt, oldDue, POLICY_V1.calendar);
    expect(Date.parse(answered.body.review!.dueAt)).toBe(addBusinessMillis(answeredAt, left, POLICY_V1.calendar));
    expect(Date.parse(answered.body.review!.dueAt)).toBeGreaterThanOrEqual(oldDue);
  });

  it('only takes an answer while information is requested', async () => {
    const pending = await registered(CONTOSO, aRegistration());
    const unasked = await act(CONTOSO, pending.id, 'info', { message: 'unasked' });
    expectProblem(unasked, 409);
    // The refusal names the step it refuses.
    expect(detailOf(unasked)).toBe(
      `registration ${pending.id} is pending_review: answering an info request is allowed only when it is info_requested`,
    );
  });

  it('refuses a decision outside the manager role (403) and validates its body (400)', async () => {
    const pending = await registered(CONTOSO, aRegistration());
    expectProblem(await act(OPS, pending.id, 'decision', { outcome: 'approve', reason: 'x' }), 403);
    const bad = await act(CHANNEL_MANAGER, pending.id, 'decision', { outcome: 'maybe', reason: 'x' });
    expectProblem(bad, 400);
    expect((bad.body as unknown as Problem).errors?.map((e) => e.path)).toEqual(['outcome']);
  });
});

describe('an approved registration', () => {
  it('is extended once; a second extension is refused naming EXTENSION-LIMIT', async () => {
    const approved = await registered(NORTHWIND, aRegistration());

    const first = await act(NORTHWIND, approved.id, 'extensions', { reason: 'Procurement needs another month' });
    const second = await act(NORTHWIND, approved.id, 'extensions', { reason: 'And one more' });

    expect(first.status).toBe(200);
    expect(Date.parse(first.body.expiresAt!)).toBe(Date.parse(approved.expiresAt!) + 30 * DAY_MS);
    expect(first.body.extensions).toEqual([
      {
        requestedAt: expect.any(String),
        newExpiresAt: first.body.expiresAt,
        reason: 'Procurement needs another month',
      },
    ]);
    expectProblem(second, 409);
    expect(second.body).toMatchObject({ ruleId: 'EXTENSION-LIMIT' });
    expect((await read(NORTHWIND, approved.id)).expiresAt).toBe(first.body.expiresAt);
  });

  it('refuses an extension while the registration is still under review', async () => {
    const pending = await registered(CONTOSO, aRegistration());
    const res = await act(CONTOSO, pending.id, 'extensions', { reason: 'early bird' });
    expectProblem(res, 409);
    expect(res.body).toMatchObject({ ruleId: 'NOT-APPROVED', registrationStatus: 'pending_review' });
    expect(detailOf(res)).toMatch(/: an extension is allowed only when it is approved$/);
  });

  it('shows a progress update in its timeline', async () => {
    const approved = await registered(NORTHWIND, aRegistration());

    const res = await act(NORTHWIND, approved.id, 'updates', { note: 'Demo done', stage: 'evaluation' });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    expect(res.body.timeline.at(-1)).toMatchObject({ event: 'progress_update', detail: 'evaluation: Demo done' });
    expect(res.body.lastPartnerUpdateAt).toBe(res.body.timeline.at(-1)!.at);
  });

  // Found by the OpenAPI fuzzer: a NUL reached the store, whose writes failed on every retry, and the request hung.
  it('refuses a NUL character in a note with 400 naming the field, and stays responsive', async () => {
    const approved = await registered(NORTHWIND, aRegistration());

    const res = await act(NORTHWIND, approved.id, 'updates', { note: 'Demo\u0000done' });

    expect(res.status).toBe(400);
    expect((res.body as unknown as Problem).errors?.map((e) => e.path)).toEqual(['note']);
    expect((await act(NORTHWIND, approved.id, 'updates', { note: 'Demo done' })).status).toBe(200);
  });

  it('closes as won, and then refuses every further action with 409', async () => {
    const approved = await registered(NORTHWIND, aRegistration());

    const won = await act(NORTHWIND, approved.id, 'close', { outcome: 'won' });

    expect(won.status).toBe(200);
    expect(won.body.status).toBe('won');
    await expectEveryActionRefused(approved.id, NORTHWIND);
    await workflowClosed(approved.workflowId);
    await expectEveryActionRefused(approved.id, NORTHWIND);
    expect((await read(NORTHWIND, approved.id)).status).toBe('won');
  });

  it('is withdrawn, which frees the account line for another partner', async () => {
    const request = aRegistration();
    const approved = await registered(NORTHWIND, request);

    const withdrawn = await act(NORTHWIND, approved.id, 'withdraw', { reason: 'Customer went with a competitor' });

    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    await eventually(
      () => read(NORTHWIND, approved.id),
      (v) => v.timeline.some((t) => t.event === 'claim_released'),
    );
    const next = await registered(FABRIKAM, request);
    expect(next.status).toBe('approved');
    await workflowClosed(approved.workflowId);
    await expectEveryActionRefused(approved.id, NORTHWIND);
  });

  it('is withdrawn, which hands the line to the registration waiting in its conflict case, and to no one else', async () => {
    const request = aRegistration();
    const approved = await registered(NORTHWIND, request);
    const blocked = await registered(FABRIKAM, request);
    expect(blocked.status).toBe('in_conflict');

    await act(NORTHWIND, approved.id, 'withdraw', { reason: 'Customer went with a competitor' });

    // The case is uncontested now: the one claim left is awarded, and it holds the line.
    // Three steps of two workflows (the case learns it, awards, tells the registration): bounded
    // generously for a loaded machine.
    const awarded = await eventually(
      () => read(FABRIKAM, blocked.id),
      (v) => v.status === 'approved',
      { timeoutMs: 45_000, intervalMs: 200 },
    );
    expect(awarded.decision).toMatchObject({ outcome: 'approved' });
    const latecomer = await registered(CONTOSO, request);
    expect(latecomer.status).toBe('in_conflict');
  });

  it('lets a manager close a deal as lost', async () => {
    const approved = await registered(NORTHWIND, aRegistration());
    const lost = await act(CHANNEL_MANAGER, approved.id, 'close', { outcome: 'lost' });
    expect(lost.status).toBe(200);
    expect(lost.body.status).toBe('lost');
  });
});

describe('listing registrations', () => {
  it('filters by status, domain and partner for operations', async () => {
    const domain = uniqueDomain();
    const mine = await registered(NORTHWIND, aRegistration().onAccount(domain));
    const other = await registered(FABRIKAM, aRegistration().onAccount(domain).forProductLine('security'));
    const rejected = await registered(
      FABRIKAM,
      aRegistration().onAccount('umbrella.example').forProductLine(uniqueLine()),
    );

    const byDomain = await list(OPS, `domain=${domain}`);
    const byNormalizedDomain = await list(OPS, `domain=${encodeURIComponent(`https://WWW.${domain}/deals`)}`);
    const byPartner = await list(OPS, 'partnerId=fabrikam&limit=500');
    const byStatus = await list(OPS, 'status=rejected&limit=500');
    const combined = await list(OPS, `partnerId=northwind&domain=${domain}`);

    expect(new Set(byDomain.items.map((v) => v.id))).toEqual(new Set([mine.id, other.id]));
    expect(byNormalizedDomain.items.map((v) => v.id)).toEqual(byDomain.items.map((v) => v.id));
    expect(byPartner.items.every((v) => v.partnerId === 'fabrikam')).toBe(true);
    expect(byPartner.items.map((v) => v.id)).toEqual(expect.arrayContaining([other.id, rejected.id]));
    expect(byStatus.items.every((v) => v.status === 'rejected')).toBe(true);
    expect(byStatus.items.map((v) => v.id)).toContain(rejected.id);
    expect(combined.items.map((v) => v.id)).toEqual([mine.id]);
  });

  it('pages newest first with limit and nextCursor', async () => {
    const domain = uniqueDomain();
    const ids: string[] = [];
    for (const line of ['alpha', 'beta', 'gamma']) {
      ids.push((await registered(NORTHWIND, aRegistration().onAccount(domain).forProductLine(line))).id);
    }

    const first = await list(OPS, `domain=${domain}&limit=2`);
    const second = await list(OPS, `domain=${domain}&limit=2&cursor=${first.nextCursor}`);

    expect(first.items.map((v) => v.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(second.items.map((v) => v.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a cursor it never issued and a limit over 500', async () => {
    expectProblem(await stack.api.call('GET', '/api/registrations?cursor=bogus', { token: OPS }), 400);
    expectProblem(await stack.api.call('GET', '/api/registrations?limit=501', { token: OPS }), 400);
  });
});

describe('the audit trail of a registration', () => {
  it('lists every transition in order, with who did it', async () => {
    const pending = await registered(CONTOSO, aRegistration());
    await decide(CHANNEL_MANAGER, pending.id, 'approve', 'ok');
    await act(CONTOSO, pending.id, 'close', { outcome: 'won' });

    const trail = await eventually(
      () =>
        stack.api.call<{ items: AuditEvent[] }>('GET', `/api/audit?subject=registration:${pending.id}`, { token: OPS }),
      (r) => r.body.items?.length >= 5,
    );

    expect(trail.status).toBe(200);
    expect(trail.body.items.map((e) => [e.action, e.actor])).toEqual([
      ['registration.submitted', 'partner:contoso'],
      ['registration.evaluated', 'system:rules'],
      ['registration.approved', 'cm-emea'],
      ['registration.closed_won', 'partner:contoso'],
      ['registration.claim_released', 'system:claims'],
    ]);
    const times = trail.body.items.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(trail.body.items[1].detail).toMatchObject({ status: 'pending_review' });
  });
});

describe('possible duplicates', () => {
  it('warns the reviewer of a near-identical account on another domain, never the partner', async () => {
    const request = aRegistration().onAccount(uniqueDomain(), 'Initech Ltd');
    const created = await registered(CONTOSO, request);

    const forReviewer = await read(CHANNEL_MANAGER, created.id);
    const forPartner = await read(CONTOSO, created.id);
    const partnerList = await list(CONTOSO, `domain=${created.account.domain}`);

    expect(forReviewer.possibleDuplicates).toEqual([{ domain: 'initech.example', name: 'Initech' }]);
    for (const view of [created, forPartner, ...partnerList.items]) {
      expect(view.possibleDuplicates ?? []).toEqual([]);
    }
    const approved = await decide(CHANNEL_MANAGER, created.id, 'approve', 'different company');
    expect(approved.body.possibleDuplicates).toHaveLength(1);
    const updated = await act(CONTOSO, created.id, 'updates', { note: 'kick-off' });
    expect(updated.body.possibleDuplicates ?? []).toEqual([]);
  });
});

// ---------------------------------------------------------------- helpers

type Json = Record<string, unknown>;
type Problem = { type: string; title: string; status: number; detail: string; errors?: { path: string }[] };
type AuditEvent = { at: string; actor: string; action: string; detail: Json };
type Page = { items: RegistrationView[]; nextCursor?: string };
type Action = 'decision' | 'info' | 'extensions' | 'updates' | 'close' | 'withdraw';

function policyOf(input: unknown): PolicyDocument {
  const validated = validatePolicyDocument(input);
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  return validated.policy;
}

function suffix(): string {
  return randomBytes(4).toString('hex');
}

function uniqueDomain(): string {
  return `acct-${suffix()}.example`;
}

function uniqueLine(): string {
  return `line-${suffix()}`;
}

/** `body` with the value at a dotted path replaced. */
function at(body: Json, path: string, value: unknown): Json {
  const copy = structuredClone(body);
  const keys = path.split('.');
  const last = keys.pop()!;
  (keys.reduce((node, key) => node[key] as Json, copy) as Json)[last] = value;
  return copy;
}

function register(
  token: string,
  request: RegistrationBuilder,
  options: { idempotencyKey?: string } = {},
): Promise<ApiResponse<RegistrationView>> {
  return stack.api.call<RegistrationView>('POST', '/api/registrations', {
    token,
    body: request.build(),
    headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
  });
}

async function registered(
  token: string,
  request: RegistrationBuilder,
  options: { idempotencyKey?: string } = {},
): Promise<RegistrationView> {
  const res = await register(token, request, options);
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
  expect(res.body.status).not.toBe('submitted');
  return res.body;
}

async function read(token: string, id: string): Promise<RegistrationView> {
  const res = await stack.api.call<RegistrationView>('GET', `/api/registrations/${id}`, { token });
  if (res.status !== 200) throw new Error(`GET ${id} answered ${res.status}: ${res.text}`);
  return res.body;
}

async function list(token: string, query: string): Promise<Page> {
  const res = await stack.api.call<Page>('GET', `/api/registrations?${query}`, { token });
  if (res.status !== 200) throw new Error(`list answered ${res.status}: ${res.text}`);
  return res.body;
}

function act(token: string, id: string, action: Action, body: Json): Promise<ApiResponse<RegistrationView>> {
  return stack.api.call<RegistrationView>('POST', `/api/registrations/${id}/${action}`, { token, body });
}

function decide(token: string, id: string, outcome: 'approve' | 'reject' | 'request_info', reason: string) {
  return act(token, id, 'decision', { outcome, reason });
}

function eventAt(view: RegistrationView, event: string): string {
  const entry = view.timeline.find((t) => t.event === event);
  if (!entry) throw new Error(`no ${event} in the timeline: ${JSON.stringify(view.timeline)}`);
  return entry.at;
}

function expectProblem(res: ApiResponse, status: number): void {
  expect({ status: res.status, text: res.text }).toMatchObject({ status });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
}

/** The `detail` of a problem answer, which says what was refused and why. */
const detailOf = (res: ApiResponse<unknown>): unknown => (res.body as { detail?: unknown }).detail;

/** Every step a partner or manager can take, each answered 409 on a registration that is over. */
async function expectEveryActionRefused(id: string, owner: string): Promise<void> {
  const steps: [string, Action, Json][] = [
    [CHANNEL_MANAGER, 'decision', { outcome: 'approve', reason: 'too late' }],
    [owner, 'info', { message: 'too late' }],
    [owner, 'extensions', { reason: 'too late' }],
    [owner, 'updates', { note: 'too late' }],
    [owner, 'close', { outcome: 'lost' }],
    [owner, 'withdraw', { reason: 'too late' }],
  ];
  for (const [token, action, body] of steps) {
    const res = await act(token, id, action, body);
    expect({ action, status: res.status }).toEqual({ action, status: 409 });
    expectProblem(res, 409);
  }
}

async function workflowClosed(workflowId: string): Promise<void> {
  await eventually(
    () => stack.api.call('GET', `/api/workflows/${workflowId}`, { token: OPS }),
    (r) => r.status === 200 && r.body.status === 'completed',
  );
}

/** The workflow list shows exactly one execution for the registration's workflow id. */
async function expectOneWorkflow(workflowId: string): Promise<void> {
  const page = await eventually(
    () =>
      stack.api.call<{ items: { workflowId: string }[] }>('GET', '/api/workflows?type=registration&limit=500', {
        token: OPS,
      }),
    (r) => r.status === 200 && r.body.items.some((w) => w.workflowId === workflowId),
  );
  expect(page.body.items.filter((w) => w.workflowId === workflowId)).toHaveLength(1);
}

/** A partner of the directory with a service API key of its own: more partners than dev tokens. */
async function partnerToken(partnerId: string, tier: 'silver' | 'gold'): Promise<string> {
  const partner = await stack.api.call('PUT', `/api/directory/partners/${partnerId}`, {
    token: ADMIN,
    body: {
      name: `Partner ${partnerId}`,
      type: 'reseller',
      tier,
      regions: ['emea'],
      contacts: [{ name: 'Sales', email: `sales@${partnerId}.example` }],
    },
  });
  if (partner.status >= 300) throw new Error(`partner ${partnerId}: ${partner.text}`);
  const key = await stack.api.call<{ key: string }>('POST', '/api/api-keys', {
    token: ADMIN,
    body: { name: `key of ${partnerId}`, grant: { role: 'partner', partnerId } },
  });
  if (key.status !== 201) throw new Error(`api key of ${partnerId}: ${key.text}`);
  return key.body.key;
}
