import { randomBytes } from 'node:crypto';
import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/eventually';
import type { RegistrationView } from '../../workflows/registration/contract';
import type { ConflictView } from '../../workflows/conflict/contract';

// A conflict case through the API on the real stack: opened by a collision, resolved by a
// manager, the decision flowing back to every registration, and each partner seeing only itself.

const NORTHWIND = 'dev-partner-northwind';
const FABRIKAM = 'dev-partner-fabrikam';
const CONTOSO = 'dev-partner-contoso';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => stack?.close());

const requestOn = (domain: string) => ({
  account: { name: 'Tailspin Toys', domain, region: 'emea' },
  opportunity: {
    title: 'Fleet analytics',
    productLine: 'analytics',
    amount: { value: 20_000, currency: 'EUR' },
    expectedCloseDate: '2027-06-30',
  },
});

async function register(token: string, domain: string): Promise<RegistrationView> {
  const res = await stack.api.call<RegistrationView>('POST', '/api/registrations', { token, body: requestOn(domain) });
  expect(res.status).toBe(201);
  return res.body;
}

const registration = (token: string, id: string) =>
  stack.api.call<RegistrationView>('GET', `/api/registrations/${id}`, { token });
const conflict = (token: string, id: string) => stack.api.call<ConflictView>('GET', `/api/conflicts/${id}`, { token });

async function collision(): Promise<{ holder: RegistrationView; newcomer: RegistrationView; conflictId: string }> {
  const domain = `tailspin-${randomBytes(4).toString('hex')}.example`;
  const holder = await register(NORTHWIND, domain);
  const newcomer = await register(FABRIKAM, domain);
  expect(holder.status).toBe('approved');
  expect(newcomer.status).toBe('in_conflict');
  expect(newcomer.conflictId).toMatch(/^cf-[0-9a-f]{16}$/);
  return { holder, newcomer, conflictId: newcomer.conflictId! };
}

it('answers the case a registration names at once, to its partner and to the manager, with no wait', async () => {
  // Read-your-writes: the id in the registration's answer is readable by the next request.
  for (let i = 0; i < 3; i++) {
    const { newcomer, conflictId } = await collision();
    const asNewcomer = await conflict(FABRIKAM, conflictId);
    expect({ status: asNewcomer.status, id: asNewcomer.body.id }).toEqual({ status: 200, id: conflictId });
    expect(JSON.stringify(asNewcomer.body)).toContain(newcomer.id);
    expect((await conflict('dev-cm-emea', conflictId)).status).toBe(200);
  }
});

it('opens a case on a collision that the manager sees whole and each partner sees without the other', async () => {
  const { holder, newcomer, conflictId } = await collision();
  const full = await eventually(
    () => conflict('dev-cm-emea', conflictId),
    (r) => r.status === 200 && r.body.parties.length === 2,
  );
  expect(full.body).toMatchObject({ status: 'open', tier: 1, assigneeRole: 'channel_manager' });
  expect(full.body.parties.map((p) => p.registrationId).sort()).toEqual([holder.id, newcomer.id].sort());

  const asFabrikam = await conflict(FABRIKAM, conflictId);
  expect(asFabrikam.status).toBe(200);
  const text = JSON.stringify(asFabrikam.body);
  expect(text).not.toContain('northwind');
  expect(text).not.toContain(holder.id);
  expect(text).toContain(newcomer.id);

  // The holder keeps its status and learns the case exists.
  const held = await eventually(
    () => registration(NORTHWIND, holder.id),
    (r) => r.body.conflictId === conflictId,
  );
  expect(held.body.status).toBe('approved');

  // Not a party: 404, as if the case did not exist.
  expect((await conflict(CONTOSO, conflictId)).status).toBe(404);
  const contosoList = await stack.api.call<{ items: ConflictView[] }>('GET', '/api/conflicts', { token: CONTOSO });
  expect(contosoList.body.items.map((c) => c.id)).not.toContain(conflictId);

  const inbox = await eventually(
    () => stack.api.call<{ items: { kind: string; id: string }[] }>('GET', '/api/inbox', { token: 'dev-cm-emea' }),
    (r) => r.body.items.some((i) => i.kind === 'conflict' && i.id === conflictId),
  );
  expect(inbox.status).toBe(200);
});

