import type { Page } from 'playwright-core';
import type { ParsedMail } from 'mailparser';
import { eventually } from '../helpers/eventually';
import { keepScreenshot, seriousAccessibilityViolations, useWebStack } from '../helpers/webApp';
import { actionLink } from '../../src/emailActions/links';

// Actions from the email: the real emails' links followed in Chromium, with nobody signed in. The
// page says what the link would do and does nothing until it is confirmed; a used, stale, expired
// or altered link says so and offers the web app.

jest.setTimeout(180_000);
const web = useWebStack(180_000);

const CONTOSO = 'dev-partner-contoso'; // silver: every deal is reviewed
const CHRIS = 'chris.channel@vendor.example'; // the channel manager of emea

async function reviewedDeal(name: string): Promise<string> {
  const res = await web.stack.api.call<{ id: string; status: string }>('POST', '/api/registrations', {
    token: CONTOSO,
    body: {
      account: { name, domain: `${name.toLowerCase().replace(/\W+/g, '-')}.example`, region: 'emea' },
      opportunity: {
        title: 'Analytics rollout',
        productLine: 'analytics',
        amount: { value: 25_000, currency: 'EUR' },
        expectedCloseDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
      },
    },
  });
  expect(res.body.status).toBe('pending_review');
  return res.body.id;
}

async function emailWith(subject: RegExp | string, to: string): Promise<ParsedMail> {
  const found = await eventually(
    async () =>
      (await web.stack.outbox.read()).find(
        (m) =>
          (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject ?? '')) &&
          JSON.stringify(m.to).includes(to),
      ),
    (m) => m !== undefined,
    { timeoutMs: 30_000 },
  );
  return found!;
}

/** The link after `label: ` in the email, on this test's server instead of the public URL. */
function linkIn(email: ParsedMail, label: string): string {
  const match = new RegExp(`${label}: (http://roe\\.test/act/\\S+)`).exec(email.text ?? '');
  if (!match) throw new Error(`no "${label}" link in: ${email.text}`);
  return match[1].replace('http://roe.test', web.stack.api.baseUrl);
}

/** A browser page with nobody signed in, as a manager's mail program opens it. */
async function openLink(url: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await web.browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  return { page, close: () => context.close() };
}

const statusOf = async (id: string) =>
  (await web.stack.api.call('GET', `/api/registrations/${id}`, { token: 'dev-ops' })).body.status as string;

it("approves a registration from the reviewer's email after confirming on the page, once", async () => {
  const id = await reviewedDeal('Wide World Importers');
  const email = await emailWith(new RegExp(`^Review needed: registration ${id} by`), CHRIS);
  expect(email.text).toContain('Decide from here: each link opens a page in RoE Orchestrator that asks you to confirm');
  const approve = linkIn(email, 'Approve');

  const opened = await openLink(approve);
  const { page } = opened;
  await page.getByRole('heading', { level: 1, name: `Approve registration ${id}` }).waitFor();
  await page.getByText('Wide World Importers (wide-world-importers.example), emea').waitFor();
  await page.getByText('Nothing has changed yet. Confirm to approve:').waitFor();
  // Opening the page (as a mail scanner would) changed nothing.
  expect(await statusOf(id)).toBe('pending_review');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'email-action-confirm');

  await page.getByLabel('Reason (optional)').fill('Contoso sourced it');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Done: registration ${id} is approved (by Chris Channel).` })
    .waitFor();
  await keepScreenshot(page, 'email-action-done');
  const decided = await web.stack.api.call('GET', `/api/registrations/${id}`, { token: 'dev-ops' });
  expect(decided.body).toMatchObject({
    status: 'approved',
    decision: { outcome: 'approved', reason: 'Contoso sourced it', decidedBy: 'person:cm-emea' },
  });

  // The same link again: used.
  await page.reload();
  await page
    .getByRole('status')
    .filter({ hasText: /^This link was used on .* UTC: registration .* is approved/ })
    .waitFor();
  expect(await page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
  await page.getByRole('link', { name: 'Open RoE Orchestrator' }).waitFor();

  // The email's other links are stale now.
  const reject = await openLink(linkIn(email, 'Reject'));
  await reject.page
    .getByRole('status')
    .filter({ hasText: 'The registration has moved on since this email: it is approved.' })
    .waitFor();
  await reject.close();
  await opened.close();
});

it('asks for the reason a rejection needs, and refuses the step without one', async () => {
  const id = await reviewedDeal('Coho Winery');
  const email = await emailWith(new RegExp(`^Review needed: registration ${id} by`), CHRIS);
  const token = linkIn(email, 'Reject').split('/act/')[1];
  const bare = await web.stack.api.call('POST', `/api/email-actions/${token}`, { body: {} });
  expect(bare.status).toBe(400);
  expect(bare.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
  expect(await statusOf(id)).toBe('pending_review');

  const { page, close } = await openLink(linkIn(email, 'Reject'));
  await page.getByLabel('Reason', { exact: true }).fill('a direct deal already');
  await page.getByRole('button', { name: 'Reject', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Done: registration ${id} is rejected (by Chris Channel).` })
    .waitFor();
  expect(await statusOf(id)).toBe('rejected');
  await close();
});

it('says an expired or altered link does not work, and does nothing', async () => {
  const id = await reviewedDeal('Alpine Ski House');
  const expired = await actionLink(web.stack.db.store, web.stack.api.baseUrl, {
    emailKey: `test/${id}`,
    action: 'approve',
    subject: { kind: 'registration', id },
    recipient: CHRIS,
    stateKey: 'pending_review|channel_manager|0',
    ttlMs: 1,
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const { page, close } = await openLink(expired);
  await page
    .getByRole('status')
    .filter({ hasText: /^This link expired on / })
    .waitFor();
  const token = expired.split('/act/')[1];
  expect((await web.stack.api.call('POST', `/api/email-actions/${token}`, { body: {} })).status).toBe(410);

  const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
  await page.goto(`${web.stack.api.baseUrl}/act/${altered}`);
  await page.getByRole('heading', { level: 1, name: 'This link does not work' }).waitFor();
  expect(await statusOf(id)).toBe('pending_review');
  await close();
});

it("acknowledges a policy version from the partner's notice", async () => {
  const current = await web.stack.api.call('GET', '/api/policies/1', { token: 'dev-admin' });
  const draft = await web.stack.api.call('POST', '/api/policies', {
    token: 'dev-admin',
    body: { ...current.body.document, title: 'Acknowledged by link' },
  });
  expect(
    (await web.stack.api.call('POST', `/api/policies/${draft.body.version}/publish`, { token: 'dev-admin', body: {} }))
      .status,
  ).toBe(202);
  const notice = await emailWith(new RegExp(`\\(version ${draft.body.version}\\)`), 'nora@northwind.example');
  const { page, close } = await openLink(linkIn(notice, 'Acknowledge it'));
  await page
    .getByRole('heading', {
      level: 1,
      name: `Acknowledge policy version ${draft.body.version}, "Acknowledged by link"`,
    })
    .waitFor();
  await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Done: policy version ${draft.body.version} acknowledged for northwind.` })
    .waitFor();
  const state = await web.stack.api.call('GET', `/api/policies/${draft.body.version}/notice`, { token: 'dev-admin' });
  expect(state.body.acknowledged).toContain('northwind');
  await close();
});
