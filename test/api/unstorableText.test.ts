import { startTestStack, type TestStack } from '../helpers/stack';
import type { ApiResponse } from '../helpers/api';
import type { Problem } from '../../src/api/problem';

// Text the store cannot hold (a lone surrogate, U+0000) is refused at the door with a 400 naming
// the field. Let in, PostgreSQL refused it: a registration's recording retried forever and the
// request never answered; a policy or a directory contact answered 500.

const ADMIN = 'dev-admin';
const NORTHWIND = 'dev-partner-northwind';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** JSON text as a client writes it: `\ud800` stays an escape in the body, as JSON allows. */
const withLoneSurrogate = (value: unknown): string => JSON.stringify(value).replace(/LONE/g, '\\ud800');

function expectRefused(response: ApiResponse, path: string): void {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = response.body as Problem & { errors: { path: string; message: string }[] };
  expect(problem.errors[0].path).toBe(path);
}

const post = (path: string, token: string, rawBody: string, method = 'POST') =>
  stack.api.call(method, path, { token, rawBody, headers: { 'content-type': 'application/json' } });

const registration = (title: string) => ({
  account: { name: 'Surrogate Ltd', domain: `surrogate-${Date.now()}.example`, region: 'emea' },
  opportunity: {
    title,
    productLine: 'analytics',
    amount: { value: 20_000, currency: 'EUR' },
    expectedCloseDate: '2027-06-30',
  },
});

describe('a lone surrogate', () => {
  it('in a registration is refused naming the field, and the next registration is decided', async () => {
    expectRefused(
      await post('/api/registrations', NORTHWIND, withLoneSurrogate(registration('Analytics LONE'))),
      'opportunity.title',
    );

    const next = await stack.api.call('POST', '/api/registrations', {
      token: NORTHWIND,
      body: registration('Analytics'),
    });
    expect(next.status).toBe(201);
  });

  it('in a key of a body is refused naming the key', async () => {
    const body = JSON.stringify(registration('Analytics')).replace('"title"', '"tiLONEtle"').replace(/LONE/, '\\ud800');
    expectRefused(await post('/api/registrations', NORTHWIND, body), 'opportunity.ti\ufffdtle');
  });

  it('in a policy title is refused naming the field, not answered 500', async () => {
    const current = await stack.api.call('GET', '/api/policies/1', { token: ADMIN });
    const document = { ...current.body.document, title: 'FY27 LONE rules' };

    expectRefused(await post('/api/policies', ADMIN, withLoneSurrogate(document)), 'title');
  });

  it('in a directory contact is refused naming the field, not answered 500', async () => {
    const partner = {
      name: 'Surrogate Partners',
      type: 'reseller',
      tier: 'gold',
      regions: ['emea'],
      contacts: [{ name: 'Ada LONE', email: 'ada@surrogate.example' }],
    };

    expectRefused(
      await post('/api/directory/partners/surrogate', ADMIN, withLoneSurrogate(partner), 'PUT'),
      'contacts.0.name',
    );
    const missing = await stack.api.call('GET', '/api/directory/partners/surrogate', { token: ADMIN });
    expect(missing.status).toBe(404);
  });

  it('percent-encoded in a query parameter is refused naming the parameter', async () => {
    // %ED%A0%80 is U+D800 in UTF-8's form: not UTF-8, which the query parser silently turned into U+FFFD.
    const response = await stack.api.call('GET', '/api/registrations?domain=%ED%A0%80', { token: ADMIN });

    expectRefused(response, 'domain');
  });

  it('percent-encoded in a path parameter is refused naming the parameter', async () => {
    const response = await stack.api.call('GET', '/api/registrations/reg-%ED%A0%80', { token: ADMIN });

    expectRefused(response, 'id');
  });
});

describe('U+0000', () => {
  it('in a policy title is refused naming the field', async () => {
    const current = await stack.api.call('GET', '/api/policies/1', { token: ADMIN });

    expectRefused(
      await stack.api.call('POST', '/api/policies', {
        token: ADMIN,
        body: { ...current.body.document, title: 'FY27\u0000rules' },
      }),
      'title',
    );
  });

  it('percent-encoded in a path parameter is refused naming the parameter', async () => {
    const response = await stack.api.call('GET', '/api/registrations/reg-%00', { token: ADMIN });

    expectRefused(response, 'id');
  });
});

it('keeps valid text that only looks odd: an emoji pair, U+FFFF and bidi controls are stored as sent', async () => {
  const title = 'Analytics 👩‍👩‍👧 \uffff \u202eevil\u202c';
  const created = await stack.api.call('POST', '/api/registrations', { token: NORTHWIND, body: registration(title) });

  expect(created.status).toBe(201);
  const read = await stack.api.call('GET', `/api/registrations/${created.body.id}`, { token: NORTHWIND });
  expect(read.body.opportunity.title).toBe(title);
});
