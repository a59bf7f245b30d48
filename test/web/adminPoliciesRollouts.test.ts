import type { Page } from 'playwright-core';
import { EXAMPLE_POLICY } from '../../src/domain/policy';
import type { RolloutView } from '../../workflows/rollout/contract';
import { eventually } from '../helpers/eventually';
import {
  expectAccessible,
  keepScreenshot,
  openPage,
  pageScrollsSideways,
  signedInAs,
  useWebStack,
  type PersonPage,
} from '../helpers/webApp';

// The program owner at work: a new version drafted, checked, previewed and published on the
// Policies page; a rollout started and walked on the Rollouts board, and a failing playbook
// scenario blocking Instrument by name.

jest.setTimeout(180_000);
const web = useWebStack();

const ADMIN = 'dev-admin';

it('drafts a version in the editor, shows a bad value at its field, previews diff and impact, and publishes with the notice date', async () => {
  // A gold partner's €60,000 deal goes to review under version 1 (auto-approval up to €50,000).
  const deal = await web.stack.api.call<{ status: string }>('POST', '/api/registrations', {
    token: 'dev-partner-northwind',
    body: {
      account: { name: 'Threshold Ltd', domain: 'threshold-ltd.example', region: 'emea' },
      opportunity: {
        title: 'Platform deal',
        productLine: 'platform',
        amount: { value: 60_000, currency: 'EUR' },
        expectedCloseDate: '2027-06-30',
      },
    },
  });
  expect(deal.body.status).toBe('pending_review');

  const admin = await signedInAsAdmin();
  const { page } = admin;
  await openPage(page, 'Policies');
  await page.getByRole('button', { name: 'New draft' }).click();
  await page.getByLabel('Title', { exact: true }).fill('FY27 rules, higher auto-approval');
  await page.getByLabel('Auto-approve up to').fill('80000');
  await page.getByLabel('Base currency').fill('XXY');
  await page.getByRole('button', { name: 'Save draft' }).click();

  const currency = page.getByLabel('Base currency');
  await page.getByRole('alert').filter({ hasText: 'The draft was not saved' }).waitFor();
  await expect(currency.getAttribute('aria-invalid')).resolves.toBe('true');
  expect(await accessibleDescription(page, 'policy-currency')).toContain('expected an ISO 4217 currency code');
  await expectAccessible(page);
  await keepScreenshot(page, 'admin-policies-invalid');

  await currency.fill('EUR');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('status').filter({ hasText: 'Draft version 2 saved.' }).waitFor();
  await page.getByRole('heading', { name: 'Version 2: FY27 rules, higher auto-approval' }).waitFor();

  const diff = page.getByRole('list').filter({ has: page.getByText(/Deals approved at once/) });
  await page.getByRole('heading', { name: 'Changes from version 1' }).waitFor();
  await expect(diff.textContent()).resolves.toContain(
    'Deals approved at once: now up to €80,000 (before: up to €50,000).',
  );
  await page.getByRole('heading', { name: 'Impact preview' }).waitFor();
  await page.getByText('1 would be decided differently').waitFor();
  const changedRow = page.getByRole('row').filter({ hasText: 'northwind' });
  await expect(changedRow.textContent()).resolves.toMatch(/sent to review.*approved/);

  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const noticeDate = page.getByText(/^Takes effect on .+, after a notice period of 30 days/);
  await noticeDate.waitFor();
  const expectedDay = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/Berlin',
  });
  await expect(noticeDate.textContent()).resolves.toContain(`Takes effect on ${expectedDay}`);
  await expectAccessible(page);
  // A date inside the notice period is refused at the field, in words, before anything is sent.
  const twoDaysAhead = new Date(Date.now() + 2 * 86_400_000);
  const two = (n: number) => String(n).padStart(2, '0');
  await page
    .getByLabel('Effective from (optional)')
    .fill(`${twoDaysAhead.getFullYear()}-${two(twoDaysAhead.getMonth() + 1)}-${two(twoDaysAhead.getDate())}T10:00`);
  await page.getByText(/^The earliest date is .+: partners get a notice period of 30 days first\.$/).waitFor();
  await expect(page.getByRole('button', { name: 'Confirm publish' }).isDisabled()).resolves.toBe(true);
  await page.getByLabel('Effective from (optional)').fill('');
  await page.getByRole('button', { name: 'Confirm publish' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /Published version 2: it takes effect on/ })
    .waitFor();
  const versionRow = page.getByRole('row').filter({ hasText: 'Version 2' });
  await versionRow.getByText('scheduled').waitFor();
  await expect(versionRow.textContent()).resolves.toMatch(/takes effect in (29|30) d/);
  const stored = await web.stack.api.call<{ status: string }>('GET', '/api/policies/2', { token: ADMIN });
  expect(stored.body.status).toBe('scheduled');
  await expectAccessible(page);
  await keepScreenshot(page, 'admin-policies');

  await page.setViewportSize({ width: 375, height: 900 });
  await page.getByRole('button', { name: 'New draft' }).click();
  await page.getByLabel('Policy document').waitFor();
  expect(await pageScrollsSideways(page)).toBe(false);
  await expectAccessible(page);
  await keepScreenshot(page, 'admin-policies-375');
  expect(admin.problems).toEqual([]);
});

