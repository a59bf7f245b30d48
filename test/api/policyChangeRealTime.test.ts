import { randomBytes } from 'node:crypto';
import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/eventually';
import { EXAMPLE_POLICY } from '../../src/domain/policy';
import type { RegistrationView } from '../../workflows/registration/contract';

// A policy change in real time through the API: a PT-second notice period, acknowledgements,
// the switch, and grandfathering of the registration made before it.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => stack?.close());

const ADMIN = 'dev-admin';
const NORTHWIND = 'dev-partner-northwind';

const requestOn = (domain: string) => ({
  account: { name: 'Proseware', domain, region: 'emea' },
  opportunity: {
    title: 'Data platform',
    productLine: 'platform',
    amount: { value: 10_000, currency: 'EUR' },
    expectedCloseDate: '2027-06-30',
  },
});

async function register(domain: string): Promise<RegistrationView> {
  const res = await stack.api.call<RegistrationView>('POST', '/api/registrations', {
    token: NORTHWIND,
    body: requestOn(domain),
  });
  expect(res.status).toBe(201);
  return res.body;
}

it('announces a version, counts acknowledgements, switches at its instant and grandfathers earlier registrations', async () => {
  const draft = await stack.api.call<{ version: number }>('POST', '/api/policies', {
    token: ADMIN,
    body: {
      ...EXAMPLE_POLICY,
      title: 'FY28 rules',
      noticePeriod: 'PT4S',
      registration: { ...EXAMPLE_POLICY.registration, validity: 'P30D' },
    },
  });
  expect(draft.status).toBe(201);
  const version = draft.body.version;

  const tooEarly = await stack.api.call('POST', `/api/policies/${version}/publish`, {
    token: ADMIN,
    body: { effectiveAt: new Date(Date.now() + 1_000).toISOString() },
  });
  expect(tooEarly.status).toBe(400);
  expect(tooEarly.body.errors[0].path).toBe('effectiveAt');

  const before = await register(`proseware-${randomBytes(4).toString('hex')}.example`);
  expect(before.policyVersion).toBe(1);

  const published = await stack.api.call<{ workflowId: string; effectiveAt: string }>(
    'POST',
    `/api/policies/${version}/publish`,
    {
      token: ADMIN,
      body: {},
    },
  );
  expect(published.status).toBe(202);
  expect(published.body.workflowId).toBe(`policy-${version}`);
  const effectiveAt = Date.parse(published.body.effectiveAt);
  expect((await stack.api.call(`PUT`, `/api/policies/${version}`, { token: ADMIN, body: EXAMPLE_POLICY })).status).toBe(
    409,
  );

  expect((await stack.api.call('POST', `/api/policies/${version}/acknowledgements`, { token: NORTHWIND })).status).toBe(
    201,
  );
  const notice = await stack.api.call<{
    status: string;
    acknowledged: string[];
    pending: string[];
    grandfathered: number;
  }>('GET', `/api/policies/${version}/notice`, { token: ADMIN });
  expect(notice.body).toMatchObject({ status: 'scheduled', acknowledged: ['northwind'] });
  expect(notice.body.pending.sort()).toEqual(['contoso', 'fabrikam']);

  // Every partner contact gets the notice.
  const notices = await eventually(
    () => stack.outbox.read(),
    (mails) => mails.filter((m) => (m.subject ?? '').includes(`(version ${version})`)).length >= 3,
  );
  const noticeRecipients = notices
    .filter((m) => (m.subject ?? '').includes(`(version ${version})`))
    .flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []));
  expect(noticeRecipients.sort()).toEqual(
    ['carl@contoso.example', 'fiona@fabrikam.example', 'frank@fabrikam.example', 'nora@northwind.example'].sort(),
  );

  // Until the instant, the old version governs; from it, the new one.
  const current = await stack.api.call<{ version: number }>('GET', '/api/policies/current', { token: NORTHWIND });
  expect(current.body.version).toBe(1);
  await eventually(
    () => stack.api.call<{ status: string }>('GET', `/api/policies/${version}`, { token: ADMIN }),
    (r) => r.body.status === 'effective',
    { timeoutMs: 20_000 },
  );
  expect(Date.now()).toBeGreaterThanOrEqual(effectiveAt);
  expect((await stack.api.call<{ status: string }>('GET', '/api/policies/1', { token: ADMIN })).body.status).toBe(
    'superseded',
  );
  const atSwitch = await stack.api.call<{ version: number }>(
    'GET',
    `/api/policies/effective?at=${new Date(effectiveAt).toISOString()}`,
    { token: ADMIN },
  );
  expect(atSwitch.body.version).toBe(version);
  const justBefore = await stack.api.call<{ version: number }>(
    'GET',
    `/api/policies/effective?at=${new Date(effectiveAt - 1).toISOString()}`,
    { token: ADMIN },
  );
  expect(justBefore.body.version).toBe(1);

  const after = await register(`proseware-${randomBytes(4).toString('hex')}.example`);
  expect(after.policyVersion).toBe(version);
  const thirtyDays = 30 * 24 * 3600 * 1000;
  expect(Date.parse(after.expiresAt!) - Date.parse(after.decision!.decidedAt)).toBe(thirtyDays);
  const kept = await stack.api.call<RegistrationView>('GET', `/api/registrations/${before.id}`, { token: NORTHWIND });
  expect(kept.body.policyVersion).toBe(1);
  expect(Date.parse(kept.body.expiresAt!) - Date.parse(kept.body.decision!.decidedAt)).toBe(3 * thirtyDays);

  const afterSwitch = await stack.api.call<{ grandfathered: number }>('GET', `/api/policies/${version}/notice`, {
    token: ADMIN,
  });
  expect(afterSwitch.body.grandfathered).toBeGreaterThanOrEqual(1);
  await eventually(
    () => stack.outbox.read(),
    (mails) => mails.some((m) => (m.subject ?? '').includes(`Policy version ${version} is now in effect`)),
  );
});

it('cancels a scheduled version before its instant, and tells the partners', async () => {
  const draft = await stack.api.call<{ version: number }>('POST', '/api/policies', {
    token: ADMIN,
    body: { ...EXAMPLE_POLICY, title: 'Withdrawn idea', noticePeriod: 'P30D' },
  });
  const version = draft.body.version;
  expect(
    (await stack.api.call('POST', `/api/policies/${version}/cancel`, { token: ADMIN, body: { reason: 'x' } })).status,
  ).toBe(409);
  expect((await stack.api.call('POST', `/api/policies/${version}/publish`, { token: ADMIN, body: {} })).status).toBe(
    202,
  );
  await eventually(
    () => stack.api.call('GET', `/api/workflows/policy-${version}`, { token: 'dev-ops' }),
    (r) => r.status === 200,
  );
  const cancelled = await stack.api.call<{ status: string; cancelReason: string }>(
    'POST',
    `/api/policies/${version}/cancel`,
    {
      token: ADMIN,
      body: { reason: 'legal review pending' },
    },
  );
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'legal review pending' });
  expect(
    (await stack.api.call('POST', `/api/policies/${version}/cancel`, { token: ADMIN, body: { reason: 'again' } }))
      .status,
  ).toBe(409);
  await eventually(
    () => stack.outbox.read(),
    (mails) => mails.some((m) => (m.subject ?? '').includes(`Policy version ${version} is cancelled`)),
  );
  expect(
    (await stack.api.call('POST', `/api/policies/${version}/cancel`, { token: NORTHWIND, body: { reason: 'x' } }))
      .status,
  ).toBe(403);
});
