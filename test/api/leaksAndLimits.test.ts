import { randomBytes } from 'node:crypto';
import { startTestStack, type TestStack } from '../helpers/stack';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { EXAMPLE_POLICY } from '../../src/domain/policy';
import type { RegistrationView } from '../../workflows/registration/contract';
import type { RolloutView } from '../../workflows/rollout/contract';

// What one caller must not learn or do through another's door: counts of others' deals, unlimited
// token guessing, audit entries hidden behind a reused request id, a rollout bypassed, cached answers.

jest.setTimeout(120_000);

const ADMIN = 'dev-admin';
const OPS = 'dev-ops';
const NORTHWIND = 'dev-partner-northwind';
const CONTOSO = 'dev-partner-contoso';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => stack?.close());

function expectProblem(res: ApiResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), detail: expect.any(String) });
}

const aRequest = () => ({
  account: { name: 'Litware Inc', domain: `leaks-${randomBytes(5).toString('hex')}.example`, region: 'emea' },
  opportunity: {
    title: 'Analytics rollout',
    productLine: 'analytics',
    amount: { value: 20_000, currency: 'EUR' },
    expectedCloseDate: '2027-06-30',
  },
});

async function register(token: string): Promise<RegistrationView> {
  const res = await stack.api.call<RegistrationView>('POST', '/api/registrations', { token, body: aRequest() });
  expect(res.status).toBe(201);
  return res.body;
}

async function draft(title: string): Promise<number> {
  const res = await stack.api.call<{ version: number }>('POST', '/api/policies', {
    token: ADMIN,
    body: { ...EXAMPLE_POLICY, title },
  });
  expect(res.status).toBe(201);
  return res.body.version;
}

describe('the notice of a version', () => {
  it("counts to a partner only its own grandfathered deals, never the other partners'", async () => {
    await register(NORTHWIND);
    await register(NORTHWIND);
    await register(CONTOSO);
    const version = await draft('Notice counts');
    expect((await stack.api.call('POST', `/api/policies/${version}/publish`, { token: ADMIN, body: {} })).status).toBe(
      202,
    );
    const active = ['pending_review', 'info_requested', 'in_conflict', 'approved'];
    const own = await stack.api.call<{ items: RegistrationView[] }>('GET', '/api/registrations?limit=500', {
      token: CONTOSO,
    });
    const contosoActive = own.body.items.filter((r) => active.includes(r.status) && r.policyVersion < version).length;

    const asContoso = await stack.api.call<{ grandfathered: number }>('GET', `/api/policies/${version}/notice`, {
      token: CONTOSO,
    });
    const asAdmin = await stack.api.call<{ grandfathered: number }>('GET', `/api/policies/${version}/notice`, {
      token: ADMIN,
    });

    expect(asContoso.status).toBe(200);
    expect(contosoActive).toBeGreaterThanOrEqual(1);
    expect(asContoso.body.grandfathered).toBe(contosoActive);
    expect(asAdmin.body.grandfathered).toBeGreaterThanOrEqual(contosoActive + 2);
  });
});

