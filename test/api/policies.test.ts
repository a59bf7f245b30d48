import { startTemporalAndStore } from '../helpers/environment';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import type { TestStore } from '../helpers/store';
import type { TestTemporal } from '../helpers/temporal';
import { seedDevelopment } from '../../src/store/seed';
import { EXAMPLE_POLICY } from '../../src/domain/policy';

const ADMIN = 'dev-admin';
const EVERY_ROLE = ['dev-admin', 'dev-ops', 'dev-cm-emea', 'dev-partner-northwind'];

type Json = Record<string, unknown>;

/** The example policy of API.md, changed at dotted paths (`routes.2.eligibleTiers`). */
class PolicyBuilder {
  private readonly document = structuredClone(EXAMPLE_POLICY) as unknown as Json;

  with(path: string, value: unknown): this {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((node, key) => node[key] as Json, this.document);
    parent[last] = value;
    return this;
  }

  build(): Json {
    return this.document;
  }
}

const aPolicy = (title = 'FY28 Partner Rules of Engagement') => new PolicyBuilder().with('title', title);

function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
}

/** A 400 problem naming exactly these paths in `errors`. */
function expectErrorsAt(response: ApiResponse, ...paths: string[]): void {
  expectProblem(response, 400);
  const errors = (response.body as { errors?: { path: string }[] }).errors ?? [];
  expect(errors.map((error) => error.path)).toEqual(paths);
}

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;
let seededAt: Date;

beforeAll(async () => {
  ({ temporal, db } = await startTemporalAndStore());
  seededAt = new Date();
  await seedDevelopment(db.store, seededAt);
  api = await startTestApi({ store: db.store, temporal: temporal.client });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

describe('reading policies', () => {
  it.each(EVERY_ROLE)('lets %s read the list, the current version and the version effective now', async (token) => {
    const list = await api.call('GET', '/api/policies', { token });
    const current = await api.call('GET', '/api/policies/current', { token });
    const effective = await api.call('GET', `/api/policies/effective?at=${new Date().toISOString()}`, { token });
    const first = await api.call('GET', '/api/policies/1', { token });

    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ version: 1, status: 'effective' });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({
      version: 1,
      status: 'effective',
      title: EXAMPLE_POLICY.title,
      effectiveAt: new Date(Math.floor(seededAt.getTime() / 1000) * 1000).toISOString(),
      document: { routes: expect.any(Array) },
      // In effect, so no longer editable.
      frozen: true,
    });
    expect(effective.status).toBe(200);
    expect(effective.body).toMatchObject({ version: 1, status: 'effective' });
    expect(first.body).toMatchObject({ version: 1 });
  });

  it('answers 404 for an instant before any version was in effect', async () => {
    const response = await api.call('GET', '/api/policies/effective?at=2000-01-01T00:00:00Z', { token: 'dev-ops' });

    expectProblem(response, 404);
  });

  it('requires the instant, naming at', async () => {
    expectErrorsAt(await api.call('GET', '/api/policies/effective', { token: 'dev-ops' }), 'at');
    expectErrorsAt(await api.call('GET', '/api/policies/effective?at=yesterday', { token: 'dev-ops' }), 'at');
  });

  // Found by the OpenAPI fuzzer: year 0 reached the database and the API answered 500.
  it.each(['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59'])(
    'refuses an instant outside the years 1–9999 (%s), naming at or effectiveAt',
    async (instant) => {
      const at = `/api/policies/effective?at=${encodeURIComponent(instant)}`;
      expectErrorsAt(await api.call('GET', at, { token: 'dev-ops' }), 'at');
      const publish = { token: 'dev-admin', body: { effectiveAt: instant } };
      expectErrorsAt(await api.call('POST', '/api/policies/1/publish', publish), 'effectiveAt');
    },
  );

  it('names version when it is not a number', async () => {
    expectErrorsAt(await api.call('GET', '/api/policies/abc', { token: 'dev-ops' }), 'version');
  });

  it('answers 404 for a version that does not exist', async () => {
    expectProblem(await api.call('GET', '/api/policies/9999', { token: 'dev-ops' }), 404);
  });

  it('asks for a token when there is none', async () => {
    expectProblem(await api.call('GET', '/api/policies'), 401);
  });
});

