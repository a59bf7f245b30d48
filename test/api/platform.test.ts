import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTemporalAndStore } from '../helpers/environment';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import { dropDatabase, openTestStore, type TestStore } from '../helpers/store';
import type { TestTemporal } from '../helpers/temporal';

const PROBLEM_JSON = /^application\/problem\+json/;

const aPartner = (overrides: Record<string, unknown> = {}) => ({
  name: 'Acme Resellers',
  type: 'reseller',
  tier: 'gold',
  regions: ['emea'],
  contacts: [{ name: 'Ada Acme', email: 'ada@acme.example' }],
  ...overrides,
});

function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
  expect(response.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
}

async function eventually<T>(probe: () => T | undefined, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A pino logger writing into memory, one JSON line per entry. */
function capturedLogs(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;

beforeAll(async () => {
  ({ temporal, db } = await startTemporalAndStore());
  api = await startTestApi({ store: db.store, temporal: temporal.client });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

describe('authentication and authorization errors', () => {
  it('answers a call without a token with 401 problem+json and a Bearer challenge', async () => {
    const response = await api.call('GET', '/api/policies');
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers a call with an unknown token with 401 problem+json', async () => {
    const response = await api.call('GET', '/api/policies', { token: 'dev-nobody' });
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers a malformed Authorization header with 401', async () => {
    const response = await api.call('GET', '/api/policies', { headers: { authorization: 'Basic ZGV2LWFkbWluOg==' } });
    expectProblem(response, 401);
  });

  it('answers a known token without the role with 403 problem+json', async () => {
    const response = await api.call('PUT', '/api/directory/partners/acme', {
      token: 'dev-partner-northwind',
      body: aPartner(),
    });
    expectProblem(response, 403);
  });
});

describe('routing errors', () => {
  it('answers an unknown route under /api with 404 problem+json', async () => {
    const response = await api.call('GET', '/api/no-such-thing', { token: 'dev-admin' });
    expectProblem(response, 404);
  });

  it('answers an unknown route outside /api with 404 problem+json', async () => {
    const response = await api.call('GET', '/no-such-page');
    expectProblem(response, 404);
  });

  it('answers a wrong method on a known path with 405 and an Allow header', async () => {
    const response = await api.call('DELETE', '/api/policies/current', { token: 'dev-admin' });
    expectProblem(response, 405);
    const allow = (response.headers.get('allow') ?? '').split(/,\s*/);
    expect(allow).toContain('GET');
    expect(allow).not.toContain('DELETE');
  });

  it('answers a wrong method on an operations endpoint with 405', async () => {
    const response = await api.call('POST', '/healthz');
    expectProblem(response, 405);
    expect(response.headers.get('allow')).toContain('GET');
  });
});

describe('request bodies', () => {
  it('refuses a text/plain body with 415', async () => {
    const response = await api.call('PUT', '/api/directory/partners/acme', {
      token: 'dev-admin',
      rawBody: JSON.stringify(aPartner()),
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(response, 415);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await api.call('PUT', '/api/directory/partners/acme', {
      token: 'dev-admin',
      rawBody: '{"name": "Acme", ',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 400);
  });

  it('answers a body over 100 kB with 413', async () => {
    const response = await api.call('PUT', '/api/directory/partners/acme', {
      token: 'dev-admin',
      body: aPartner({ name: 'x'.repeat(110 * 1024) }),
    });
    expectProblem(response, 413);
  });

  it('rejects an unknown field with 400 naming the field', async () => {
    const response = await api.call('PUT', '/api/directory/partners/acme', {
      token: 'dev-admin',
      body: aPartner({ role: 'admin' }),
    });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ path: 'role', message: expect.any(String) }]);
  });

  it('rejects a bad nested field with 400 naming its path', async () => {
    const response = await api.call('PUT', '/api/directory/partners/acme', {
      token: 'dev-admin',
      body: aPartner({ contacts: [{ name: 'Ada Acme', email: 'not-an-email' }] }),
    });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ path: 'contacts.0.email', message: expect.any(String) }]);
  });

  it('accepts a valid body (the baseline of the rejections above)', async () => {
    const response = await api.call('PUT', '/api/directory/partners/acme', { token: 'dev-admin', body: aPartner() });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual(expect.objectContaining({ id: 'acme', name: 'Acme Resellers' }));
  });
});

describe('response headers', () => {
  it('never sends x-powered-by', async () => {
    for (const response of [
      await api.call('GET', '/healthz'),
      await api.call('GET', '/api/policies', { token: 'dev-ops' }),
      await api.call('GET', '/api/policies'),
    ]) {
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('sends helmet security headers', async () => {
    const response = await api.call('GET', '/api/policies', { token: 'dev-ops' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('gives every response its own X-Request-Id', async () => {
    const responses = [
      await api.call('GET', '/healthz'),
      await api.call('GET', '/api/policies', { token: 'dev-ops' }),
      await api.call('GET', '/api/policies'),
      await api.call('GET', '/no-such-page'),
      await api.call('GET', '/api/openapi.json'),
      await api.call('GET', '/docs/assets/swagger-ui.css'),
    ];
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._-]{8,}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('echoes a valid incoming X-Request-Id', async () => {
    const response = await api.call('GET', '/api/policies', {
      token: 'dev-ops',
      headers: { 'x-request-id': 'client-trace-0042' },
    });
    expect(response.headers.get('x-request-id')).toBe('client-trace-0042');
  });

  it('replaces an incoming X-Request-Id that is not a safe id', async () => {
    const response = await api.call('GET', '/healthz', { headers: { 'x-request-id': 'bad id<script>' } });
    const id = response.headers.get('x-request-id');
    expect(id).not.toBe('bad id<script>');
    expect(id).toMatch(/^[A-Za-z0-9._-]{8,}$/);
  });
});

describe('rate limiting', () => {
  let limited: TestApi;

  beforeAll(async () => {
    limited = await startTestApi({ store: db.store, temporal: temporal.client }, { rateLimitPerMinute: 3 });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 with Retry-After once a token spends its budget, while another token still passes', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await limited.call('GET', '/api/policies', { token: 'dev-ops' })).status).toBe(200);
    }
    const refused = await limited.call('GET', '/api/policies', { token: 'dev-ops' });
    expectProblem(refused, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const other = await limited.call('GET', '/api/policies', { token: 'dev-admin' });
    expect(other.status).toBe(200);
  });
});

describe('OpenAPI document and docs page', () => {
  const CONTRACT_PATHS = [
    '/api/directory/partners/{partnerId}',
    '/api/policies',
    '/api/policies/{version}',
    '/api/policies/current',
    '/api/policies/effective',
    '/api/workflows/{workflowId}',
    '/api/workflows',
    '/api/audit',
    '/api/conflicts',
    '/api/conflicts/{id}',
    '/api/conflicts/{id}/resolution',
    '/api/conflicts/{id}/appeal',
    '/api/inbox',
    '/api/metrics',
  ];

  it('serves an OpenAPI 3.1 document without auth, covering every implemented contract path', async () => {
    const response = await api.call('GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(CONTRACT_PATHS));
  });

  it('serves the OpenAPI document without auth also with a trailing slash', async () => {
    const response = await api.call('GET', '/api/openapi.json/');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
  });

  it('spells each templated path once, declaring every template name as a path parameter', async () => {
    const { paths } = (await api.call('GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[] }>>;
    };
    const shapes = Object.keys(paths).map((path) => path.replace(/\{[^}]+\}/g, '{}'));
    expect(new Set(shapes).size).toBe(shapes.length);
    expect(Object.keys(paths['/api/directory/partners/{partnerId}']).sort()).toEqual(['get', 'put']);

    const operationIds: string[] = [];
    for (const [path, operations] of Object.entries(paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const operation of Object.values(operations)) {
        const declared = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
        expect({ path, declared: declared.sort() }).toEqual({ path, declared: names });
        operationIds.push(operation.operationId);
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('describes the partner body as generated from its strict zod schema', async () => {
    const response = await api.call('GET', '/api/openapi.json');
    const operation = response.body.paths['/api/directory/partners/{partnerId}'].put;
    const schema = operation.requestBody.content['application/json'].schema;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'type', 'tier', 'regions', 'contacts']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['contacts']));
    expect(schema.properties.contacts.items.required).toEqual(expect.arrayContaining(['name', 'email']));
    expect(schema.properties.tier.enum).toEqual(expect.arrayContaining(['silver', 'gold', 'platinum']));
    expect(operation.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'partnerId', in: 'path', required: true })]),
    );
  });

  it('serves a docs page that loads the OpenAPI document through its init script', async () => {
    const page = await api.call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('/docs/init.js');
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');

    const init = await api.call('GET', '/docs/init.js');
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toMatch(/javascript/);
    expect(init.text).toContain('/api/openapi.json');
  });

  it('serves the Swagger UI assets the docs page references', async () => {
    const bundle = await api.call('GET', '/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.text.length).toBeGreaterThan(100_000);

    const css = await api.call('GET', '/docs/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });
});

describe('health, readiness and metrics', () => {
  it('reports the process up on /healthz', async () => {
    const response = await api.call('GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('reports ready on /readyz when the store and Temporal answer', async () => {
    const response = await api.call('GET', '/readyz');
    expect(response.status).toBe(200);
    expect(response.body.checks).toEqual({ store: 'ok', temporal: 'ok' });
  });

  describe('with a store that is gone', () => {
    let broken: TestStore;
    let brokenApi: TestApi;
    let logs: ReturnType<typeof capturedLogs>;

    beforeAll(async () => {
      broken = await openTestStore();
      logs = capturedLogs();
      brokenApi = await startTestApi({ store: broken.store, temporal: temporal.client }, { logger: logs.logger });
      expect((await brokenApi.call('GET', '/readyz')).status).toBe(200);
      await broken.store.db.close();
    });
    afterAll(async () => {
      await brokenApi?.close();
      if (broken?.databaseUrl) await dropDatabase(broken.databaseUrl);
      if (broken) rmSync(broken.dataDir, { recursive: true, force: true });
    });

    it('answers /readyz with 503 problem+json naming the store', async () => {
      const response = await brokenApi.call('GET', '/readyz');
      expectProblem(response, 503);
      expect(response.body.checks.store).toMatch(/^unreachable/);
      expect(response.body.checks.temporal).toBe('ok');
    });

    it('answers a call that needs the store with 500 problem+json quoting the request id that the error log carries', async () => {
      const response = await brokenApi.call('GET', '/api/policies', { token: 'dev-ops' });
      expectProblem(response, 500);
      const id = response.headers.get('x-request-id')!;
      expect(response.body.detail).toContain(id);

      const entries = await eventually(() => {
        const parsed = logs.lines.map((line) => JSON.parse(line) as { level: number; req?: { id?: string } });
        return parsed.some((e) => e.level >= 50 && e.req?.id === id && 'err' in e) ? parsed : undefined;
      });
      for (const entry of entries) expect(entry.req?.id).toEqual(expect.any(String));
      expect(logs.lines.join('\n')).not.toContain('dev-ops');
    });
  });

  it('exposes Prometheus HTTP metrics labelled by route template, never by raw id', async () => {
    expect((await api.call('GET', '/api/policies/424242', { token: 'dev-ops' })).status).toBe(404);
    expect((await api.call('GET', '/api/unknown-31337', { token: 'dev-ops' })).status).toBe(404);
    const response = await api.call('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/^# HELP roe_http_requests_total /m);
    expect(response.text).toMatch(/^roe_http_requests_total\{[^}]*route="\/api\/policies\/\{version\}"[^}]*\} \d+/m);
    expect(response.text).not.toContain('424242');
    expect(response.text).not.toContain('unknown-31337');
  });
});

describe('logs', () => {
  it("never write an email link's token: the path shows [token]", async () => {
    const { logger, lines } = capturedLogs();
    const logged = await startTestApi({ store: db.store, temporal: temporal.client }, { logger });
    try {
      const token = `eal_${'0'.repeat(24)}.${'A'.repeat(43)}`;
      expect((await logged.call('GET', `/api/email-actions/${token}`)).status).toBe(404);
      const page = await fetch(`${logged.baseUrl}/act/${token}`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      await eventually(() => (lines.filter((l) => l.includes('[token]')).length >= 2 ? true : undefined));
      const all = lines.join('\n');
      expect(all).not.toContain(token);
      expect(all).toContain('/api/email-actions/[token]');
      expect(all).toContain('/act/[token]');
    } finally {
      await logged.close();
    }
  });

  it('writes JSON lines with a request id and never the bearer token', async () => {
    const { logger, lines } = capturedLogs();
    const logged = await startTestApi({ store: db.store, temporal: temporal.client }, { logger });
    try {
      const ok = await logged.call('GET', '/api/policies', { token: 'dev-admin' });
      const refused = await logged.call('GET', '/api/policies', { token: 'dev-admin-but-wrong' });
      expect(ok.status).toBe(200);
      expect(refused.status).toBe(401);
      const ids = [ok.headers.get('x-request-id'), refused.headers.get('x-request-id')];
      await eventually(() => (ids.every((id) => lines.some((l) => l.includes(id!))) ? true : undefined));

      const entries = lines.map((line) => JSON.parse(line) as { req?: { id?: string } });
      expect(entries.map((e) => e.req?.id)).toEqual(expect.arrayContaining(ids));
      for (const entry of entries) expect(entry.req?.id).toEqual(expect.any(String));
      const all = lines.join('\n');
      expect(all).not.toContain('dev-admin');
      expect(all).not.toMatch(/bearer/i);
    } finally {
      await logged.close();
    }
  });
});