it('starts a rollout from the page and shows its six stages, a task completed and a sign-off', async () => {
  const draft = await newDraft('Rollout through the page');
  const admin = await signedInAsAdmin();
  const { page } = admin;
  await openPage(page, 'Rollouts');
  await page.getByLabel('Policy version').selectOption({ label: `Version ${draft}: Rollout through the page` });
  await page.getByLabel('Sponsor name').fill('Sam Sponsor');
  await page.getByLabel('Sponsor email').fill('sam.sponsor@vendor.example');
  await page.getByRole('button', { name: 'Start rollout' }).click();

  await page.getByRole('heading', { name: new RegExp(`^Rollout of policy version ${draft}`) }).waitFor();
  const stages = await page.locator('.rollout-board').getByRole('heading', { level: 3 }).allTextContents();
  expect(stages).toEqual(['Align (current stage)', 'Design', 'Document', 'Enable', 'Instrument', 'Review']);
  const align = page.getByRole('region', { name: /^Align/ });
  await align.getByText(/Waiting on: Sam Sponsor — 3 tasks and a sign-off, due in 6 d/).waitFor();

  const firstTask = align.getByRole('listitem').filter({ hasText: 'Agree the routes to market' });
  await firstTask.getByRole('button', { name: 'Complete' }).click();
  await firstTask.getByText('(done)').waitFor();
  await expect(firstTask.getByRole('button', { name: 'Complete' }).count()).resolves.toBe(0);
  await align.getByText(/Waiting on: Sam Sponsor — 2 tasks and a sign-off/).waitFor();

  await align.getByLabel('Comment').fill('Routes agreed with the field');
  await align.getByRole('button', { name: 'Sign off' }).click();
  await align.getByRole('status').filter({ hasText: 'You approved Align.' }).waitFor();
  const signOff = align.getByRole('listitem').filter({ hasText: 'Routes agreed with the field' });
  await expect(signOff.textContent()).resolves.toMatch(/approved/);
  const recorded = await web.stack.api.call<{ items: RolloutView[] }>('GET', '/api/rollouts', { token: ADMIN });
  const align0 = recorded.body.items.find((r) => r.policyVersion === draft)!.stages[0];
  expect(align0.tasks.map((t) => t.done)).toEqual([true, false, false]);
  expect(align0.signOffs.map((s) => s.comment)).toEqual(['Routes agreed with the field']);
  await expectAccessible(page);
  await keepScreenshot(page, 'admin-rollouts');
  expect(admin.problems).toEqual([]);
});

