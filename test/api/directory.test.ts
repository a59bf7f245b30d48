import { startTemporalAndStore } from '../helpers/environment';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import type { TestStore } from '../helpers/store';
import type { TestTemporal } from '../helpers/temporal';
import { seedDevelopment } from '../../src/store/seed';

const ADMIN = 'dev-admin';
const READERS = ['dev-admin', 'dev-ops', 'dev-cm-emea', 'dev-vp'];

const aPartner = (overrides: Record<string, unknown> = {}) => ({
  name: 'Acme Resellers',
  type: 'reseller',
  tier: 'gold',
  regions: ['emea'],
  contacts: [{ name: 'Ada Acme', email: 'ada@acme.example' }],
  ...overrides,
});

const anAccount = (overrides: Record<string, unknown> = {}) => ({
  name: 'Globex Corporation',
  segment: 'enterprise',
  region: 'emea',
  ...overrides,
});

const aPerson = (overrides: Record<string, unknown> = {}) => ({
  name: 'Greta Global',
  email: 'greta@vendor.example',
  escalationRoles: ['vp_partnerships'],
  regions: ['*'],
  ...overrides,
});

/** A 400 problem whose `errors` name exactly these paths. */
function expectValidationError(response: ApiResponse, ...paths: string[]): void {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const errors = (response.body as { errors?: { path: string }[] }).errors ?? [];
  expect(errors.map((error) => error.path).sort()).toEqual([...paths].sort());
}

/** Every item of a collection, following `nextCursor` one page of `limit` at a time. */
async function walkCollection(path: string, limit: number): Promise<{ pages: number; items: unknown[] }> {
  const items: unknown[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const query = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await api.call('GET', `${path}${query}`, { token: 'dev-ops' });
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    pages += 1;
    if (pages > 100) throw new Error('pagination does not end');
  } while (cursor);
  return { pages, items };
}

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;

