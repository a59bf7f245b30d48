import { createMailer } from '../../src/notify/mailer';
import { eventually } from '../helpers/eventually';
import { startSmtpCapture, type CapturedMail, type SmtpCapture } from '../helpers/smtpCapture';
import { createDatabase, dropDatabase } from '../helpers/store';
import {
  ADMIN,
  CONTOSO,
  NORTHWIND,
  SECONDS_POLICY,
  TIMER_WAIT,
  hasEvent,
  putSecondsPolicyInEffect,
  register,
  registrationUntil,
  repeated,
  startInProcessStack,
  type InProcessStack,
} from './support';

// Email over a real SMTP server on loopback that goes away and comes back: the processes go on
// meanwhile, and every email arrives once the server is back, exactly once.
jest.setTimeout(150_000);

const NORA = 'nora@northwind.example';
const CARL = 'carl@contoso.example';
const CHRIS = 'chris.channel@vendor.example';
const RITA = 'rita.regional@vendor.example';

let databaseUrl: string;
let smtp: SmtpCapture;
let stack: InProcessStack;

beforeAll(async () => {
  databaseUrl = await createDatabase();
  smtp = await startSmtpCapture();
  const mailer = createMailer({
    smtpUrl: smtp.url,
    outboxDir: '/nonexistent/never-used',
    from: 'RoE <roe@test.example>',
  });
  stack = await startInProcessStack({ databaseUrl, mailer });
  await putSecondsPolicyInEffect(stack.call, (sql, params) => stack.store.db.query(sql, params));
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await smtp?.stop();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

/** Waits until every (recipient, subject) pair arrived; returns what the server holds then. */
function arrived(expected: [string, string | RegExp][], wait = TIMER_WAIT): Promise<CapturedMail[]> {
  return eventually(
    async () => [...smtp.delivered],
    (mails) =>
      expected.every(([to, subject]) =>
        mails.some(
          (m) => m.to.includes(to) && (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject)),
        ),
      ),
    wait,
  );
}

/** A moment for a late second copy to show; a retry that sends one does so before the last expected email. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

it('decides and runs every timer while SMTP is down, then delivers every email once it is back', async () => {
  await smtp.stop();
  const started = Date.now();
  const approved = await register(stack.call, NORTHWIND);
  const pending = await register(stack.call, CONTOSO);
  expect([approved.status, pending.status]).toEqual(['approved', 'pending_review']);
  expect(Date.now() - started).toBeLessThan(10_000);

  // The review SLA (3 s) and the protection (8 s with a reminder at 4 s) run out on time.
  const escalated = await registrationUntil(stack.call, CONTOSO, pending.id, (v) => hasEvent(v, 'review_escalated'));
  expect(escalated.review?.assigneeRole).toBe('regional_director');
  const expired = await registrationUntil(stack.call, NORTHWIND, approved.id, (v) => v.status === 'expired');
  expect(hasEvent(expired, 'expiry_reminder')).toBe(true);
  expect(smtp.delivered).toEqual([]);

  await smtp.start();
  const a = approved.id;
  const p = pending.id;
  await arrived([
    [NORA, `Registration ${a} received`],
    [NORA, `Registration ${a}: approved`],
    [NORA, new RegExp(`^Registration ${a} expires `)],
    [NORA, `Registration ${a} expired`],
    [CARL, `Registration ${p} received`],
    [CARL, `Registration ${p}: pending review`],
    [CHRIS, new RegExp(`^Review needed: registration ${p} `)],
    [CHRIS, `SLA breached: registration ${p}`],
    [RITA, new RegExp(`^Review needed: registration ${p} `)],
  ]);
  await settle();
  expect(repeated(smtp.delivered.map((m) => m.messageId))).toEqual([]);
});

it('sends the policy notice to the partners served before a failure only once when the send is retried', async () => {
  const draft = await stack.call<{ version: number }>('POST', '/api/policies', ADMIN, {
    ...SECONDS_POLICY,
    title: 'Notice under a flaky relay',
    noticePeriod: 'PT5S',
  });
  expect(draft.status).toBe(201);
  const version = draft.body.version;
  // Partners are served in id order (contoso, fabrikam, northwind): the last one fails for a while.
  smtp.refuseRecipient(NORA);
  const published = await stack.call('POST', `/api/policies/${version}/publish`, ADMIN, {});
  expect(published.status).toBe(202);
  // Once an attempt has failed on Northwind (after serving the others), the relay is well again.
  await eventually(
    async () => smtp.refusals(),
    (count) => count > 0,
    TIMER_WAIT,
  );
  smtp.refuseRecipient(undefined);

  const notice = new RegExp(`\\(version ${version}\\)`);
  const inEffect = `Policy version ${version} is now in effect`;
  await arrived(
    [CARL, NORA, 'fiona@fabrikam.example'].flatMap((to) => [
      [to, notice] as [string, RegExp],
      [to, inEffect] as [string, string],
    ]),
  );
  await settle();
  expect(repeated(smtp.delivered.map((m) => m.messageId))).toEqual([]);
  for (const to of [CARL, NORA]) {
    expect(smtp.delivered.filter((m) => m.to.includes(to) && notice.test(m.subject))).toHaveLength(1);
  }
});

it('switches a policy version at its instant and cancels another while SMTP is down; their emails follow', async () => {
  await smtp.stop();
  const before = smtp.delivered.length;
  const draft = async (title: string, noticePeriod: string) => {
    const res = await stack.call<{ version: number }>('POST', '/api/policies', ADMIN, {
      ...SECONDS_POLICY,
      title,
      noticePeriod,
    });
    expect(res.status).toBe(201);
    return res.body.version;
  };
  const switching = await draft('Switch without mail', 'PT3S');
  const cancelled = await draft('Cancelled without mail', 'PT1H');
  const published = await stack.call<{ effectiveAt: string }>('POST', `/api/policies/${switching}/publish`, ADMIN, {});
  expect(published.status).toBe(202);
  expect((await stack.call('POST', `/api/policies/${cancelled}/publish`, ADMIN, {})).status).toBe(202);

  const cancelStarted = Date.now();
  const cancel = await stack.call('POST', `/api/policies/${cancelled}/cancel`, ADMIN, { reason: 'not yet' });
  expect(cancel.status).toBe(200);
  expect(Date.now() - cancelStarted).toBeLessThan(5_000);

  const effectiveAt = Date.parse(published.body.effectiveAt);
  await eventually(
    async () => (await stack.call<{ status: string }>('GET', `/api/policies/${switching}`, ADMIN)).body.status,
    (status) => status === 'effective',
    TIMER_WAIT,
  );
  expect(Date.now() - effectiveAt).toBeLessThan(5_000);
  expect(smtp.delivered).toHaveLength(before);

  await smtp.start();
  const partners = [CARL, NORA, 'fiona@fabrikam.example'];
  await arrived(
    partners.flatMap((to): [string, string | RegExp][] => [
      [to, new RegExp(`\\(version ${switching}\\)`)],
      [to, `Policy version ${switching} is now in effect`],
      [to, new RegExp(`\\(version ${cancelled}\\)`)],
      [to, `Policy version ${cancelled} is cancelled`],
    ]),
  );
  await settle();
  expect(repeated(smtp.delivered.map((m) => m.messageId))).toEqual([]);
});
