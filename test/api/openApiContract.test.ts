import { connect } from 'node:net';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { startTemporalAndStore } from '../helpers/environment';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import type { TestStore } from '../helpers/store';
import type { TestTemporal } from '../helpers/temporal';
import { seedDevelopment } from '../../src/store/seed';

// The OpenAPI document is the contract: every answer of every API test is checked against it (in
// test/helpers/api.ts); this file checks what the document itself promises and what the server refuses.

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema };
interface Operation {
  parameters: { name: string; in: string; required: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  security?: unknown[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const ADMIN = 'dev-admin';

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;
let document: Document;

beforeAll(async () => {
  ({ temporal, db } = await startTemporalAndStore());
  await seedDevelopment(db.store, new Date());
  api = await startTestApi({ store: db.store, temporal: temporal.client });
  document = (await api.call<Document>('GET', '/api/openapi.json')).body;
});

afterAll(async () => {
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
/** Whether the document's schema takes `value` (strict ajv with formats, as a client generator would). */
const documentAccepts = (schema: Schema, value: unknown) => ajv.validate(schema, value) as boolean;

const bodySchema = (path: string, method: string) =>
  document.paths[path][method].requestBody!.content['application/json'].schema;
const parameterSchema = (path: string, method: string, name: string) =>
  document.paths[path][method].parameters.find((p) => p.name === name)!.schema;

function expectValidationError(response: ApiResponse, path: string): void {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect((response.body as { errors?: { path: string }[] }).errors?.map((e) => e.path)).toContain(path);
}

/** One request written to a socket as is, and the whole answer (the server closes the connection). */
function rawExchange(request: string): Promise<{ status: number; headers: string; body: string }> {
  const { port } = new URL(api.baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: rest.join('\r\n\r\n') });
    });
  });
}