beforeAll(async () => {
  ({ temporal, db } = await startTemporalAndStore());
  await seedDevelopment(db.store, new Date());
  api = await startTestApi({ store: db.store, temporal: temporal.client });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

describe('partners', () => {
  it('creates a partner with 201, then replaces it with 200', async () => {
    const created = await api.call('PUT', '/api/directory/partners/acme', { token: ADMIN, body: aPartner() });
    const replaced = await api.call('PUT', '/api/directory/partners/acme', {
      token: ADMIN,
      body: aPartner({ tier: 'platinum', regions: ['emea', 'na'] }),
    });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'acme', ...aPartner(), updatedAt: expect.any(String) });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: 'acme', tier: 'platinum', regions: ['emea', 'na'] });

    const read = await api.call('GET', '/api/directory/partners/acme', { token: 'dev-ops' });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: 'acme', name: 'Acme Resellers', tier: 'platinum' });
  });

  it('records who created and then changed a partner in its audit trail', async () => {
    await api.call('PUT', '/api/directory/partners/audited', { token: ADMIN, body: aPartner() });
    await api.call('PUT', '/api/directory/partners/audited', { token: ADMIN, body: aPartner({ tier: 'silver' }) });

    const trail = await api.call('GET', '/api/audit?subject=directory:partner:audited', { token: 'dev-ops' });

    expect(trail.status).toBe(200);
    expect(trail.body.items).toEqual([
      expect.objectContaining({ actor: 'dev-admin', action: 'partner.created', at: expect.any(String) }),
      expect.objectContaining({
        actor: 'dev-admin',
        action: 'partner.updated',
        detail: expect.objectContaining({ tier: 'silver' }),
      }),
    ]);
  });

  it('keeps every write in the audit trail when a client sends the same request id each time', async () => {
    const headers = { 'x-request-id': 'sync-script-0001' };
    for (const id of ['batch-1', 'batch-2', 'batch-1']) {
      await api.call('PUT', `/api/directory/partners/${id}`, { token: ADMIN, headers, body: aPartner() });
    }

    const actionsOf = async (id: string) =>
      (await api.call('GET', `/api/audit?subject=directory:partner:${id}`, { token: 'dev-ops' })).body.items.map(
        (event: { action: string }) => event.action,
      );
    expect(await actionsOf('batch-1')).toEqual(['partner.created', 'partner.updated']);
    expect(await actionsOf('batch-2')).toEqual(['partner.created']);
  });

  it('lists every partner exactly once, one page at a time, following nextCursor', async () => {
    for (const id of ['page-a', 'page-b', 'page-c']) {
      await api.call('PUT', `/api/directory/partners/${id}`, { token: ADMIN, body: aPartner() });
    }
    const everything = await api.call('GET', '/api/directory/partners?limit=500', { token: 'dev-ops' });
    const allIds = (everything.body.items as { id: string }[]).map((partner) => partner.id);

    const walked = await walkCollection('/api/directory/partners', 1);
    const walkedIds = (walked.items as { id: string }[]).map((partner) => partner.id);

    expect(allIds).toEqual(expect.arrayContaining(['northwind', 'contoso', 'fabrikam', 'page-a', 'page-b', 'page-c']));
    expect(everything.body.nextCursor).toBeUndefined();
    expect(walkedIds).toEqual(allIds);
    expect(walked.pages).toBe(allIds.length);
  });

  it('answers 404 for a partner that does not exist', async () => {
    const response = await api.call('GET', '/api/directory/partners/nobody', { token: 'dev-ops' });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('names each bad field of a partner', async () => {
    expectValidationError(
      await api.call('PUT', '/api/directory/partners/acme', { token: ADMIN, body: aPartner({ tier: 'diamond' }) }),
      'tier',
    );
    expectValidationError(
      await api.call('PUT', '/api/directory/partners/acme', {
        token: ADMIN,
        body: aPartner({ contacts: [{ name: 'Ada', email: 'not-an-email' }] }),
      }),
      'contacts.0.email',
    );
    expectValidationError(
      await api.call('PUT', '/api/directory/partners/acme', {
        token: ADMIN,
        body: aPartner({ name: undefined, type: 'x' }),
      }),
      'name',
      'type',
    );
  });

  it('refuses unknown fields instead of storing them', async () => {
    const response = await api.call('PUT', '/api/directory/partners/sneaky', {
      token: ADMIN,
      body: aPartner({ id: 'someone-else', updatedAt: '2000-01-01T00:00:00Z' }),
    });

    expectValidationError(response, 'id', 'updatedAt');
    expect((await api.call('GET', '/api/directory/partners/sneaky', { token: ADMIN })).status).toBe(404);
  });

  it('refuses a cursor it did not hand out, naming cursor', async () => {
    for (const cursor of ['AAAA', '____', 'bm9ydGh3aW5k!']) {
      const response = await api.call('GET', `/api/directory/partners?cursor=${encodeURIComponent(cursor)}`, {
        token: 'dev-ops',
      });
      expectValidationError(response, 'cursor');
    }
  });

  it('refuses a page size of 0 or over 500, naming limit', async () => {
    for (const limit of ['0', '501', 'many']) {
      expectValidationError(
        await api.call('GET', `/api/directory/partners?limit=${limit}`, { token: 'dev-ops' }),
        'limit',
      );
    }
  });
});

