import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { startTestStack, type TestStack } from '../helpers/stack';
import type { ApiResponse } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { EXAMPLE_POLICY, type PolicyDocumentInput } from '../../src/domain/policy';
import { DEV_PARTNERS } from '../../src/devDirectory';
import type { RegistrationView } from '../../workflows/registration/contract';

// A policy whose durations are seconds, exercised end to end in real time through the API:
// every deadline is a real timer of the dev server, every email a file in the outbox.

const ADMIN = 'dev-admin';
const VP = 'dev-vp';
const NORTHWIND = 'dev-partner-northwind'; // gold: auto-approved
const CONTOSO = 'dev-partner-contoso'; // silver: reviewed

const NORA = 'nora@northwind.example';
const CARL = 'carl@contoso.example';
const CHRIS = 'chris.channel@vendor.example'; // channel manager, emea
const RITA = 'rita.regional@vendor.example'; // regional director, emea

const SECONDS: PolicyDocumentInput = {
  ...structuredClone(EXAMPLE_POLICY),
  title: 'RoE in seconds',
  registration: {
    validity: 'PT6S',
    reminders: ['PT3S'],
    extensions: { max: 1, length: 'PT3S' },
    review: {
      sla: 'PT2S',
      clock: 'wall',
      onBreach: 'escalate',
      autoApprove: { maxAmount: 50_000, tiers: ['gold', 'platinum'] },
    },
  },
  conflicts: {
    // 18 s in all: well after the holder's expiry (6 s + a 3 s extension), so that the case is
    // left with one claim before its last deadline; at 9 s the two raced on a loaded machine.
    escalation: [
      { role: 'channel_manager', sla: 'PT5S' },
      { role: 'regional_director', sla: 'PT6S' },
      { role: 'vp_partnerships', sla: 'PT7S' },
    ],
    clock: 'wall',
    onFinalBreach: 'first_to_register',
    appealWindow: 'PT10S',
  },
};

/** Bounded waits for what a real timer does: long enough for a slow machine, never a fixed sleep. */
const TIMER_WAIT = { timeoutMs: 20_000, intervalMs: 100 };

let stack: TestStack;
let version: number;