describe('policy drafts', () => {
  it('creates the next version as a draft, then replaces the draft', async () => {
    const created = await api.call('POST', '/api/policies', { token: ADMIN, body: aPolicy('FY28 draft').build() });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 2, status: 'draft', title: 'FY28 draft' });
    expect(created.headers.get('location')).toBe('/api/policies/2');

    const replaced = await api.call('PUT', '/api/policies/2', { token: ADMIN, body: aPolicy('FY28 final').build() });

    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 2, status: 'draft', title: 'FY28 final' });
    const read = await api.call('GET', '/api/policies/2', { token: 'dev-partner-contoso' });
    expect(read.body).toMatchObject({ title: 'FY28 final', document: { title: 'FY28 final' } });
    const trail = await api.call('GET', '/api/audit?subject=policy:2', { token: 'dev-ops' });
    expect(trail.body.items).toEqual([
      expect.objectContaining({ actor: 'dev-admin', action: 'policy.draft_created' }),
      expect.objectContaining({ actor: 'dev-admin', action: 'policy.draft_replaced' }),
    ]);
  });

  it('keeps every draft change in the audit trail when a client sends the same request id each time', async () => {
    const headers = { 'x-request-id': 'policy-script-0001' };
    const first = await api.call('POST', '/api/policies', { token: ADMIN, headers, body: aPolicy('One').build() });
    const second = await api.call('POST', '/api/policies', { token: ADMIN, headers, body: aPolicy('Two').build() });
    await api.call('PUT', `/api/policies/${second.body.version}`, {
      token: ADMIN,
      headers,
      body: aPolicy('2b').build(),
    });
    await api.call('PUT', `/api/policies/${second.body.version}`, {
      token: ADMIN,
      headers,
      body: aPolicy('2c').build(),
    });

    const actionsOf = async (version: number) =>
      (await api.call('GET', `/api/audit?subject=policy:${version}`, { token: 'dev-ops' })).body.items.map(
        (event: { action: string }) => event.action,
      );
    expect(await actionsOf(first.body.version)).toEqual(['policy.draft_created']);
    expect(await actionsOf(second.body.version)).toEqual([
      'policy.draft_created',
      'policy.draft_replaced',
      'policy.draft_replaced',
    ]);
  });

  it('numbers each new draft after the last version', async () => {
    const before = await api.call('GET', '/api/policies?limit=500', { token: ADMIN });
    const last = Math.max(...(before.body.items as { version: number }[]).map((policy) => policy.version));

    const created = await api.call('POST', '/api/policies', { token: ADMIN, body: aPolicy().build() });

    expect(created.body.version).toBe(last + 1);
  });

  it('refuses to replace the effective version with 409, leaving it unchanged', async () => {
    const response = await api.call('PUT', '/api/policies/1', { token: ADMIN, body: aPolicy('Rewritten').build() });

    expectProblem(response, 409);
    // It names why: the version is in effect (no rollout ever froze it).
    expect(response.body.detail).toBe('policy version 1 is effective; only drafts can be replaced');
    expect((await api.call('GET', '/api/policies/1', { token: ADMIN })).body.title).toBe(EXAMPLE_POLICY.title);
  });

  it('answers 404 when replacing a version that does not exist', async () => {
    expectProblem(await api.call('PUT', '/api/policies/99', { token: ADMIN, body: aPolicy().build() }), 404);
  });

  it.each(['dev-ops', 'dev-vp', 'dev-partner-northwind'])('forbids %s to create or replace drafts', async (token) => {
    const before = await api.call('GET', '/api/policies?limit=500', { token: ADMIN });

    expectProblem(await api.call('POST', '/api/policies', { token, body: aPolicy().build() }), 403);
    expectProblem(await api.call('PUT', '/api/policies/2', { token, body: aPolicy('Hijacked').build() }), 403);

    const after = await api.call('GET', '/api/policies?limit=500', { token: ADMIN });
    expect(after.body.items).toEqual(before.body.items);
  });

  it('filters the list by status', async () => {
    const drafts = await api.call('GET', '/api/policies?status=draft', { token: 'dev-cm-emea' });
    const effective = await api.call('GET', '/api/policies?status=effective', { token: 'dev-cm-emea' });

    expect(drafts.status).toBe(200);
    expect(drafts.body.items.length).toBeGreaterThan(0);
    expect(drafts.body.items.every((policy: { status: string }) => policy.status === 'draft')).toBe(true);
    expect(effective.body.items.map((policy: { version: number }) => policy.version)).toEqual([1]);
    expectErrorsAt(await api.call('GET', '/api/policies?status=retired', { token: 'dev-ops' }), 'status');
  });

  it('refuses a cursor it did not hand out, naming cursor', async () => {
    for (const cursor of ['AAAA', 'eA', 'MA']) {
      expectErrorsAt(await api.call('GET', `/api/policies?cursor=${cursor}`, { token: 'dev-ops' }), 'cursor');
    }
  });

  it('pages through the versions with nextCursor', async () => {
    const everything = await api.call('GET', '/api/policies?limit=500', { token: 'dev-ops' });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.call('GET', `/api/policies?limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
        token: 'dev-ops',
      });
      seen.push(...page.body.items.map((policy: { version: number }) => policy.version));
      cursor = page.body.nextCursor;
    } while (cursor && seen.length < 100);

    expect(seen).toEqual(everything.body.items.map((policy: { version: number }) => policy.version));
    expect(seen.length).toBeGreaterThan(1);
  });
});

describe('policy document validation', () => {
  const post = (document: unknown) => api.call('POST', '/api/policies', { token: ADMIN, body: document });

  it('accepts durations in seconds', async () => {
    const document = aPolicy('Real-time test policy')
      .with('noticePeriod', 'PT5S')
      .with('registration.validity', 'PT60S')
      .with('registration.reminders', ['PT10S', 'PT5S'])
      .with('registration.review.sla', 'PT5S')
      .with('conflicts.escalation', [{ role: 'channel_manager', sla: 'PT5S' }])
      .with('conflicts.appealWindow', 'PT5S')
      .build();

    const response = await post(document);

    expect(response.status).toBe(201);
    expect(response.body.document).toMatchObject({ registration: { validity: 'PT60S', review: { sla: 'PT5S' } } });
  });

  it('names an unknown tier in a route', async () => {
    expectErrorsAt(
      await post(aPolicy().with('routes.2.eligibleTiers', ['diamond']).build()),
      'routes.2.eligibleTiers.0',
    );
  });

  it('names a duration that is not ISO 8601', async () => {
    expectErrorsAt(await post(aPolicy().with('registration.validity', '90 days').build()), 'registration.validity');
  });

  it('names a repeated route id', async () => {
    const [strategic, enterprise, catchAll] = structuredClone(EXAMPLE_POLICY.routes);
    const routes = [strategic, enterprise, { ...enterprise, route: 'partner_led' }, catchAll];

    const response = await post(aPolicy().with('routes', routes).build());

    expectErrorsAt(response, 'routes.2.id');
    expect(response.body.errors[0].message).toContain('R-ENTERPRISE');
  });

  it('names an unknown field at the root', async () => {
    expectErrorsAt(await post(aPolicy().with('owner', 'someone').build()), 'owner');
  });

  it('names a playbook rule id that no route has', async () => {
    const playbook = structuredClone(EXAMPLE_POLICY.playbook)!;
    playbook[1].expect.ruleIds = ['R-NOWHERE'];

    expectErrorsAt(await post(aPolicy().with('playbook', playbook).build()), 'playbook.1.expect.ruleIds.0');
  });

  it('names an escalation ladder that goes down', async () => {
    const ladder = [
      { role: 'regional_director', sla: 'PT24H' },
      { role: 'channel_manager', sla: 'PT48H' },
    ];

    expectErrorsAt(await post(aPolicy().with('conflicts.escalation', ladder).build()), 'conflicts.escalation.1.role');
  });

  it('checks a replacement draft as strictly as a new one', async () => {
    const draft = await post(aPolicy('To be replaced').build());

    const response = await api.call('PUT', `/api/policies/${draft.body.version}`, {
      token: ADMIN,
      body: aPolicy().with('registration.validity', 'P3M').build(),
    });

    expectErrorsAt(response, 'registration.validity');
    expect((await api.call('GET', `/api/policies/${draft.body.version}`, { token: ADMIN })).body.title).toBe(
      'To be replaced',
    );
  });

  it('creates no version for an invalid document', async () => {
    const before = await api.call('GET', '/api/policies?limit=500', { token: ADMIN });

    await post(aPolicy().with('registration.validity', '90 days').build());

    const after = await api.call('GET', '/api/policies?limit=500', { token: ADMIN });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });
});