describe('accounts', () => {
  it('stores an account given as a URL under its registrable domain', async () => {
    const path = `/api/directory/accounts/${encodeURIComponent('https://Sales.Globex.example/')}`;

    const response = await api.call('PUT', path, { token: ADMIN, body: anAccount({ name: 'Globex International' }) });

    expect([200, 201]).toContain(response.status);
    expect(response.body).toMatchObject({ domain: 'globex.example', name: 'Globex International' });
    const read = await api.call('GET', '/api/directory/accounts/globex.example', { token: 'dev-cm-emea' });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ domain: 'globex.example', name: 'Globex International', segment: 'enterprise' });
    const viaSubdomain = await api.call('GET', '/api/directory/accounts/eu.globex.example', { token: 'dev-cm-emea' });
    expect(viaSubdomain.body).toMatchObject({ domain: 'globex.example' });
  });

  it('creates a named direct account with its direct owner', async () => {
    const body = anAccount({ name: 'Stark', directOwner: { name: 'Dana Direct', email: 'dana@vendor.example' } });

    const created = await api.call('PUT', '/api/directory/accounts/stark.example', { token: ADMIN, body });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ domain: 'stark.example', directOwner: { name: 'Dana Direct' } });
  });

  it.each(['localhost', '10.0.0.1', 'co.uk', 'not_a_domain'])(
    'refuses %j as an account domain, naming domain',
    async (domain) => {
      const response = await api.call('PUT', `/api/directory/accounts/${encodeURIComponent(domain)}`, {
        token: ADMIN,
        body: anAccount(),
      });

      expectValidationError(response, 'domain');
    },
  );

  it('lists every account exactly once, two at a time', async () => {
    const everything = await api.call('GET', '/api/directory/accounts?limit=500', { token: 'dev-ops' });

    const walked = await walkCollection('/api/directory/accounts', 2);

    expect(walked.items).toEqual(everything.body.items);
    expect(everything.body.items.length).toBeGreaterThanOrEqual(4);
  });

  it('names a bad segment and a bad direct owner email', async () => {
    const response = await api.call('PUT', '/api/directory/accounts/initech.example', {
      token: ADMIN,
      body: anAccount({ segment: 'galactic', directOwner: { name: 'X', email: 'x' } }),
    });

    expectValidationError(response, 'segment', 'directOwner.email');
  });
});

describe('people', () => {
  it('creates a person who covers every region', async () => {
    const created = await api.call('PUT', '/api/directory/people/greta', { token: ADMIN, body: aPerson() });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'greta', regions: ['*'], escalationRoles: ['vp_partnerships'] });
    const read = await api.call('GET', '/api/directory/people/greta', { token: 'dev-vp' });
    expect(read.body).toMatchObject({ id: 'greta', regions: ['*'] });
  });

  it('names an unknown escalation role and an empty region list', async () => {
    const response = await api.call('PUT', '/api/directory/people/greta', {
      token: ADMIN,
      body: aPerson({ escalationRoles: ['ceo'], regions: [] }),
    });

    expectValidationError(response, 'escalationRoles.0', 'regions');
  });

  it('lists the seeded people', async () => {
    const response = await api.call('GET', '/api/directory/people', { token: 'dev-rd-emea' });

    expect(response.status).toBe(200);
    expect((response.body.items as { id: string }[]).map((person) => person.id)).toEqual(
      expect.arrayContaining(['cm-emea', 'rd-emea', 'vp']),
    );
  });
});

describe('who may use the directory', () => {
  const collections = ['/api/directory/partners', '/api/directory/accounts', '/api/directory/people'];
  const items = [
    '/api/directory/partners/northwind',
    '/api/directory/accounts/globex.example',
    '/api/directory/people/vp',
  ];

  it.each(READERS)('lets %s read every collection and item', async (token) => {
    for (const path of [...collections, ...items]) {
      expect({ path, status: (await api.call('GET', path, { token })).status }).toEqual({ path, status: 200 });
    }
  });

  it('forbids partners to read the directory', async () => {
    for (const path of [...collections, ...items]) {
      const response = await api.call('GET', path, { token: 'dev-partner-northwind' });
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
    }
  });

  it('asks for a token when there is none or it is unknown', async () => {
    expect((await api.call('GET', '/api/directory/partners')).status).toBe(401);
    expect((await api.call('GET', '/api/directory/partners', { token: 'who-am-i' })).status).toBe(401);
  });

  it.each(['dev-ops', 'dev-cm-emea', 'dev-partner-northwind'])('forbids %s to write the directory', async (token) => {
    const writes = [
      api.call('PUT', '/api/directory/partners/northwind', { token, body: aPartner() }),
      api.call('PUT', '/api/directory/accounts/globex.example', { token, body: anAccount() }),
      api.call('PUT', '/api/directory/people/vp', { token, body: aPerson() }),
    ];

    expect((await Promise.all(writes)).map((response) => response.status)).toEqual([403, 403, 403]);
    const northwind = await api.call('GET', '/api/directory/partners/northwind', { token: ADMIN });
    expect(northwind.body).toMatchObject({ name: 'Northwind Traders' });
  });
});