it('shows a blocked Instrument naming the failing playbook scenario, expected against actual', async () => {
  const res = await web.stack.api.call<{ version: number }>('POST', '/api/policies', {
    token: ADMIN,
    body: {
      ...EXAMPLE_POLICY,
      title: 'Broken playbook',
      noticePeriod: 'PT3S',
      playbook: [{ ...EXAMPLE_POLICY.playbook![0], id: 'S9', expect: { outcome: 'rejected' } }],
    },
  });
  const launched = await web.stack.api.call<{ id: string }>('POST', '/api/rollouts', {
    token: ADMIN,
    body: {
      policyVersion: res.body.version,
      sponsor: { name: 'Sam Sponsor', email: 'sam.sponsor@vendor.example' },
      acknowledgementThreshold: 0,
    },
  });
  const id = launched.body.id;
  for (const [stage, next] of [
    ['align', 'design'],
    ['design', 'document'],
    ['document', 'enable'],
    ['enable', 'instrument'],
  ])
    await finishStage(id, stage, next);
  await eventually(
    () => web.stack.api.call<RolloutView>('GET', `/api/rollouts/${id}`, { token: ADMIN }),
    (r) => r.body.stages.find((s) => s.name === 'instrument')!.status === 'blocked',
  );

  const admin = await signedInAsAdmin();
  const { page } = admin;
  await openPage(page, 'Rollouts');
  await page.getByRole('link', { name: `Policy version ${res.body.version}` }).click();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    const instrument = page.getByRole('region', { name: /^Instrument/ });
    await instrument.getByText('blocked', { exact: true }).waitFor();
    await expect(instrument.getByText(/^playbook scenario S9 fails/).textContent()).resolves.toMatch(
      /playbook scenario S9 fails — .*expected rejected.*got approved/,
    );
    await instrument.getByText(/Waiting on: Sam Sponsor — a fix for the failing checks/).waitFor();
    await expect(
      page
        .getByRole('region', { name: /^Enable/ })
        .getByText('completed', { exact: true })
        .count(),
    ).resolves.toBe(1);
    if (width === 375) expect(await pageScrollsSideways(page)).toBe(false);
    await expectAccessible(page);
    await keepScreenshot(page, width === 375 ? 'admin-rollouts-375' : 'admin-rollouts-blocked');
  }
  expect(admin.problems).toEqual([]);
});

// ---------------------------------------------------------------- helpers

let signedIn: PersonPage | undefined;
afterEach(async () => {
  await signedIn?.close();
  signedIn = undefined;
});

/** The program owner in a fresh browser session, closed after the test whatever its outcome. */
async function signedInAsAdmin(): Promise<PersonPage> {
  signedIn = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin');
  return signedIn;
}

async function newDraft(title: string): Promise<number> {
  const res = await web.stack.api.call<{ version: number }>('POST', '/api/policies', {
    token: ADMIN,
    body: { ...EXAMPLE_POLICY, title, noticePeriod: 'PT3S' },
  });
  expect(res.status).toBe(201);
  return res.body.version;
}

/** Completes the open stage's tasks and signs it off as an admin, through the API; waits for the next stage. */
async function finishStage(id: string, name: string, next: string): Promise<void> {
  const view = () => web.stack.api.call<RolloutView>('GET', `/api/rollouts/${id}`, { token: ADMIN });
  const open = await eventually(view, (r) => r.body.currentStage === name, { intervalMs: 500 });
  for (const task of open.body.stages.find((s) => s.name === name)!.tasks)
    expect(
      (await web.stack.api.call('POST', `/api/rollouts/${id}/tasks/${task.id}/complete`, { token: ADMIN })).status,
    ).toBe(200);
  const signed = await web.stack.api.call('POST', `/api/rollouts/${id}/stages/${name}/sign-offs`, {
    token: ADMIN,
    body: { decision: 'approve', comment: 'looks right' },
  });
  expect(signed.status).toBe(200);
  await eventually(view, (r) => r.body.currentStage === next, { intervalMs: 500 });
}

async function accessibleDescription(page: Page, inputId: string): Promise<string> {
  const refs = ((await page.locator(`#${inputId}`).getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(refs.map((ref) => page.locator(`#${ref}`).textContent()));
  return texts.join(' ');
}
