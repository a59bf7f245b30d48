import type { Page } from 'playwright-core';
import { eventually } from '../helpers/eventually';
import {
  keepScreenshot,
  openPage,
  pageScrollsSideways,
  registeredThroughApi,
  seriousAccessibilityViolations,
  signedInAs,
  uniqueDomain,
  useWebStack,
} from '../helpers/webApp';
import { EXAMPLE_POLICY, type PolicyDocumentInput } from '../../src/domain/policy';
import type { RegistrationView } from '../../workflows/registration/contract';
import type { ConflictView } from '../../workflows/conflict/contract';

// The manager's inbox in a real browser against the real stack: reviews and conflict cases
// arranged through the API by partners, worked through the page by the managers they wait on.

jest.setTimeout(180_000);
const NORTHWIND = 'dev-partner-northwind'; // gold: auto-approved up to 50,000 EUR under policy v1
const CONTOSO = 'dev-partner-contoso';
const CHANNEL_MANAGER = 'Channel manager EMEA';
const REGIONAL_DIRECTOR = 'Regional director EMEA';

const web = useWebStack();

const registered = (token: string, account: string, domain: string, amount: number) =>
  registeredThroughApi(web.stack, token, account, domain, amount);

const registrationNow = async (id: string) =>
  (await web.stack.api.call<RegistrationView>('GET', `/api/registrations/${id}`, { token: NORTHWIND })).body;

/** The inbox entry whose link is `name`, as a locator of its list item. */
const inboxEntry = (page: Page, name: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('link', { name, exact: true }) });

it("shows a registration needing review in the channel manager's inbox with its due time, and approving it with a reason takes it out", async () => {
  const review = await registered(NORTHWIND, 'Tailspin Toys', uniqueDomain('tailspin'), 75_000);
  expect(review.status).toBe('pending_review');
  const manager = await signedInAs(web.browser, web.stack.api.baseUrl, CHANNEL_MANAGER);
  const { page } = manager;
  await openPage(page, 'Inbox');

  const title = 'Registration of Tailspin Toys by Northwind Traders';
  const entry = inboxEntry(page, title);
  await entry.waitFor();
  const entryText = await entry.innerText();
  expect(entryText).toContain('€75,000.00');
  expect(entryText).toContain('Waiting on: you (channel manager)');
  expect(entryText).toMatch(/due in \d+/);
  expect(await entry.locator('time').first().getAttribute('datetime')).toBe(review.review!.dueAt);

  await entry.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 2, name: title }).waitFor();
  expect(page.url()).toBe(`${web.stack.api.baseUrl}/inbox/registration/${review.id}`);
  const detail = page.getByRole('article');
  await detail.getByRole('heading', { level: 3, name: 'Timeline' }).waitFor();
  expect(await detail.innerText()).toContain('tailspin');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'manager-inbox');

  await page.getByLabel('Reason', { exact: true }).fill('Strategic logo; Northwind has the relationship');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  const outcome = page.getByRole('status').filter({ hasText: 'Approved.' });
  await outcome.waitFor();
  expect(await outcome.innerText()).toContain('left your inbox');
  await page.getByRole('link', { name: title, exact: true }).waitFor({ state: 'detached' });
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'manager-inbox-approved');
  const approved = await registrationNow(review.id);
  expect(approved.status).toBe('approved');
  expect(approved.decision?.reason).toBe('Strategic logo; Northwind has the relationship');
  expect(manager.problems).toEqual([]);
  await manager.close();
});

it('refuses a rejection without a reason at the Reason field, and works at 375 px wide', async () => {
  const review = await registered(NORTHWIND, 'Wingtip Travel', uniqueDomain('wingtip'), 90_000);
  const manager = await signedInAs(web.browser, web.stack.api.baseUrl, CHANNEL_MANAGER, { width: 375 });
  const { page } = manager;
  await openPage(page, 'Inbox');
  const title = 'Registration of Wingtip Travel by Northwind Traders';
  await page.getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 2, name: title }).waitFor();

  await page.getByRole('button', { name: 'Reject', exact: true }).click();
  const reason = page.getByLabel('Reason', { exact: true });
  await page.getByText('A reason is required: the partner reads it.').waitFor();
  expect(await reason.getAttribute('aria-invalid')).toBe('true');
  expect(await reason.getAttribute('aria-describedby')).toContain('decision-reason-error');
  expect((await registrationNow(review.id)).status).toBe('pending_review');

  expect(await pageScrollsSideways(page)).toBe(false);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'manager-inbox-375');

  await reason.fill('Duplicate of a direct opportunity');
  await page.getByRole('button', { name: 'Reject', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Rejected.' }).waitFor();
  expect((await registrationNow(review.id)).status).toBe('rejected');
  expect(manager.problems).toEqual([]);
  await manager.close();
});

