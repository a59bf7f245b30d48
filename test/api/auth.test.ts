import { createServer, type Server } from 'node:http';
import { generateKeyPair, exportJWK, SignJWT, UnsecuredJWT, type JWTPayload, type KeyLike } from 'jose';
import { seedDevelopment } from '../../src/store/seed';
import { startTemporalAndStore } from '../helpers/environment';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import type { TestStore } from '../helpers/store';
import type { TestTemporal } from '../helpers/temporal';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'roe-api';
const KID = 'roe-test-key';

const aPartner = () => ({
  name: 'Acme Resellers',
  type: 'reseller',
  tier: 'gold',
  regions: ['emea'],
  contacts: [{ name: 'Ada Acme', email: 'ada@acme.example' }],
});

function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(expect.objectContaining({ status, type: expect.any(String) }));
}

/** `roe_<id>_<secret>`: the id is public, the secret is what must never be stored or shown again. */
function partsOf(key: string): { id: string; secret: string } {
  const match = /^roe_([0-9a-f]{12})_(.+)$/.exec(key);
  if (!match) throw new Error(`not a service key: ${key}`);
  return { id: match[1], secret: match[2] };
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

describe('dev tokens', () => {
  it.each([
    ['dev-admin', 200, 200],
    ['dev-ops', 200, 200],
    ['dev-cm-emea', 200, 200],
    ['dev-rd-emea', 200, 200],
    ['dev-vp', 200, 200],
    ['dev-partner-northwind', 200, 403],
    ['dev-partner-contoso', 200, 403],
    ['dev-partner-fabrikam', 200, 403],
  ])('%s reads policies (%i) and the directory (%i) as its role allows', async (token, policies, directory) => {
    expect((await api.call('GET', '/api/policies', { token })).status).toBe(policies);
    expect((await api.call('GET', '/api/directory/partners', { token })).status).toBe(directory);
  });

  it.each(['dev-ops', 'dev-cm-emea', 'dev-vp', 'dev-partner-northwind'])(
    'refuses a directory write by %s with 403',
    async (token) => {
      expectProblem(await api.call('PUT', '/api/directory/partners/acme', { token, body: aPartner() }), 403);
    },
  );

  it('lets dev-admin write the directory', async () => {
    const response = await api.call('PUT', '/api/directory/partners/acme', { token: 'dev-admin', body: aPartner() });
    expect([200, 201]).toContain(response.status);
    expect(response.body.id).toBe('acme');
  });

  it('refuses a partner reading the directory with 403', async () => {
    expectProblem(await api.call('GET', '/api/directory/partners', { token: 'dev-partner-northwind' }), 403);
  });

  describe('when dev auth is off', () => {
    let noDev: TestApi;
    beforeAll(async () => {
      noDev = await startTestApi({ store: db.store, temporal: temporal.client }, { auth: { devTokens: false } });
    });
    afterAll(async () => {
      await noDev?.close();
    });

    it.each(['dev-admin', 'dev-ops', 'dev-partner-northwind'])('answers %s with 401', async (token) => {
      const response = await noDev.call('GET', '/api/policies', { token });
      expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('still accepts a service API key', async () => {
      const created = await api.call('POST', '/api/api-keys', {
        token: 'dev-admin',
        body: { name: 'no-dev probe', grant: { role: 'ops' } },
      });
      expect(created.status).toBe(201);
      expect((await noDev.call('GET', '/api/policies', { token: created.body.key })).status).toBe(200);
    });
  });
});

describe('service API keys', () => {
  let opsKey: string;
  let opsKeyId: string;

  beforeAll(async () => {
    const created = await api.call('POST', '/api/api-keys', {
      token: 'dev-admin',
      body: { name: 'reporting integration', grant: { role: 'ops' } },
    });
    expect(created.status).toBe(201);
    opsKey = created.body.key;
    opsKeyId = created.body.id;
  });

  it('creates a key shown once, starting with roe_', async () => {
    const created = await api.call('POST', '/api/api-keys', {
      token: 'dev-admin',
      body: { name: 'crm sync', grant: { role: 'ops' } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.body.key).toMatch(/^roe_/);
    expect(created.body).toEqual(
      expect.objectContaining({ id: partsOf(created.body.key).id, name: 'crm sync', createdAt: expect.any(String) }),
    );
    expect(created.body.principal).toEqual(expect.objectContaining({ role: 'ops' }));
  });

  it('authenticates the key with the role it was granted', async () => {
    expect((await api.call('GET', '/api/policies', { token: opsKey })).status).toBe(200);
    expect((await api.call('GET', '/api/directory/partners', { token: opsKey })).status).toBe(200);
    expectProblem(await api.call('PUT', '/api/directory/partners/acme', { token: opsKey, body: aPartner() }), 403);
  });

  it('refuses a key whose secret is wrong with 401', async () => {
    const { id, secret } = partsOf(opsKey);
    const tampered = `roe_${id}_${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;
    expectProblem(await api.call('GET', '/api/policies', { token: tampered }), 401);
  });

  it('refuses key management to anyone but an admin', async () => {
    expectProblem(
      await api.call('POST', '/api/api-keys', { token: opsKey, body: { name: 'escalate', grant: { role: 'admin' } } }),
      403,
    );
    expectProblem(await api.call('GET', '/api/api-keys', { token: 'dev-ops' }), 403);
  });

  it('lists keys without the key or its hash', async () => {
    const [{ key_hash: hash }] = await db.store.db.query<{ key_hash: string }>(
      'SELECT key_hash FROM api_keys WHERE id = $1',
      [opsKeyId],
    );
    const listed = await api.call('GET', '/api/api-keys', { token: 'dev-admin' });
    expect(listed.status).toBe(200);
    const item = listed.body.items.find((k: { id: string }) => k.id === opsKeyId);
    expect(item).toEqual(expect.objectContaining({ id: opsKeyId, name: 'reporting integration' }));
    expect(item.key).toBeUndefined();
    expect(listed.text).not.toContain(partsOf(opsKey).secret);
    expect(listed.text).not.toContain(hash);
  });

  it('stores only a hash of the secret', async () => {
    const { secret } = partsOf(opsKey);
    const rows = await db.store.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(rows.length).toBeGreaterThan(0);
    for (const { key_hash } of rows) {
      expect(key_hash).not.toContain(secret);
      expect(key_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const everything = JSON.stringify(await db.store.db.query('SELECT * FROM api_keys'));
    expect(everything).not.toContain(secret);
  });

  it('answers 401 for a key once it is revoked', async () => {
    const created = await api.call('POST', '/api/api-keys', {
      token: 'dev-admin',
      body: { name: 'short-lived', grant: { role: 'ops' } },
    });
    expect((await api.call('GET', '/api/policies', { token: created.body.key })).status).toBe(200);

    const revoked = await api.call('DELETE', `/api/api-keys/${created.body.id}`, { token: 'dev-admin' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));

    expectProblem(await api.call('GET', '/api/policies', { token: created.body.key }), 401);
  });

  it('answers 404 when revoking a key that does not exist', async () => {
    expectProblem(await api.call('DELETE', '/api/api-keys/0123456789ab', { token: 'dev-admin' }), 404);
  });

  it('grants a key to a partner of the directory', async () => {
    const created = await api.call('POST', '/api/api-keys', {
      token: 'dev-admin',
      body: { name: 'northwind portal', grant: { role: 'partner', partnerId: 'northwind' } },
    });
    expect(created.status).toBe(201);
    expect((await api.call('GET', '/api/policies', { token: created.body.key })).status).toBe(200);
    expectProblem(await api.call('GET', '/api/directory/partners', { token: created.body.key }), 403);
  });

  it('answers 404 for a partner grant to an unknown partner', async () => {
    const response = await api.call('POST', '/api/api-keys', {
      token: 'dev-admin',
      body: { name: 'ghost portal', grant: { role: 'partner', partnerId: 'no-such-partner' } },
    });
    expectProblem(response, 404);
  });

  it('rejects a grant with an unknown field with 400 naming it', async () => {
    const response = await api.call('POST', '/api/api-keys', {
      token: 'dev-admin',
      body: { name: 'sneaky', grant: { role: 'ops', partnerId: 'northwind' } },
    });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'grant.partnerId' })]),
    );
  });
});

describe('JWT bearer tokens', () => {
  let privateKey: KeyLike;
  let strangerKey: KeyLike;
  let jwks: Server;
  let jwtApi: TestApi;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      if (req.url === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [publicJwk] }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const address = jwks.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    jwtApi = await startTestApi(
      { store: db.store, temporal: temporal.client },
      {
        auth: {
          devTokens: false,
          jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER, audience: AUDIENCE },
        },
      },
    );
  });

  afterAll(async () => {
    await jwtApi?.close();
    if (jwks) {
      jwks.closeAllConnections();
      await new Promise((resolve) => jwks.close(resolve));
    }
  });

  const now = () => Math.floor(Date.now() / 1000);

  function aToken(
    claims: JWTPayload,
    options: { key?: KeyLike; issuer?: string; audience?: string; issuedAt?: number; expiresAt?: number } = {},
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .setSubject('user-42')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt(options.issuedAt ?? now())
      .setExpirationTime(options.expiresAt ?? now() + 300)
      .sign(options.key ?? privateKey);
  }

  const northwind = { role: 'partner', partnerId: 'northwind' };

  it('authenticates a partner token as that partner', async () => {
    const token = await aToken(northwind);
    expect((await jwtApi.call('GET', '/api/policies', { token })).status).toBe(200);
    expectProblem(await jwtApi.call('GET', '/api/directory/partners', { token }), 403);
  });

  it('authenticates a manager token with escalation roles and regions', async () => {
    const token = await aToken({ role: 'manager', escalationRoles: ['regional_director'], regions: ['emea'] });
    const response = await jwtApi.call('GET', '/api/directory/partners', { token });
    expect(response.status).toBe(200);
    expect(response.body.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['northwind']));
  });

  it('refuses a token for another audience with 401', async () => {
    const token = await aToken(northwind, { audience: 'someone-else' });
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('refuses a token from another issuer with 401', async () => {
    const token = await aToken(northwind, { issuer: 'https://evil.test' });
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('refuses an expired token with 401', async () => {
    const token = await aToken(northwind, { issuedAt: now() - 7200, expiresAt: now() - 3600 });
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('refuses an HS256 token signed with a shared secret with 401', async () => {
    const token = await new SignJWT(northwind)
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .setSubject('user-42')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long'));
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('refuses an unsigned (alg none) token with 401', async () => {
    const token = new UnsecuredJWT(northwind)
      .setSubject('user-42')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .encode();
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('refuses a token without a subject with 401', async () => {
    const token = await new SignJWT(northwind)
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('refuses a token signed by another key with 401', async () => {
    const token = await aToken(northwind, { key: strangerKey });
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('refuses a partner token without partnerId with 401', async () => {
    const token = await aToken({ role: 'partner' });
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('refuses a token with an unknown role with 401', async () => {
    const token = await aToken({ role: 'superuser' });
    expectProblem(await jwtApi.call('GET', '/api/policies', { token }), 401);
  });

  it('does not accept dev tokens when only JWT auth is configured', async () => {
    expectProblem(await jwtApi.call('GET', '/api/policies', { token: 'dev-admin' }), 401);
  });
});