describe('the document', () => {
  it('holds only schemas a strict JSON Schema 2020-12 validator compiles (every request and answer)', () => {
    const strict = new Ajv2020({ strict: true });
    addFormats(strict);
    strict.addSchema({ $id: 'components', $defs: document.components.schemas });
    const uncompilable = operations().flatMap(({ name, op }) => {
      const schemas = [
        ...op.parameters.map((p) => ({ where: `${p.in} ${p.name}`, schema: p.schema })),
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => ({
          where: `body ${type}`,
          schema: m.schema,
        })),
        ...Object.entries(op.responses).flatMap(([status, r]) =>
          Object.entries(r.content ?? {}).map(([type, m]) => ({ where: `${status} ${type}`, schema: m.schema })),
        ),
      ];
      return schemas.flatMap(({ where, schema }) => {
        try {
          strict.compile(JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', 'components#/$defs/')));
          return [];
        } catch (error) {
          return [`${name} ${where}: ${(error as Error).message}`];
        }
      });
    });
    expect(uncompilable).toEqual([]);
  });

  it('declares every error of every operation as an application/problem+json problem', () => {
    const undeclared = operations().flatMap(({ name, op }) =>
      Object.entries(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, response]) => Object.keys(response.content ?? {}).join() !== 'application/problem+json')
        .map(([status]) => `${name} ${status}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('declares the problems every operation may answer: bad input, auth, body limits, rate limit, long headers', () => {
    for (const { name, op } of operations()) {
      const expected = ['400', '413', '415', '429', '431', '500', ...(op.security ? [] : ['401', '403', '503'])];
      expect({ name, statuses: Object.keys(op.responses) }).toEqual({
        name,
        statuses: expect.arrayContaining(expected),
      });
    }
  });

  it('declares the statuses the server answers that were missing', () => {
    const declared = (path: string, method: string) => Object.keys(document.paths[path][method].responses);
    expect(declared('/api/registrations', 'post')).toContain('409');
    expect(declared('/api/rollouts', 'post')).toContain('409');
    expect(declared('/api/rollouts/{id}/stages/{stage}/sign-offs', 'post')).toContain('404');
    expect(declared('/api/api-keys', 'post')).toContain('404');
    expect(declared('/api/policies/{version}/acknowledgements', 'post')).toContain('409');
  });

  it('declares the Idempotency-Key header of POST /api/registrations with the shape the server takes', () => {
    const header = document.paths['/api/registrations'].post.parameters.find((p) => p.name === 'Idempotency-Key');
    expect(header).toEqual(expect.objectContaining({ in: 'header', required: false }));
    expect(documentAccepts(header!.schema, 'order-4711')).toBe(true);
    expect(documentAccepts(header!.schema, 'é')).toBe(false);
    expect(documentAccepts(header!.schema, 'x'.repeat(201))).toBe(false);
  });
});

describe('requests Node refuses before the app', () => {
  it('answers a URL over the header limit with a 431 problem', async () => {
    const answer = await rawExchange(`GET /api/policies?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);

    expect(answer.status).toBe(431);
    expect(answer.headers).toMatch(/^content-type: application\/problem\+json/im);
    expect(JSON.parse(answer.body)).toEqual(
      expect.objectContaining({ type: '/problems/headers-too-large', status: 431, detail: expect.any(String) }),
    );
  });

  it('answers a header over the limit with a 431 problem', async () => {
    const answer = await rawExchange(
      `GET /api/policies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer dev-admin\r\nX-Padding: ${'b'.repeat(20_000)}\r\n\r\n`,
    );

    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toEqual(expect.objectContaining({ title: 'Request Header Fields Too Large' }));
  });

  it('answers a HEAD request over the header limit with the 431 headers and no body, as HEAD must', async () => {
    const answer = await rawExchange(
      `HEAD /api/policies HTTP/1.1\r\nHost: x\r\nX-Padding: ${'b'.repeat(20_000)}\r\n\r\n`,
    );

    expect(answer.status).toBe(431);
    expect(answer.headers).toMatch(/^content-type: application\/problem\+json/im);
    expect(answer.body).toBe('');
    // A client's parser takes the answer as it is: no data after it.
    const res = await fetch(`${api.baseUrl}/api/policies`, {
      method: 'HEAD',
      headers: { 'x-padding': 'b'.repeat(20_000) },
    });
    expect(res.status).toBe(431);
  });

  it('answers a request line that is not HTTP with a 400 problem', async () => {
    const answer = await rawExchange('HELLO THERE\r\n\r\n');

    expect(answer.status).toBe(400);
    expect(answer.headers).toMatch(/^content-type: application\/problem\+json/im);
    expect(JSON.parse(answer.body)).toEqual(
      expect.objectContaining({ type: '/problems/malformed-request', status: 400 }),
    );
  });
});

describe('a concrete path beside a templated one', () => {
  it('answers PUT /api/policies/current with 405 and Allow: GET, HEAD, not as a version "current"', async () => {
    const response = await api.call('PUT', '/api/policies/current', { token: ADMIN, body: {} });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.body).toEqual(expect.objectContaining({ type: '/problems/method-not-allowed' }));
  });
});

