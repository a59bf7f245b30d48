import { resolve } from 'node:path';
import { ConfigError, loadConfig, type ProcessRole } from '../../src/config';

/** What a production process needs at the least: a cluster and a shared PostgreSQL. */
const CLUSTER = { TEMPORAL_ADDRESS: 'temporal.internal:7233', DATABASE_URL: 'postgres://roe@db.internal/roe' };

/** The lines start-up would print for `env`; fails the test when the configuration is accepted. */
function refusal(env: Record<string, string>, role: ProcessRole = 'embedded'): string[] {
  try {
    loadConfig(env, role);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.message.split('\n')).toEqual(error.lines);
    return error.lines;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused for ${role}`);
}

/** The variable each line is about: the text before its first colon. */
const variablesNamed = (lines: string[]) => lines.map((line) => line.slice(0, line.indexOf(':')));

describe('loadConfig defaults', () => {
  it('serves on port 3000 and keeps local state under ./var, resolved to an absolute path', () => {
    const config = loadConfig({}, 'embedded');

    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(resolve('var'));
    expect(config.mail.outboxDir).toBe(resolve('var', 'outbox'));
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('starts the embedded dev server on ports 7233 and 8233 when no cluster is named', () => {
    const config = loadConfig({}, 'embedded');

    expect(config.temporal).toMatchObject({ devPort: 7233, devUiPort: 8233, namespace: 'default' });
    expect(config.temporal.address).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
  });

  it('resolves a relative ROE_DATA_DIR and honours PORT', () => {
    const config = loadConfig({ ROE_DATA_DIR: 'state/here', PORT: '8080' }, 'embedded');

    expect(config.dataDir).toBe(resolve('state/here'));
    expect(config.port).toBe(8080);
  });

  it('keeps 500 workflows in a worker’s memory unless told otherwise', () => {
    expect(loadConfig({}, 'embedded').workerCachedWorkflows).toBe(500);
    expect(loadConfig({ ...CLUSTER, ROE_WORKER_CACHED_WORKFLOWS: '2000' }, 'worker').workerCachedWorkflows).toBe(2000);
  });

  it('holds managers’ updates for a 15-minute digest unless told otherwise; PT0S sends each at once', () => {
    expect(loadConfig({}, 'embedded').managerDigestWindowMs).toBe(15 * 60_000);
    expect(loadConfig({ ROE_MANAGER_DIGEST_WINDOW: 'PT1H30M' }, 'embedded').managerDigestWindowMs).toBe(90 * 60_000);
    expect(loadConfig({ ROE_MANAGER_DIGEST_WINDOW: 'PT0S' }, 'embedded').managerDigestWindowMs).toBe(0);
  });

  it('retries webhooks after 5 s, doubling, for 3 days, reaches no private target, and keeps email links 72 hours, unless told otherwise', () => {
    expect(loadConfig({}, 'embedded')).toMatchObject({
      webhooks: { allowedTargets: [], firstRetryMs: 5_000, retryForMs: 3 * 86_400_000 },
      emailLinkTtlMs: 72 * 3_600_000,
    });
    expect(
      loadConfig(
        {
          ROE_WEBHOOK_ALLOWED_TARGETS: '127.0.0.1:4000, hooks.internal:8443',
          ROE_WEBHOOK_FIRST_RETRY: 'PT1S',
          ROE_WEBHOOK_RETRY_FOR: 'PT1H',
          ROE_EMAIL_LINK_TTL: 'P1D',
        },
        'embedded',
      ),
    ).toMatchObject({
      webhooks: {
        allowedTargets: ['127.0.0.1:4000', 'hooks.internal:8443'],
        firstRetryMs: 1_000,
        retryForMs: 3_600_000,
      },
      emailLinkTtlMs: 86_400_000,
    });
  });

  it('treats a blank variable as unset', () => {
    expect(loadConfig({ PORT: '', ROE_DATA_DIR: '' }, 'embedded')).toMatchObject({
      port: 3000,
      dataDir: resolve('var'),
    });
  });

  it('turns the development tokens on for the embedded start in development', () => {
    expect(loadConfig({}, 'embedded').auth.devTokens).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }, 'embedded').auth.devTokens).toBe(true);
  });

  it.each(['api', 'worker'] as const)('keeps the development tokens off for `npm run %s`', (role) => {
    expect(loadConfig(CLUSTER, role).auth.devTokens).toBe(false);
  });

  it('keeps the development tokens off in production, even for the embedded start', () => {
    expect(loadConfig({ NODE_ENV: 'production' }, 'embedded').auth.devTokens).toBe(false);
  });

  it('lets ROE_DEV_AUTH=0 turn the development tokens off', () => {
    expect(loadConfig({ ROE_DEV_AUTH: '0' }, 'embedded').auth.devTokens).toBe(false);
  });

  it('configures JWT and mTLS only when all their variables are given', () => {
    const config = loadConfig(
      {
        AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
        AUTH_ISSUER: 'https://idp.example/',
        AUTH_AUDIENCE: 'roe',
        TEMPORAL_TLS_CERT: '/certs/client.pem',
        TEMPORAL_TLS_KEY: '/certs/client.key',
      },
      'embedded',
    );

    expect(config.auth.jwt).toEqual({
      jwksUrl: 'https://idp.example/.well-known/jwks.json',
      issuer: 'https://idp.example/',
      audience: 'roe',
    });
    expect(config.temporal.tls).toEqual({ certPath: '/certs/client.pem', keyPath: '/certs/client.key' });
    expect(loadConfig({}, 'embedded').auth.jwt).toBeUndefined();
  });
});

describe('loadConfig refusals', () => {
  it('prints one line per bad variable, each starting with its name', () => {
    const lines = refusal({ PORT: 'abc', SMTP_URL: 'http://x' });

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^PORT: /);
    expect(lines[1]).toMatch(/^SMTP_URL: .*smtp/);
  });

  it.each([
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['TEMPORAL_DEV_PORT', 'seven'],
    ['TEMPORAL_ADDRESS', 'temporal.internal'],
    ['DATABASE_URL', 'mysql://db/roe'],
    ['ROE_DEV_AUTH', 'yes'],
    ['NODE_ENV', 'staging'],
    ['ROE_PUBLIC_URL', 'not a url'],
    ['ROE_WORKER_CACHED_WORKFLOWS', '-1'],
    ['ROE_WORKER_CACHED_WORKFLOWS', 'many'],
    ['ROE_MANAGER_DIGEST_WINDOW', '15m'],
    ['ROE_MANAGER_DIGEST_WINDOW', 'PT-5M'],
    ['ROE_MANAGER_DIGEST_WINDOW', 'P2D'],
    ['ROE_WEBHOOK_ALLOWED_TARGETS', 'http://127.0.0.1:4000'],
    ['ROE_WEBHOOK_ALLOWED_TARGETS', '127.0.0.1'],
    ['ROE_WEBHOOK_FIRST_RETRY', '5s'],
    ['ROE_WEBHOOK_RETRY_FOR', 'PT0S'],
    ['ROE_EMAIL_LINK_TTL', '72h'],
  ])('refuses %s=%s with one line naming it', (name, value) => {
    const lines = refusal({ [name]: value });

    expect(variablesNamed(lines)).toEqual([name]);
  });

  it('refuses development tokens in production', () => {
    const lines = refusal({ NODE_ENV: 'production', ROE_DEV_AUTH: '1' });

    expect(lines).toEqual([expect.stringMatching(/^ROE_DEV_AUTH: .*NODE_ENV=production/)]);
  });

  it('refuses a TLS certificate without its key, and a key without its certificate', () => {
    expect(variablesNamed(refusal({ TEMPORAL_TLS_CERT: '/certs/client.pem' }))).toEqual(['TEMPORAL_TLS_KEY']);
    expect(variablesNamed(refusal({ TEMPORAL_TLS_KEY: '/certs/client.key' }))).toEqual(['TEMPORAL_TLS_CERT']);
  });

  it('refuses an API key together with an mTLS certificate', () => {
    const lines = refusal({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/c.key' });

    expect(variablesNamed(lines)).toEqual(['TEMPORAL_API_KEY']);
  });

  it('refuses a partial JWT configuration, naming each missing variable', () => {
    expect(variablesNamed(refusal({ AUTH_ISSUER: 'https://idp.example/' }))).toEqual([
      'AUTH_JWKS_URL',
      'AUTH_AUDIENCE',
    ]);
    expect(variablesNamed(refusal({ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_AUDIENCE: 'roe' }))).toEqual([
      'AUTH_ISSUER',
    ]);
  });

  it.each(['api', 'worker'] as const)('requires TEMPORAL_ADDRESS and DATABASE_URL for `npm run %s`', (role) => {
    expect(variablesNamed(refusal({}, role))).toEqual(['TEMPORAL_ADDRESS', 'DATABASE_URL']);
    expect(variablesNamed(refusal({ TEMPORAL_ADDRESS: CLUSTER.TEMPORAL_ADDRESS }, role))).toEqual(['DATABASE_URL']);
    expect(variablesNamed(refusal({ DATABASE_URL: CLUSTER.DATABASE_URL }, role))).toEqual(['TEMPORAL_ADDRESS']);
    expect(loadConfig(CLUSTER, role)).toMatchObject({ role, databaseUrl: CLUSTER.DATABASE_URL });
  });

  it('reports malformed and missing variables together, so one restart shows every problem', () => {
    const lines = refusal({ PORT: 'abc', AUTH_ISSUER: 'https://idp.example/' }, 'worker');

    expect(variablesNamed(lines).sort()).toEqual(
      ['AUTH_AUDIENCE', 'AUTH_JWKS_URL', 'DATABASE_URL', 'PORT', 'TEMPORAL_ADDRESS'].sort(),
    );
  });
});

describe('loadConfig for failed authentication', () => {
  it('allows 30 failed authentications a minute per address and trusts no proxy unless told', () => {
    expect(loadConfig({}, 'embedded')).toMatchObject({ authFailuresPerMinute: 30, trustedProxies: [] });
  });

  it('reads the trusted proxies as addresses, CIDR ranges or Express range names', () => {
    const config = loadConfig(
      { ROE_TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::1, loopback', ROE_AUTH_FAILURES_PER_MINUTE: '5' },
      'embedded',
    );

    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '2001:db8::1', 'loopback']);
    expect(config.authFailuresPerMinute).toBe(5);
  });

  it.each(['proxy.internal', '10.0.0.0/33', '10.0.0.1,', '300.1.1.1'])('refuses ROE_TRUSTED_PROXIES=%s', (value) => {
    expect(variablesNamed(refusal({ ROE_TRUSTED_PROXIES: value }))).toEqual(['ROE_TRUSTED_PROXIES']);
  });
});

describe('the address the API listens on', () => {
  it('is loopback only while development tokens are accepted, and every interface otherwise', () => {
    expect(loadConfig({}, 'embedded').host).toBe('127.0.0.1');
    expect(loadConfig({ ROE_DEV_AUTH: '0' }, 'embedded').host).toBe('0.0.0.0');
    expect(loadConfig({ ...CLUSTER, NODE_ENV: 'production' }, 'api').host).toBe('0.0.0.0');
  });

  it('is HOST when set', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }, 'embedded').host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }, 'embedded').host).toBe('::');
  });

  it.each(['my laptop', '0.0.0.0:3000', '256.0.0.1'])('refuses HOST=%s', (value) => {
    expect(refusal({ HOST: value })).toEqual([expect.stringMatching(/^HOST: must be an IP address/)]);
  });
});