it('resolves a conflict case between two partners by awarding the account to one of them', async () => {
  const domain = uniqueDomain('proseware');
  const holder = await registered(NORTHWIND, 'Proseware', domain, 20_000);
  expect(holder.status).toBe('approved');
  const contested = await registered(CONTOSO, 'Proseware', domain, 30_000);
  expect(contested.status).toBe('in_conflict');

  const manager = await signedInAs(web.browser, web.stack.api.baseUrl, CHANNEL_MANAGER);
  const { page } = manager;
  await openPage(page, 'Inbox');
  const title = `Conflict case on ${domain}`;
  const entry = inboxEntry(page, title);
  await entry.waitFor();
  expect(await entry.innerText()).toContain('Waiting on: you (channel manager)');
  await entry.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 2, name: title }).waitFor();
  expect(page.url()).toBe(`${web.stack.api.baseUrl}/inbox/conflict/${contested.conflictId}`);

  const parties = page.getByRole('table', { name: 'Parties to the case, first to register first' });
  expect(await parties.innerText()).toMatch(
    /Northwind Traders \(gold\) — holds the claim[\s\S]*Contoso Ltd \(silver\)/,
  );
  await page.getByText('Tier 1 of 3: channel manager').waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'manager-inbox-conflict');

  await page.getByLabel(`Contoso Ltd (${contested.id})`, { exact: true }).check();
  await page.getByLabel('Reason', { exact: true }).fill('Contoso sourced the opportunity');
  await page.getByRole('button', { name: 'Resolve', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Resolved: Contoso Ltd (${contested.id})` })
    .waitFor();
  await page.getByRole('link', { name: title, exact: true }).waitFor({ state: 'detached' });

  const resolved = await web.stack.api.call<ConflictView>('GET', `/api/conflicts/${contested.conflictId}`, {
    token: 'dev-admin',
  });
  expect(resolved.body.resolution).toMatchObject({ award: contested.id, reason: 'Contoso sourced the opportunity' });
  const awarded = await eventually(
    () => web.stack.api.call<RegistrationView>('GET', `/api/registrations/${contested.id}`, { token: CONTOSO }),
    (r) => r.body.status === 'approved',
  );
  expect(awarded.body.status).toBe('approved');
  expect(manager.problems).toEqual([]);
  await manager.close();
});

// Last: it puts a policy with a seconds-long review SLA in effect for every later registration.
it("moves a review to the regional director's inbox when the channel manager's SLA passes, and marks it overdue there", async () => {
  await putInEffect({
    ...structuredClone(EXAMPLE_POLICY),
    title: 'RoE with a review in seconds',
    noticePeriod: 'PT4S',
    registration: {
      ...EXAMPLE_POLICY.registration,
      review: { ...EXAMPLE_POLICY.registration.review, sla: 'PT3S', clock: 'wall' },
    },
    // Two tiers: past the regional director the review stays with them, overdue, instead of moving on.
    conflicts: {
      ...EXAMPLE_POLICY.conflicts,
      escalation: [
        { role: 'channel_manager', sla: 'PT1H' },
        { role: 'regional_director', sla: 'PT1H' },
      ],
    },
  });
  const director = await signedInAs(web.browser, web.stack.api.baseUrl, REGIONAL_DIRECTOR);
  await openPage(director.page, 'Inbox');
  const review = await registered(NORTHWIND, 'Litware', uniqueDomain('litware'), 120_000);
  expect(review.review?.assigneeRole).toBe('channel_manager');

  const title = 'Registration of Litware by Northwind Traders';
  const entry = inboxEntry(director.page, title);
  await entry.waitFor({ timeout: 30_000 });
  expect(await entry.innerText()).toContain('Waiting on: you (regional director)');
  await entry.getByText('SLA breached').waitFor({ timeout: 30_000 });
  expect(await entry.innerText()).toMatch(/overdue by/);
  await entry.getByRole('link', { name: title }).click();
  await director.page.getByText('SLA breached; escalated from channel_manager to regional_director').waitFor();
  expect(await seriousAccessibilityViolations(director.page)).toEqual([]);
  await keepScreenshot(director.page, 'manager-inbox-escalated');

  // The channel manager, now below the tier it waits on, is refused in words.
  const manager = await signedInAs(web.browser, web.stack.api.baseUrl, CHANNEL_MANAGER);
  await openPage(manager.page, 'Inbox');
  await manager.page.goto(`${web.stack.api.baseUrl}/inbox/registration/${review.id}`);
  await manager.page.getByRole('heading', { level: 2, name: title }).waitFor();
  await manager.page.getByLabel('Reason', { exact: true }).fill('Looks fine');
  await manager.page.getByRole('button', { name: 'Approve', exact: true }).click();
  const refusal = manager.page.getByRole('alert').filter({ hasText: 'Your approval was not recorded' });
  await refusal.waitFor();
  expect(await refusal.innerText()).toContain('waits on a regional director or a role above it');
  expect((await registrationNow(review.id)).status).toBe('pending_review');
  expect(director.problems).toEqual([]);
  expect(manager.problems).toEqual([]);
  await Promise.all([director.close(), manager.close()]);
});

async function putInEffect(document: PolicyDocumentInput): Promise<void> {
  const draft = await web.stack.api.call<{ version: number }>('POST', '/api/policies', {
    token: 'dev-admin',
    body: document,
  });
  if (draft.status !== 201) throw new Error(`policy draft answered ${draft.status}: ${draft.text}`);
  const published = await web.stack.api.call('POST', `/api/policies/${draft.body.version}/publish`, {
    token: 'dev-admin',
    body: {},
  });
  if (published.status !== 202) throw new Error(`publish answered ${published.status}: ${published.text}`);
  await eventually(
    () => web.stack.api.call<{ version: number }>('GET', '/api/policies/current', { token: 'dev-admin' }),
    (r) => r.body.version === draft.body.version,
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}