it('applies a resolution to every registration of the case and moves the claim to the winner', async () => {
  const { holder, newcomer, conflictId } = await collision();
  await eventually(
    () => conflict('dev-cm-emea', conflictId),
    (r) => r.status === 200,
  );

  expect(
    (
      await stack.api.call('POST', `/api/conflicts/${conflictId}/resolution`, {
        token: FABRIKAM,
        body: { award: newcomer.id, reason: 'x' },
      })
    ).status,
  ).toBe(403);
  const resolved = await stack.api.call<ConflictView>('POST', `/api/conflicts/${conflictId}/resolution`, {
    token: 'dev-cm-emea',
    body: { award: newcomer.id, reason: 'Fabrikam ran the discovery workshop' },
  });
  expect(resolved.status).toBe(200);
  expect(resolved.body).toMatchObject({ status: 'resolved', resolution: { award: newcomer.id, by: 'manager' } });
  const again = await stack.api.call('POST', `/api/conflicts/${conflictId}/resolution`, {
    token: 'dev-vp',
    body: { award: holder.id, reason: 'second thoughts' },
  });
  expect(again.status).toBe(409);

  const winner = await eventually(
    () => registration(FABRIKAM, newcomer.id),
    (r) => r.body.status === 'approved',
  );
  expect(winner.body.decision?.reason).toContain(conflictId);
  expect(Date.parse(winner.body.expiresAt!)).toBeGreaterThan(Date.parse(newcomer.submittedAt));
  const loser = await eventually(
    () => registration(NORTHWIND, holder.id),
    (r) => r.body.status === 'rejected',
  );
  expect(loser.body.decision?.reason).toContain(conflictId);

  // The loser's partner sees the award only as "another party".
  const asNorthwind = await conflict(NORTHWIND, conflictId);
  expect(asNorthwind.body.resolution?.award).toBe('another_party');
  expect(JSON.stringify(asNorthwind.body)).not.toContain('fabrikam');

  // The emails to Northwind's contact never name the winner.
  const toNorthwind = await eventually(
    () => stack.outbox.read(),
    (mails) =>
      mails.some(
        (m) =>
          (m.subject ?? '').includes(`Conflict case ${conflictId} resolved`) &&
          JSON.stringify(m.to).includes('nora@northwind.example'),
      ),
  );
  for (const mail of toNorthwind.filter((m) => JSON.stringify(m.to).includes('nora@northwind.example'))) {
    expect(`${mail.subject} ${mail.text}`).not.toMatch(/fabrikam/i);
  }

  // One appeal by the losing partner reopens the case one tier up.
  const appealed = await stack.api.call<ConflictView>('POST', `/api/conflicts/${conflictId}/appeal`, {
    token: NORTHWIND,
    body: { reason: 'We hold the signed NDA' },
  });
  expect(appealed.status).toBe(200);
  expect(appealed.body).toMatchObject({ status: 'open', tier: 2, assigneeRole: 'regional_director' });
  const twice = await stack.api.call<{ ruleId?: string }>('POST', `/api/conflicts/${conflictId}/appeal`, {
    token: NORTHWIND,
    body: { reason: 'again' },
  });
  expect(twice.status).toBe(409);
  await eventually(
    () => registration(NORTHWIND, holder.id),
    (r) => r.body.status === 'in_conflict',
  );
});

describe('who may do what on a case', () => {
  let holder: RegistrationView;
  let newcomer: RegistrationView;
  let conflictId: string;

  beforeAll(async () => {
    ({ holder, newcomer, conflictId } = await collision());
    await eventually(
      () => conflict('dev-ops', conflictId),
      (r) => r.status === 200,
    );
  });

  it.each([
    ['dev-admin', 200],
    ['dev-ops', 200],
    ['dev-cm-emea', 200],
    ['dev-rd-emea', 200],
    ['dev-vp', 200],
    [NORTHWIND, 200],
    [FABRIKAM, 200],
    [CONTOSO, 404],
  ])('GET by %s answers %i', async (token, status) => {
    expect((await conflict(token, conflictId)).status).toBe(status);
  });

  it.each([
    ['dev-admin', 403],
    ['dev-ops', 403],
    [NORTHWIND, 403],
    [CONTOSO, 403],
  ])('a resolution by %s answers %i', async (token, status) => {
    const res = await stack.api.call('POST', `/api/conflicts/${conflictId}/resolution`, {
      token,
      body: { award: 'none', reason: 'not theirs to decide' },
    });
    expect(res.status).toBe(status);
  });

  it.each([
    ['dev-cm-emea', 403],
    [CONTOSO, 404],
    [FABRIKAM, 409],
  ])('an appeal of an open case by %s answers %i', async (token, status) => {
    const res = await stack.api.call('POST', `/api/conflicts/${conflictId}/appeal`, {
      token,
      body: { reason: 'too early' },
    });
    expect(res.status).toBe(status);
  });

  // Found by the OpenAPI fuzzer: the 400 named no field.
  it('refuses an award that is not a party of the case with 400 naming award', async () => {
    const res = await stack.api.call('POST', `/api/conflicts/${conflictId}/resolution`, {
      token: 'dev-cm-emea',
      body: { award: 'reg-0123456789abcdef', reason: 'not a party' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'award' })]);
  });

  it('lets only a manager at or above the tier resolve it, in a region the manager covers', async () => {
    const res = await stack.api.call<ConflictView>('POST', `/api/conflicts/${conflictId}/resolution`, {
      token: 'dev-rd-emea',
      body: { award: 'co_sell', reason: 'both bring value' },
    });
    expect(res.status).toBe(200);
    for (const [token, id] of [
      [NORTHWIND, holder.id],
      [FABRIKAM, newcomer.id],
    ]) {
      const approved = await eventually(
        () => registration(token, id),
        (r) => r.body.status === 'approved',
      );
      expect(approved.body.decision?.reason).toContain('co-sell');
    }
  });
});