describe('what the server refuses is what the document says', () => {
  it.each([
    ['a character outside base64url', 'AAAA!'],
    ['a space', 'a b'],
    ['a letter outside ASCII', 'é'],
    ['over 500 characters', 'x'.repeat(501)],
  ])('refuses a cursor with %s on every list, as the document does', async (_what, cursor) => {
    const lists = operations().filter(({ op }) => op.parameters.some((p) => p.name === 'cursor'));
    expect(lists.length).toBeGreaterThanOrEqual(8);
    for (const { name } of lists) {
      const path = name.split(' ')[1];
      if (path === '/api/workflows') continue; // Temporal's page tokens have a checksum; tested in workflows.test.ts.
      expect({ name, accepted: documentAccepts(parameterSchema(path, 'get', 'cursor'), cursor) }).toEqual({
        name,
        accepted: false,
      });
      const query = new URLSearchParams({ cursor, ...(path === '/api/audit' ? { subject: 'policy:1' } : {}) });
      // A list under one object: an id of the right shape, so that only the cursor is wrong.
      const concrete = path.replace('/api/webhooks/{id}', '/api/webhooks/whk_000000000000');
      expectValidationError(await api.call('GET', `${concrete}?${query}`, { token: ADMIN }), 'cursor');
    }
  });

  it.each([
    ['a local part over 64 characters', `${'a'.repeat(65)}@acme.example`],
    [
      'an address over 254 characters',
      `ada@${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(60)}.example`,
    ],
    ['a domain label over 63 characters', `ada@${'d'.repeat(64)}.example`],
    ['no domain', 'ada@'],
    ['two dots in a row', 'ada..lovelace@acme.example'],
  ])('refuses an e-mail address with %s, as the document does', async (_what, email) => {
    const schema = bodySchema('/api/directory/people/{personId}', 'put').properties!.email;
    expect(documentAccepts(schema, email)).toBe(false);

    const person = { name: 'Ada', email, escalationRoles: [], regions: ['emea'] };
    const response = await api.call('PUT', '/api/directory/people/ada', { token: ADMIN, body: person });

    expectValidationError(response, 'email');
  });

  it('takes an address of exactly 254 characters with a local part of 64, as the document does', async () => {
    const email = `${'a'.repeat(64)}@${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(59)}.example`;
    expect(email).toHaveLength(254);
    const schema = bodySchema('/api/directory/people/{personId}', 'put').properties!.email;
    expect(documentAccepts(schema, email)).toBe(true);

    const person = { name: 'Ada', email, escalationRoles: [], regions: ['emea'] };
    expect((await api.call('PUT', '/api/directory/people/ada', { token: ADMIN, body: person })).status).toBe(201);
  });

  it('refuses a partner listing one contact address twice, naming the second', async () => {
    const partner = {
      name: 'Acme Resellers',
      type: 'reseller',
      tier: 'gold',
      regions: ['emea'],
      contacts: [
        { name: 'Ada', email: 'ada@acme.example' },
        { name: 'Ada again', email: 'Ada@Acme.example' },
      ],
    };

    const response = await api.call('PUT', '/api/directory/partners/acme', { token: ADMIN, body: partner });

    expectValidationError(response, 'contacts.1.email');
  });

  it.each(['PT0S', 'P0D', 'P1M', 'P1Y', 'P1.5D', 'P', 'PT', 'P1DT', '-P1D', 'p1d'])(
    'refuses the duration %j, as the document does',
    async (duration) => {
      expect(documentAccepts(bodySchema('/api/rollouts', 'post').properties!.reviewCadence, duration)).toBe(false);

      const plan = { policyVersion: 1, sponsor: { name: 'Sam', email: 'sam@vendor.example' }, reviewCadence: duration };
      expectValidationError(await api.call('POST', '/api/rollouts', { token: ADMIN, body: plan }), 'reviewCadence');
    },
  );

  it.each(['P90D', 'PT5S', 'P1W2DT3H4M5S', 'P0DT1H'])('describes the duration %j as valid', (duration) => {
    expect(documentAccepts(bodySchema('/api/rollouts', 'post').properties!.reviewCadence, duration)).toBe(true);
  });

  it.each(['localhost', '10.0.0.1', 'not_a_domain', 'acme', 'acme.com extra', '.acme.com', 'acme..com'])(
    'refuses the account domain %j, as the document does',
    async (domain) => {
      expect(documentAccepts(parameterSchema('/api/directory/accounts/{domain}', 'put', 'domain'), domain)).toBe(false);

      const account = { name: 'Globex', region: 'emea' };
      const response = await api.call('PUT', `/api/directory/accounts/${encodeURIComponent(domain)}`, {
        token: ADMIN,
        body: account,
      });

      expectValidationError(response, 'domain');
    },
  );

  it.each(['acme.com', 'sales.acme.co.uk', 'https://Sales.Globex.example/deals?id=1', 'bücher.de', 'xn--bcher-kva.de'])(
    'describes the account domain %j as valid',
    (domain) => {
      expect(documentAccepts(parameterSchema('/api/directory/accounts/{domain}', 'put', 'domain'), domain)).toBe(true);
    },
  );
});