describe('failed authentication', () => {
  const apis: TestApi[] = [];
  afterAll(async () => Promise.all(apis.map((api) => api.close())));
  const apiWith = async (options: Parameters<typeof startTestApi>[1]) => {
    const api = await startTestApi({ store: stack.db.store, temporal: stack.temporal.client }, options);
    apis.push(api);
    return api;
  };
  const from = (address: string, token: string) => ({ token, headers: { 'x-forwarded-for': address } });

  it('is limited per client address behind a trusted proxy, while another address still gets 401', async () => {
    const api = await apiWith({ trustedProxies: ['loopback'], authFailuresPerMinute: 5 });
    for (let i = 0; i < 5; i++) {
      expectProblem(await api.call('GET', '/api/policies', from('203.0.113.7', `guess-${i}`)), 401);
    }

    const limited = await api.call('GET', '/api/policies', from('203.0.113.7', 'guess-5'));
    // Checked before the token: a good token from that address waits too.
    const goodTokenThere = await api.call('GET', '/api/policies', from('203.0.113.7', ADMIN));
    const elsewhere = await api.call('GET', '/api/policies', from('198.51.100.9', 'guess-0'));
    const goodTokenElsewhere = await api.call('GET', '/api/policies', from('198.51.100.9', ADMIN));

    expectProblem(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expectProblem(goodTokenThere, 429);
    expectProblem(elsewhere, 401);
    expect(goodTokenElsewhere.status).toBe(200);
  });

  it('ignores X-Forwarded-For unless the proxy is trusted: rotating it does not escape the limit', async () => {
    const api = await apiWith({ authFailuresPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      expectProblem(await api.call('GET', '/api/policies', from(`192.0.2.${i + 1}`, `guess-${i}`)), 401);
    }

    expectProblem(await api.call('GET', '/api/policies', from('192.0.2.99', 'guess-3')), 429);
  });

  it('never counts requests with valid tokens, however many are in flight from one address', async () => {
    const api = await apiWith({ authFailuresPerMinute: 3 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.call('GET', '/api/policies', { token: ADMIN })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expectProblem(await api.call('GET', '/api/policies', { token: 'guess' }), 401);
  });

  it('counts anonymous callers by address, not in one bucket shared by all of them', async () => {
    const api = await apiWith({ trustedProxies: ['loopback'], rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      const res = await api.call('GET', '/api/openapi.json', { headers: { 'x-forwarded-for': '203.0.113.20' } });
      expect(res.status).toBe(200);
    }

    const again = await api.call('GET', '/api/openapi.json', { headers: { 'x-forwarded-for': '203.0.113.20' } });
    const other = await api.call('GET', '/api/openapi.json', { headers: { 'x-forwarded-for': '198.51.100.20' } });

    expectProblem(again, 429);
    expect(other.status).toBe(200);
  });
});

describe('the audit trail of API keys', () => {
  it('records every creation and revocation even when one X-Request-Id is sent with all of them', async () => {
    const headers = { 'x-request-id': `reused-${randomBytes(6).toString('hex')}` };
    const ids: string[] = [];
    for (const name of ['billing sync', 'crm sync']) {
      const created = await stack.api.call<{ id: string }>('POST', '/api/api-keys', {
        token: ADMIN,
        headers,
        body: { name, grant: { role: 'ops' } },
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    for (const id of ids) {
      expect((await stack.api.call('DELETE', `/api/api-keys/${id}`, { token: ADMIN, headers })).status).toBe(200);
    }

    for (const id of ids) {
      const trail = await stack.api.call<{ items: { action: string }[] }>(
        'GET',
        `/api/audit?subject=directory:api-key:${id}`,
        { token: OPS },
      );
      expect(trail.body.items.map((e) => e.action)).toEqual(['api_key.created', 'api_key.revoked']);
    }
  });
});

describe('a version under an active rollout', () => {
  const SPONSOR = { name: 'Sam Sponsor', email: 'sam.sponsor@vendor.example' };
  const rollout = (id: string) => stack.api.call<RolloutView>('GET', `/api/rollouts/${id}`, { token: OPS });

  async function launch(version: number): Promise<string> {
    const res = await stack.api.call<{ id: string }>('POST', '/api/rollouts', {
      token: ADMIN,
      body: { policyVersion: version, sponsor: SPONSOR },
    });
    // No wait after it: the launch answers once the rollout is recorded, so the next request sees it.
    expect(res.status).toBe(202);
    return res.body.id;
  }

  async function finishStage(id: string, name: string, next: string): Promise<void> {
    const open = await eventually(
      () => rollout(id),
      (r) => r.body.currentStage === name,
    );
    for (const task of open.body.stages.find((s) => s.name === name)!.tasks) {
      expect(
        (await stack.api.call('POST', `/api/rollouts/${id}/tasks/${task.id}/complete`, { token: ADMIN })).status,
      ).toBe(200);
    }
    const signed = await stack.api.call('POST', `/api/rollouts/${id}/stages/${name}/sign-offs`, {
      token: ADMIN,
      body: { decision: 'approve', comment: 'fine' },
    });
    expect(signed.status).toBe(200);
    await eventually(
      () => rollout(id),
      (r) => r.body.currentStage === next,
    );
  }

  it('cannot be published directly: 409 naming the rollout', async () => {
    const version = await draft('Rolled out, not published by hand');
    const id = await launch(version);

    const res = await stack.api.call<{ rolloutId: string; detail: string }>(
      'POST',
      `/api/policies/${version}/publish`,
      { token: ADMIN, body: {} },
    );

    expectProblem(res, 409);
    expect(res.body.rolloutId).toBe(id);
    expect(res.body.detail).toContain(id);
    const policy = await stack.api.call<{ status: string }>('GET', `/api/policies/${version}`, { token: ADMIN });
    expect(policy.body.status).toBe('draft');
  });

  it('cannot get a second rollout while one runs: 409 naming the first', async () => {
    const version = await draft('Rolled out once');
    const first = await launch(version);

    const second = await stack.api.call<{ rolloutId: string }>('POST', '/api/rollouts', {
      token: ADMIN,
      body: { policyVersion: version, sponsor: SPONSOR },
    });

    expectProblem(second, 409);
    expect(second.body.rolloutId).toBe(first);
  });

  it('cannot be cancelled directly once the rollout published it: 409 naming the rollout', async () => {
    const version = await draft('Rolled out, not cancelled by hand');
    const id = await launch(version);
    await finishStage(id, 'align', 'design');
    await finishStage(id, 'design', 'document');
    await finishStage(id, 'document', 'enable');
    await eventually(
      () => stack.api.call<{ status: string }>('GET', `/api/policies/${version}`, { token: ADMIN }),
      (r) => r.body.status === 'scheduled',
    );

    const res = await stack.api.call<{ rolloutId: string; detail: string }>('POST', `/api/policies/${version}/cancel`, {
      token: ADMIN,
      body: { reason: 'changed our minds' },
    });

    expectProblem(res, 409);
    expect(res.body.rolloutId).toBe(id);
    expect(res.body.detail).toContain(id);
    const policy = await stack.api.call<{ status: string }>('GET', `/api/policies/${version}`, { token: ADMIN });
    expect(policy.body.status).toBe('scheduled');
  });
});

describe('authenticated answers', () => {
  it('tell every cache not to store them', async () => {
    const mine = await register(NORTHWIND);
    const answers = await Promise.all([
      stack.api.call('GET', '/api/policies', { token: ADMIN }),
      stack.api.call('GET', `/api/registrations/${mine.id}`, { token: NORTHWIND }),
      stack.api.call('GET', '/api/registrations', { token: NORTHWIND }),
      stack.api.call('POST', '/api/registrations', { token: NORTHWIND, body: aRequest() }),
    ]);

    for (const res of answers) {
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});
