import fc from 'fast-check';
import { startTestStack, type TestStack } from '../helpers/stack';
import { operationsOf, requestFor, type FuzzContext, type FuzzRequest, type Operation } from './requests';
import { contractFaultOf, describeRequest, faultOf, send } from './send';
import { badPathSegment, contentType, malformedJson } from './mutations';
import { DEV_ACCOUNTS, DEV_PARTNERS, DEV_PEOPLE } from '../../src/devDirectory';

// Every operation of the OpenAPI document, fuzzed on the real stack: generated and mutated requests
// must never get a 5xx, a hang, an error that is not problem+json, an answer the document does not
// declare, or a 2xx for a request the document refuses. Reproduce a failure with the
// seed it prints: FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npm run jest -- test/fuzz
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
// POST /api/registrations waits up to 10 s for the first decision; longer than that is a hang.
const ANSWER_TIMEOUT_MS = 20_000;

let stack: TestStack;
let operations: Operation[];
let context: FuzzContext;
let contractFault: ReturnType<typeof contractFaultOf>;
let sent = 0;
/** Answers by status, logged at the end: a run that only ever gets 401s proves little. */
const statuses = new Map<number | 'timeout', number>();

beforeAll(async () => {
  stack = await startTestStack();
  const document = await stack.api.call('GET', '/api/openapi.json');
  // The event stream's answer never ends, so a request cannot wait for it; its refusals and its
  // content type are tested in test/api/events.test.ts and by the authorization matrix.
  operations = operationsOf(document.body).filter((op) => op.path !== '/api/events/stream');
  contractFault = contractFaultOf(document.body);
  context = await fuzzContext(stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

it('answers thousands of generated requests over every operation without a 5xx, a hang or a non-problem error', async () => {
  const started = Date.now();
  console.log(`fuzzing ${operations.length} operations, ${RUNS} requests each, seed ${SEED}`);
  for (const [index, op] of operations.entries()) {
    await checkAll(`${op.method} ${op.path}`, requestFor(op, context), SEED + index);
  }
  await checkAll('unknown paths and methods', strayRequest(), SEED - 1);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const tally = [...statuses].map(([status, count]) => `${status}: ${count}`).join(', ');
  console.log(`fuzz: ${sent} requests over ${operations.length} operations in ${seconds} s (seed ${SEED}); ${tally}`);
  expect(sent).toBeGreaterThanOrEqual(operations.length * RUNS);
}, 600_000);

it('is still healthy, ready and serving after the run', async () => {
  expect((await stack.api.call('GET', '/healthz')).status).toBe(200);
  const ready = await stack.api.call('GET', '/readyz');
  expect(ready.status).toBe(200);
  expect(ready.body).toEqual(expect.objectContaining({ status: 'ready' }));
  expect((await stack.api.call('GET', '/api/policies/current', { token: 'dev-partner-northwind' })).status).toBe(200);
});

async function checkAll(label: string, requests: fc.Arbitrary<FuzzRequest>, seed: number): Promise<void> {
  const property = fc.asyncProperty(requests, async (req) => {
    sent++;
    const response = await send(stack.api.baseUrl, req, ANSWER_TIMEOUT_MS);
    const status = response === 'timeout' ? response : response.status;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const fault = faultOf(req, response) ?? contractFault(req, response);
    if (fault) throw new Error(`${label}: ${fault}\nrequest: ${describeRequest(req)}`);
  });
  // No shrinking: each step is a real request on a stateful server; the failing request is printed whole.
  await fc.assert(property, { seed, numRuns: RUNS, endOnFailure: true });
}

/** Paths no route serves and methods a route does not take: 404 and 405 must be problems too. */
function strayRequest(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'),
      prefix: fc.constantFrom('/api', '/api/registrations', '/api/policies/1', '/docs', '/', '/metrics', ''),
      segments: fc.array(badPathSegment, { maxLength: 3 }),
      token: fc.constantFrom(undefined, 'dev-admin', 'dev-partner-northwind'),
      body: fc.option(malformedJson, { freq: 3 }),
      type: contentType,
    })
    .map(({ method, prefix, segments, token, body, type }) => ({
      method,
      url: `${prefix}/${segments.join('/')}`,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(type && body !== null ? { 'content-type': type } : {}),
      },
      ...(body !== null && method !== 'TRACE' ? { body } : {}),
      kind: 'stray request',
    }));
}

