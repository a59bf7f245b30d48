import { startTestStack, type TestStack } from '../helpers/stack';
import { registeredThroughApi, uniqueDomain } from '../helpers/registrations';
import { eventually } from '../helpers/eventually';

// Partner feedback on the real stack: a partner rates the decision on its registration and on its
// conflict case, ops read satisfaction by decision type and month, the scorecard counts it, and
// the decision's email links to the rating.

jest.setTimeout(120_000);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.close());

const NORTHWIND = 'dev-partner-northwind';
const FABRIKAM = 'dev-partner-fabrikam';
const CONTOSO = 'dev-partner-contoso';

const register = (token: string, domain = uniqueDomain('acme')) =>
  registeredThroughApi(stack, token, 'Acme Widgets', domain, 20_000);

const rate = (token: string, path: string, body: Record<string, unknown>) =>
  stack.api.call('POST', `${path}/feedback`, { token, body });

describe('rating a decision on a registration', () => {
  it('is 201 the first time and 200 when rated again, which replaces the rating', async () => {
    const approved = await register(NORTHWIND);
    const first = await rate(NORTHWIND, `/api/registrations/${approved.id}`, { rating: 3, comment: 'slow' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      partnerId: 'northwind',
      subject: { kind: 'registration', id: approved.id },
      decision: { type: 'approved' },
      rating: 3,
      comment: 'slow',
    });
    const again = await rate(NORTHWIND, `/api/registrations/${approved.id}`, { rating: 5 });
    expect(again.status).toBe(200);
    const mine = await stack.api.call('GET', `/api/registrations/${approved.id}/feedback`, { token: NORTHWIND });
    expect(mine.body.items).toEqual([expect.objectContaining({ rating: 5 })]);
    expect(mine.body.items[0].comment).toBeUndefined();
  });

  it("is the owner's alone: another partner gets 404, staff 403", async () => {
    const approved = await register(NORTHWIND);
    expect((await rate(FABRIKAM, `/api/registrations/${approved.id}`, { rating: 1 })).status).toBe(404);
    expect((await rate('dev-cm-emea', `/api/registrations/${approved.id}`, { rating: 1 })).status).toBe(403);
  });

  it('waits for a decision: a registration in review answers 409', async () => {
    const inReview = await register(CONTOSO); // silver: reviewed
    expect(inReview.status).toBe('pending_review');
    const res = await rate(CONTOSO, `/api/registrations/${inReview.id}`, { rating: 4 });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/no decision to rate yet: it is pending_review/);
  });

  it.each([
    [{ rating: 0 }, 'rating'],
    [{ rating: 6 }, 'rating'],
    [{ rating: 4.5 }, 'rating'],
    [{ rating: 4, stars: 4 }, 'stars'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const approved = await register(NORTHWIND);
    const res = await rate(NORTHWIND, `/api/registrations/${approved.id}`, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it("is asked for in the decision's email, linking to the registration in the web app", async () => {
    const approved = await register(NORTHWIND);
    const email = await eventually(
      async () => (await stack.outbox.read()).find((m) => m.subject === `Registration ${approved.id}: approved`),
      (found) => found !== undefined,
    );
    expect(email!.text).toContain(
      `How was this decision for you? Rate it from 1 to 5 in the web app: http://roe.test/registrations/${approved.id}#feedback`,
    );
  });
});

describe('rating a conflict case', () => {
  it('lets each partner party rate the decided case; ops see satisfaction by decision type and month; the scorecard counts it', async () => {
    const domain = uniqueDomain('contested');
    const holder = await register(NORTHWIND, domain);
    const contender = await register(FABRIKAM, domain);
    expect(contender.status).toBe('in_conflict');
    const caseId = contender.conflictId!;
    await eventually(
      () => stack.api.call('GET', `/api/conflicts/${caseId}`, { token: 'dev-cm-emea' }),
      (r) => r.status === 200 && r.body.parties.length === 2,
    );
    expect((await rate(FABRIKAM, `/api/conflicts/${caseId}`, { rating: 2 })).status).toBe(409);
    const resolved = await stack.api.call('POST', `/api/conflicts/${caseId}/resolution`, {
      token: 'dev-cm-emea',
      body: { award: contender.id, reason: 'Fabrikam sourced it' },
    });
    expect(resolved.status).toBe(200);
    await eventually(
      () => stack.api.call('GET', `/api/conflicts/${caseId}`, { token: FABRIKAM }),
      (r) => r.body.status === 'resolved',
    );

    expect((await rate(FABRIKAM, `/api/conflicts/${caseId}`, { rating: 5 })).body).toMatchObject({
      decision: { type: 'conflict_resolved' },
    });
    expect((await rate(NORTHWIND, `/api/conflicts/${caseId}`, { rating: 2, comment: 'we held it first' })).status).toBe(
      201,
    );
    expect((await rate(CONTOSO, `/api/conflicts/${caseId}`, { rating: 1 })).status).toBe(404);
    expect(holder.status).toBe('approved');

    const satisfaction = await stack.api.call('GET', '/api/reports/satisfaction', { token: 'dev-ops' });
    expect(satisfaction.status).toBe(200);
    const month = new Date().toISOString().slice(0, 7);
    // The registration rated in the first test (5, after a 3), and this case rated 5 and 2.
    const byType = Object.fromEntries(
      (satisfaction.body.byDecisionType as { decisionType: string; ratings: number; average: number }[]).map((t) => [
        t.decisionType,
        t,
      ]),
    );
    expect(byType.conflict_resolved).toEqual({ decisionType: 'conflict_resolved', ratings: 2, average: 3.5 });
    expect(byType.approved).toEqual({ decisionType: 'approved', ratings: 1, average: 5 });
    expect(satisfaction.body).toMatchObject({ ratings: 3, average: 4, byMonth: [{ month, ratings: 3, average: 4 }] });

    const metrics = await stack.api.call('GET', '/api/metrics', { token: 'dev-ops' });
    const trust = (metrics.body.maturity as { dimension: string; evidence: string }[]).find(
      (d) => d.dimension === 'Partner & Field Trust',
    );
    expect(trust?.evidence).toContain('partner satisfaction 4 of 5 over 3 ratings (counts from 5)');
  });
});
