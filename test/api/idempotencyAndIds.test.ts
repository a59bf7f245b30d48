import { createHash, randomBytes } from 'node:crypto';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { startTestStack, type TestStack } from '../helpers/stack';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { storeOver, type Db } from '../../src/store';
import type { RegistrationView } from '../../workflows/registration/contract';

// Idempotency-Key semantics and registration ids on the real stack, and the equal work behind
// "not yours" and "does not exist".

const NORTHWIND = 'dev-partner-northwind';
const CONTOSO = 'dev-partner-contoso';
const FABRIKAM = 'dev-partner-fabrikam';
const OPS = 'dev-ops';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => stack?.close());

const uniqueDomain = () => `idem-${randomBytes(5).toString('hex')}.example`;

const aRequest = (domain = uniqueDomain(), value = 20_000) => ({
  account: { name: 'Wingtip Traders', domain, region: 'emea' },
  opportunity: {
    title: 'Analytics rollout',
    productLine: 'analytics',
    amount: { value, currency: 'EUR' },
    expectedCloseDate: '2027-06-30',
  },
});

function register(api: TestApi, token: string, body: unknown, key?: string): Promise<ApiResponse<RegistrationView>> {
  return api.call<RegistrationView>('POST', '/api/registrations', {
    token,
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
}

const registrationsOn = async (domain: string) =>
  (await stack.api.call<{ items: RegistrationView[] }>('GET', `/api/registrations?domain=${domain}`, { token: OPS }))
    .body.items;

describe('Idempotency-Key', () => {
  it('refuses the same key with a different body with 422 naming the header, and starts nothing', async () => {
    const key = `order-${randomBytes(4).toString('hex')}`;
    const domain = uniqueDomain();
    const first = await register(stack.api, NORTHWIND, aRequest(domain, 20_000), key);
    expect(first.status).toBe(201);

    const changed = await register(stack.api, NORTHWIND, aRequest(domain, 45_000), key);

    expect(changed.status).toBe(422);
    expect(changed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(changed.body).toMatchObject({ status: 422, errors: [{ path: 'Idempotency-Key' }] });
    expect((await registrationsOn(domain)).map((r) => r.id)).toEqual([first.body.id]);
    expect((await registrationsOn(domain))[0].opportunity.amount.value).toBe(20_000);
  });

  it('answers the same key with the same body with the same registration', async () => {
    const key = `order-${randomBytes(4).toString('hex')}`;
    const request = aRequest();
    const first = await register(stack.api, NORTHWIND, request, key);
    // The same fields in another order are the same request.
    const reordered = { opportunity: request.opportunity, account: request.account };

    const again = await register(stack.api, NORTHWIND, reordered, key);

    expect(first.status).toBe(201);
    expect(again.status).toBeLessThan(300);
    expect(again.body).toMatchObject({ id: first.body.id, submittedAt: first.body.submittedAt });
    expect((await registrationsOn(request.account.domain)).map((r) => r.id)).toEqual([first.body.id]);
  });

  it('gives two partners using one key different ids that no one can compute from the partner and the key', async () => {
    const key = `order-${randomBytes(4).toString('hex')}`;
    const mine = await register(stack.api, NORTHWIND, aRequest(), key);
    const theirs = await register(stack.api, CONTOSO, aRequest(), key);

    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    // The old ids were a public hash of partner id and key: anyone could name another partner's registration.
    const publicHash = (partnerId: string) =>
      `reg-${createHash('sha256').update(`${partnerId}\n${key}`).digest('hex').slice(0, 16)}`;
    expect(mine.body.id).not.toBe(publicHash('northwind'));
    expect(theirs.body.id).not.toBe(publicHash('contoso'));
    expect(mine.body.id).toMatch(/^reg-[0-9a-f]{16}$/);
  });
});

/** A store over the stack's database that counts the statements it sends: the counter is ours, the store real. */
function countingDb(inner: Db): { db: Db; count: () => number } {
  let statements = 0;
  const counted = (db: Db): Db => ({
    engine: db.engine,
    query: <Row>(sql: string, params?: unknown[]) => {
      statements++;
      return db.query<Row>(sql, params);
    },
    transaction: (work) => db.transaction((tx) => work(counted(tx))),
    close: async () => undefined,
  });
  return { db: counted(inner), count: () => statements };
}

/** A Temporal client on the stack's connection that counts every workflow call it makes. */
function countingTemporal(): { client: Client; count: () => number } {
  let calls = 0;
  const counted = <Input, Output>(input: Input, next: (input: Input) => Output): Output => {
    calls++;
    return next(input);
  };
  const counter: WorkflowClientInterceptor = Object.fromEntries(
    [
      'start',
      'startWithDetails',
      'startUpdate',
      'startUpdateWithStart',
      'signal',
      'signalWithStart',
      'query',
      'terminate',
      'cancel',
      'describe',
    ].map((call) => [call, counted]),
  );
  const client = new Client({
    connection: stack.temporal.client.connection,
    namespace: stack.temporal.namespace,
    interceptors: { workflow: [counter] },
  });
  return { client, count: () => calls };
}

describe('a partner addressing what is not its own', () => {
  let api: TestApi;
  let store: ReturnType<typeof countingDb>;
  let temporal: ReturnType<typeof countingTemporal>;

  beforeAll(async () => {
    store = countingDb(stack.db.store.db);
    temporal = countingTemporal();
    api = await startTestApi({ store: storeOver(store.db), temporal: temporal.client }, { taskQueue: stack.taskQueue });
  });
  afterAll(async () => api?.close());

  /** The answer and the store statements and Temporal calls made before it. */
  async function workOf(method: string, path: string, body?: unknown) {
    const [statements, calls] = [store.count(), temporal.count()];
    const res = await api.call<{ status: number; detail: string }>(method, path, { token: CONTOSO, body });
    return { status: res.status, statements: store.count() - statements, temporalCalls: temporal.count() - calls };
  }

  const unused = (prefix: string) => `${prefix}-${randomBytes(8).toString('hex')}`;

  it("costs the same to ask for another partner's registration as for one that does not exist", async () => {
    const theirs = await register(stack.api, NORTHWIND, aRequest());
    expect(theirs.status).toBe(201);

    for (const [method, path, body] of [
      ['GET', (id: string) => `/api/registrations/${id}`, undefined],
      ['POST', (id: string) => `/api/registrations/${id}/withdraw`, { reason: 'not mine to withdraw' }],
    ] as const) {
      const notYours = await workOf(method, path(theirs.body.id), body);
      const missing = await workOf(method, path(unused('reg')), body);

      expect(notYours).toEqual({ status: 404, statements: expect.any(Number), temporalCalls: expect.any(Number) });
      expect(missing).toEqual(notYours);
    }
  });

  it('costs the same to ask for a conflict case of others as for one that does not exist', async () => {
    const domain = uniqueDomain();
    const holder = await register(stack.api, NORTHWIND, aRequest(domain));
    expect(holder.status).toBe(201);
    const newcomer = await register(stack.api, FABRIKAM, aRequest(domain));
    expect(newcomer.body.status).toBe('in_conflict');
    const conflictId = newcomer.body.conflictId!;
    // The holder was told of the case: no step of it is still under way when the worker stops after this test.
    await eventually(
      () => stack.api.call<RegistrationView>('GET', `/api/registrations/${holder.body.id}`, { token: NORTHWIND }),
      (r) => r.body.conflictId === conflictId,
    );

    for (const [method, path, body] of [
      ['GET', (id: string) => `/api/conflicts/${id}`, undefined],
      ['POST', (id: string) => `/api/conflicts/${id}/appeal`, { reason: 'not my case' }],
    ] as const) {
      const notYours = await workOf(method, path(conflictId), body);
      const missing = await workOf(method, path(unused('cf')), body);

      expect(notYours).toEqual({ status: 404, statements: expect.any(Number), temporalCalls: expect.any(Number) });
      expect(missing).toEqual(notYours);
    }
  });
});