/** Real objects to aim at (a registration, a conflict case, a draft, a rollout, API keys) and every token. */
async function fuzzContext(stack: TestStack): Promise<FuzzContext> {
  const call = stack.api.call;
  const v1 = await call('GET', '/api/policies/1', { token: 'dev-admin' });
  const draft = await call('POST', '/api/policies', { token: 'dev-admin', body: v1.body.document });
  const registration = {
    account: { name: 'Initech', domain: 'initech.example', region: 'emea' },
    opportunity: {
      title: 'Analytics',
      productLine: 'analytics',
      amount: { value: 20_000, currency: 'EUR' },
      expectedCloseDate: '2027-03-31',
    },
  };
  const claim = (token: string) => call('POST', '/api/registrations', { token, body: registration });
  const held = await claim('dev-partner-northwind');
  const contested = await claim('dev-partner-contoso');
  const rolloutPlan = {
    policyVersion: draft.body.version as number,
    sponsor: { name: 'Sam Sponsor', email: 'sam@vendor.example' },
    reviewCadence: 'P30D',
    stages: { align: { owner: 'cm-emea', due: 'PT5S', approvers: ['rd-emea'], tasks: ['Agree the routes'] } },
  };
  const rollout = await call('POST', '/api/rollouts', { token: 'dev-admin', body: rolloutPlan });
  const opsKey = await call('POST', '/api/api-keys', {
    token: 'dev-admin',
    body: { name: 'fuzz-ops', grant: { role: 'ops' } },
  });
  const partnerKey = await call('POST', '/api/api-keys', {
    token: 'dev-admin',
    body: { name: 'fuzz-partner', grant: { role: 'partner', partnerId: 'fabrikam' } },
  });
  for (const response of [draft, held, contested, rollout, opsKey, partnerKey]) {
    if (response.status >= 300) throw new Error(`fixture failed: ${response.status} ${response.text}`);
  }
  const registrationIds = [held.body.id as string, contested.body.id as string];
  const conflictId = contested.body.conflictId as string;
  return {
    tokensByRole: {
      admin: ['dev-admin'],
      ops: ['dev-ops', opsKey.body.key as string],
      manager: ['dev-cm-emea', 'dev-rd-emea', 'dev-vp'],
      partner: ['dev-partner-northwind', 'dev-partner-contoso', 'dev-partner-fabrikam', partnerKey.body.key as string],
    },
    knownIds: {
      id: [...registrationIds, conflictId, rollout.body.id as string, opsKey.body.id as string],
      version: ['1', String(draft.body.version)],
      a: ['1', String(draft.body.version)],
      b: ['1', String(draft.body.version)],
      workflowId: [held.body.workflowId as string, rollout.body.workflowId as string, `conflict-${conflictId}`],
      partnerId: ['northwind', 'contoso'],
      domain: ['initech.example', 'sales.initech.example', 'hooli.example'],
      personId: ['cm-emea', 'vp'],
      taskId: ['align-1', 'align-2'],
      stage: ['align', 'design'],
    },
    exampleBodies: {
      'POST /api/policies': [v1.body.document],
      'PUT /api/policies/{version}': [v1.body.document],
      'POST /api/registrations': [registration],
      'POST /api/rollouts': [rolloutPlan],
      'POST /api/api-keys': [
        { name: 'k', grant: { role: 'manager', escalationRoles: ['vp_partnerships'], regions: ['*'] } },
      ],
      'PUT /api/directory/partners/{partnerId}': [DEV_PARTNERS.map(({ id: _id, ...partner }) => partner)[0]],
      'PUT /api/directory/accounts/{domain}': [
        { name: 'Hooli', region: 'emea', directOwner: DEV_ACCOUNTS[3].directOwner },
      ],
      'PUT /api/directory/people/{personId}': [DEV_PEOPLE.map(({ id: _id, ...person }) => person)[0]],
      'POST /api/policies/{version}/publish': [{ effectiveAt: new Date(Date.now() + 40 * 86_400_000).toISOString() }],
      'POST /api/conflicts/{id}/resolution': [
        { award: 'co_sell', reason: 'shared' },
        { award: registrationIds[0], reason: 'first' },
      ],
    },
  };
}