beforeAll(async () => {
  stack = await startTestStack();
  const draft = await stack.api.call<{ version: number; status: string }>('POST', '/api/policies', {
    token: ADMIN,
    body: SECONDS,
  });
  if (draft.status !== 201) throw new Error(`policy draft answered ${draft.status}: ${draft.text}`);
  version = draft.body.version;
  // There is no publish endpoint yet: the draft takes effect now, directly in the store.
  const db = stack.db.store.db;
  await db.query(`UPDATE policies SET status = 'superseded', superseded_at = now() WHERE version = 1`);
  await db.query(`UPDATE policies SET status = 'effective', effective_at = now() WHERE version = $1`, [version]);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('a policy with durations in seconds, in real time', () => {
  it('reminds before expiry, extends once, expires, and the claim goes to the partner waiting in the conflict case', async () => {
    const domain = `realtime-${randomBytes(4).toString('hex')}.example`;
    const request = registrationOn(domain);

    const approved = await registered(NORTHWIND, request);
    expect(approved).toMatchObject({ status: 'approved', policyVersion: version });
    const firstExpiry = Date.parse(approved.expiresAt!);
    expect(firstExpiry).toBe(Date.parse(approved.decision!.decidedAt) + 6_000);
    const contested = await registered(CONTOSO, request);
    expect(contested.status).toBe('in_conflict');

    const reminded = await until(NORTHWIND, approved.id, (v) => hasEvent(v, 'expiry_reminder'));
    expect(Date.parse(eventOf(reminded, 'expiry_reminder').at)).toBeGreaterThanOrEqual(firstExpiry - 3_000);
    expect(reminded.status).toBe('approved');

    const extended = await act(NORTHWIND, approved.id, 'extensions', { reason: 'Board meets on Friday' });
    expect(extended.status).toBe(200);
    expect(Date.parse(extended.body.expiresAt!)).toBe(firstExpiry + 3_000);
    const refused = await act(NORTHWIND, approved.id, 'extensions', { reason: 'Once more' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ ruleId: 'EXTENSION-LIMIT' });

    const expired = await until(NORTHWIND, approved.id, (v) => v.status === 'expired');
    expect(Date.parse(eventOf(expired, 'expired').at)).toBeGreaterThanOrEqual(Date.parse(extended.body.expiresAt!));
    const released = await until(NORTHWIND, approved.id, (v) => hasEvent(v, 'claim_released'));
    expect(released.status).toBe('expired');
    expect((await act(NORTHWIND, approved.id, 'updates', { note: 'still interested' })).status).toBe(409);
    // The partner whose claim collided was waiting in the conflict case: with the holder gone, the
    // case is uncontested and awards it the account.
    const awarded = await until(CONTOSO, contested.id, (v) => v.status === 'approved');
    expect(awarded.conflictId).toBeDefined();
    expect(awarded.decision?.reason).toContain('decided in your favour');

    const toNora = await mailsWith(NORA, approved.id, [
      `Registration ${approved.id} received`,
      `Registration ${approved.id}: approved`,
      new RegExp(`^Registration ${approved.id} expires `),
      new RegExp(`^Registration ${approved.id} extended to `),
      `Registration ${approved.id} expired`,
    ]);
    expect(toNora.find((m) => m.subject === `Registration ${approved.id} expired`)?.text).toContain(
      'The claim on the account is released',
    );
    await mailsWith(CARL, contested.id, [`Registration ${contested.id}: in conflict`]);
  });

  it('escalates a review from the channel manager to the regional director when the SLA passes', async () => {
    const pending = await registered(CONTOSO, registrationOn(`realtime-${randomBytes(4).toString('hex')}.example`));
    expect(pending.review?.assigneeRole).toBe('channel_manager');
    const firstDue = Date.parse(pending.review!.dueAt);
    expect(firstDue).toBe(Date.parse(pending.decision!.decidedAt) + 2_000);

    const escalated = await until(CONTOSO, pending.id, (v) => v.review?.assigneeRole !== 'channel_manager');

    expect(escalated.status).toBe('pending_review');
    expect(escalated.review).toMatchObject({ assigneeRole: 'regional_director', breaches: 1 });
    const escalation = eventOf(escalated, 'review_escalated');
    expect(Date.parse(escalation.at)).toBeGreaterThanOrEqual(firstDue);
    expect(escalation.detail).toBe('SLA breached; escalated from channel_manager to regional_director');
    const decided = await act(VP, pending.id, 'decision', { outcome: 'approve', reason: 'Late, but fine' });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('approved');

    await mailsWith(CHRIS, pending.id, [
      new RegExp(`^Review needed: registration ${pending.id} by `),
      `SLA breached: registration ${pending.id}`,
    ]);
    const toRita = await mailsWith(RITA, pending.id, [new RegExp(`^Review needed: registration ${pending.id} by `)]);
    expect(toRita.find((m) => m.subject.startsWith('Review needed'))?.text).toContain(
      'escalated from channel_manager to regional_director',
    );
    await mailsWith(CARL, pending.id, [
      `Registration ${pending.id} received`,
      `Registration ${pending.id}: pending review`,
      `Registration ${pending.id}: approved`,
    ]);
  });

  it('never names another partner in an email to a partner', async () => {
    const toPartners = (await outbox()).filter((mail) => partnerOf(mail) !== undefined);
    expect(toPartners.length).toBeGreaterThan(10);
    for (const mail of toPartners) {
      const own = partnerOf(mail)!;
      const content = `${mail.subject}\n${mail.text}\n${mail.html}`.toLowerCase();
      for (const other of DEV_PARTNERS.filter((partner) => partner.id !== own)) {
        const names = [other.id, other.name, ...other.contacts.map((c) => c.email)].map((n) => n.toLowerCase());
        expect({ to: own, subject: mail.subject, names: names.filter((n) => content.includes(n)) }).toEqual({
          to: own,
          subject: mail.subject,
          names: [],
        });
      }
    }
  });
});

// ---------------------------------------------------------------- helpers

function registrationOn(domain: string) {
  return {
    account: { name: 'Realtime Corp', domain, region: 'emea' },
    opportunity: {
      title: 'Fast deal',
      productLine: 'analytics',
      amount: { value: 20_000, currency: 'EUR' },
      expectedCloseDate: '2027-06-30',
    },
  };
}

async function registered(token: string, body: unknown): Promise<RegistrationView> {
  const res = await stack.api.call<RegistrationView>('POST', '/api/registrations', { token, body });
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
  expect(res.body.status).not.toBe('submitted');
  return res.body;
}

function act(token: string, id: string, action: string, body: unknown): Promise<ApiResponse<RegistrationView>> {
  return stack.api.call<RegistrationView>('POST', `/api/registrations/${id}/${action}`, { token, body });
}

/** Polls GET /api/registrations/{id} until `accept` holds, within TIMER_WAIT. */
function until(token: string, id: string, accept: (view: RegistrationView) => boolean): Promise<RegistrationView> {
  return eventually(
    async () => (await stack.api.call<RegistrationView>('GET', `/api/registrations/${id}`, { token })).body,
    (view) => view?.id === id && accept(view),
    TIMER_WAIT,
  );
}

const hasEvent = (view: RegistrationView, event: string) => view.timeline.some((t) => t.event === event);

function eventOf(view: RegistrationView, event: string) {
  const entry = view.timeline.find((t) => t.event === event);
  if (!entry) throw new Error(`no ${event} in ${JSON.stringify(view.timeline)}`);
  return entry;
}

/** An email as a reader sees it. */
type Mail = { to: string[]; subject: string; text: string; html: string };

async function outbox(): Promise<Mail[]> {
  return (await stack.outbox.read()).map((mail: ParsedMail) => ({
    to: [mail.to ?? []].flat().flatMap((address) => address.value.map((v) => (v.address ?? '').toLowerCase())),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: mail.html || '',
  }));
}

/** Emails about one registration to one address. */
async function mailTo(address: string, registrationId: string): Promise<Mail[]> {
  return (await outbox()).filter((mail) => mail.to.includes(address) && mail.subject.includes(registrationId));
}

/** Waits until emails with all these subjects went to `address` about the registration; returns them all. */
function mailsWith(address: string, registrationId: string, subjects: (string | RegExp)[]): Promise<Mail[]> {
  const has = (mails: Mail[], subject: string | RegExp) =>
    mails.some((m) => (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject)));
  return eventually(
    () => mailTo(address, registrationId),
    (mails) => subjects.every((subject) => has(mails, subject)),
    TIMER_WAIT,
  );
}

/** The partner whose contacts an email goes to, if any. */
function partnerOf(mail: Mail): string | undefined {
  return DEV_PARTNERS.find((partner) => partner.contacts.some((c) => mail.to.includes(c.email)))?.id;
}
