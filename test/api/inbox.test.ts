import { randomBytes } from 'node:crypto';
import { startTestStack, type TestStack } from '../helpers/stack';
import type { ApiResponse } from '../helpers/api';
import { EXAMPLE_POLICY } from '../../src/domain/policy';
import type { RegistrationView } from '../../workflows/registration/contract';

// GET /api/inbox: the reviews waiting on the calling manager, soonest due first.

const ADMIN = 'dev-admin';
const OPS = 'dev-ops';
const CHANNEL_MANAGER = 'dev-cm-emea';
const REGIONAL_DIRECTOR = 'dev-rd-emea';
const CONTOSO = 'dev-partner-contoso'; // silver: every registration waits for a review

type InboxItem = { kind: string; id: string; assigneeRole: string; dueAt: string };

/** The example policy with a review SLA on the wall clock, so due times follow submission exactly. */
const aPolicyWithReviewSla = (sla: string) => {
  const document = structuredClone(EXAMPLE_POLICY);
  document.title = `Reviews due ${sla} after submission`;
  document.registration.review = { ...document.registration.review, sla, clock: 'wall' };
  return document;
};

let stack: TestStack;
let slowReviews: number;
let fastReviews: number;

beforeAll(async () => {
  stack = await startTestStack();
  slowReviews = await draftPolicy(aPolicyWithReviewSla('PT8H'));
  fastReviews = await draftPolicy(aPolicyWithReviewSla('PT2H'));
  await makeEffective(slowReviews);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('GET /api/inbox', () => {
  it("lists the channel manager's pending reviews of its region, soonest due first", async () => {
    const underSlowRules = await review(CONTOSO, 'emea');
    await makeEffective(fastReviews);
    const first = await review(CONTOSO, 'emea');
    const second = await review(CONTOSO, 'emea');
    const elsewhere = await review(CONTOSO, 'na');

    const items = await inbox(CHANNEL_MANAGER);

    const ours = items.filter((item) => [underSlowRules, first, second].some((r) => r.id === item.id));
    expect(ours.map((item) => item.id)).toEqual([first.id, second.id, underSlowRules.id]);
    expect(ours[0]).toMatchObject({
      kind: 'registration_review',
      assigneeRole: 'channel_manager',
      dueAt: first.review!.dueAt,
    });
    expect(Date.parse(first.review!.dueAt)).toBe(Date.parse(first.decision!.decidedAt) + 2 * 3600_000);
    expect(items.map((item) => item.id)).not.toContain(elsewhere.id);
    const dueTimes = items.map((item) => Date.parse(item.dueAt));
    expect(dueTimes).toEqual([...dueTimes].sort((a, b) => a - b));
    expect(items.every((item) => item.assigneeRole === 'channel_manager')).toBe(true);
  });

  it('does not show channel-manager reviews to a regional director', async () => {
    const pending = await review(CONTOSO, 'emea');

    const items = await inbox(REGIONAL_DIRECTOR);

    expect(items.map((item) => item.id)).not.toContain(pending.id);
    expect(items.every((item) => item.assigneeRole === 'regional_director')).toBe(true);
    expect((await inbox(CHANNEL_MANAGER)).map((item) => item.id)).toContain(pending.id);
  });

  it('drops a review once it is decided, and while the partner is asked for information', async () => {
    const decided = await review(CONTOSO, 'emea');
    const asked = await review(CONTOSO, 'emea');
    expect((await inbox(CHANNEL_MANAGER)).map((item) => item.id)).toEqual(
      expect.arrayContaining([decided.id, asked.id]),
    );

    await act(CHANNEL_MANAGER, decided.id, 'decision', { outcome: 'approve', reason: 'fine' });
    await act(CHANNEL_MANAGER, asked.id, 'decision', { outcome: 'request_info', reason: 'Which product?' });

    const afterDecisions = (await inbox(CHANNEL_MANAGER)).map((item) => item.id);
    expect(afterDecisions).not.toContain(decided.id);
    expect(afterDecisions).not.toContain(asked.id);
    await act(CONTOSO, asked.id, 'info', { message: 'Analytics' });
    expect((await inbox(CHANNEL_MANAGER)).map((item) => item.id)).toContain(asked.id);
  });

  it.each([
    ['dev-partner-northwind', 403],
    [OPS, 403],
    [ADMIN, 403],
    [undefined, 401],
  ])('is for managers only (%s → %i)', async (token, status) => {
    const res = await stack.api.call('GET', '/api/inbox', { token });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

// ---------------------------------------------------------------- helpers

async function draftPolicy(document: unknown): Promise<number> {
  const res = await stack.api.call<{ version: number }>('POST', '/api/policies', { token: ADMIN, body: document });
  if (res.status !== 201) throw new Error(`policy draft answered ${res.status}: ${res.text}`);
  return res.body.version;
}

/** There is no publish endpoint yet: the version takes effect now, directly in the store. */
async function makeEffective(version: number): Promise<void> {
  const db = stack.db.store.db;
  await db.query(`UPDATE policies SET status = 'superseded', superseded_at = now() WHERE status = 'effective'`);
  await db.query(`UPDATE policies SET status = 'effective', effective_at = now() WHERE version = $1`, [version]);
}

/** A registration that waits for a channel manager: a silver partner on an account of its own. */
async function review(token: string, region: string): Promise<RegistrationView> {
  const res = await stack.api.call<RegistrationView>('POST', '/api/registrations', {
    token,
    body: {
      account: { name: 'Review Candidate', domain: `inbox-${randomBytes(4).toString('hex')}.example`, region },
      opportunity: {
        title: 'Platform deal',
        productLine: 'platform',
        amount: { value: 10_000, currency: 'EUR' },
        expectedCloseDate: '2027-03-31',
      },
    },
  });
  if (res.status !== 201 || res.body.status !== 'pending_review') {
    throw new Error(`expected a pending review, got ${res.status}: ${res.text}`);
  }
  return res.body;
}

async function inbox(token: string): Promise<InboxItem[]> {
  const res = await stack.api.call<{ items: InboxItem[] }>('GET', '/api/inbox', { token });
  if (res.status !== 200) throw new Error(`inbox answered ${res.status}: ${res.text}`);
  return res.body.items;
}

async function act(token: string, id: string, action: string, body: unknown): Promise<ApiResponse<RegistrationView>> {
  const res = await stack.api.call<RegistrationView>('POST', `/api/registrations/${id}/${action}`, { token, body });
  if (res.status !== 200) throw new Error(`${action} answered ${res.status}: ${res.text}`);
  return res;
}
