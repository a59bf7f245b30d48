import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { startTestStack, type TestStack } from '../helpers/stack';
import { openPage, signedInAs } from '../helpers/webApp';

// Two people at once, each in their own browser session, only through the pages: what one does
// reaches the other's open page without a reload.

jest.setTimeout(180_000);
let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const closeDate = () => new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);

async function registerThroughTheForm(page: Page) {
  await openPage(page, 'Register a deal');
  await page.getByLabel('Account name', { exact: true }).fill('Globex');
  await page.getByLabel('Domain', { exact: true }).fill('globex.example');
  await page.getByLabel('Region', { exact: true }).fill('emea');
  await page.getByLabel('Product line', { exact: true }).fill('platform');
  await page.getByLabel('Amount', { exact: true }).fill('90000');
  await page.getByLabel('Currency', { exact: true }).selectOption('EUR');
  await page.getByLabel('Expected close date', { exact: true }).fill(closeDate());
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.getByRole('region', { name: 'Registered — waiting for review' }).waitFor();
}

it("a partner's deal needing review reaches the channel manager's inbox; the manager's approval with a reason reaches the partner's open page", async () => {
  const partner = await signedInAs(browser, stack.api.baseUrl, 'Northwind (partner)');
  const manager = await signedInAs(browser, stack.api.baseUrl, 'Channel manager EMEA');
  await openPage(manager.page, 'Inbox');

  await registerThroughTheForm(partner.page);
  await partner.page.getByRole('link', { name: 'Open it in My registrations' }).click();
  const detail = partner.page.getByRole('region', { name: 'Globex — platform' });
  await detail.getByText(/Waiting on: channel manager — due in \d/).waitFor();

  // The manager's inbox was open before the deal was registered: it arrives there by itself.
  const entry = manager.page.getByRole('link', { name: /^Registration of Globex.* by Northwind Traders$/ });
  await entry.waitFor();
  await entry.click();
  await manager.page.getByLabel('Reason', { exact: true }).fill('Northwind runs the platform pilot');
  await manager.page.getByRole('button', { name: 'Approve', exact: true }).click();
  await manager.page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();

  // The partner's page, untouched since: the decision and its reason appear in it.
  await detail.getByText('Waiting on: nobody — protected').waitFor();
  await detail.getByText('Northwind runs the platform pilot').first().waitFor();
  await detail.getByRole('button', { name: 'Request extension' }).waitFor();
  expect([...partner.problems, ...manager.problems]).toEqual([]);
  await partner.close();
  await manager.close();
});

it('the program owner publishes a version on Policies; the partner, on Rules of engagement, sees it coming and acknowledges it', async () => {
  const partner = await signedInAs(browser, stack.api.baseUrl, 'Northwind (partner)');
  await openPage(partner.page, 'Rules of engagement');
  const admin = await signedInAs(browser, stack.api.baseUrl, 'Admin');
  const { page } = admin;
  await openPage(page, 'Policies');
  await page.getByRole('button', { name: 'New draft' }).click();
  await page.getByLabel('Title', { exact: true }).fill('FY27 rules, higher auto-approval');
  await page.getByLabel('Auto-approve up to').fill('80000');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /Draft version \d+ saved\./ })
    .waitFor();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('button', { name: 'Confirm publish' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /Published version \d+: it takes effect on/ })
    .waitFor();

  const upcoming = partner.page.getByRole('region', { name: /^Version \d+ takes effect/ });
  await upcoming.getByText('Deals approved at once: now up to €80,000 (before: up to €50,000).').waitFor();
  await upcoming.getByRole('button', { name: 'Acknowledge' }).click();
  await upcoming.getByText(/^Acknowledged on /).waitFor();
  const heading = await upcoming.getByRole('heading', { name: /^Version \d+ takes effect/ }).textContent();
  const version = Number(/Version (\d+)/.exec(heading ?? '')?.[1]);
  const notice = await stack.api.call<{ acknowledged: string[] }>('GET', `/api/policies/${version}/notice`, {
    token: 'dev-admin',
  });
  expect(notice.body.acknowledged).toContain('northwind');
  // The program owner's open page counts it, and names who the program still waits on.
  const acknowledgements = page.getByRole('region', { name: 'Acknowledgements' });
  await acknowledgements.getByText(/^1 of 3 partners \(33 %\) have acknowledged version \d+\./).waitFor();
  await expect(acknowledgements.textContent()).resolves.toContain('Waiting on: Contoso Ltd');
  expect([...partner.problems, ...admin.problems]).toEqual([]);
  await partner.close();
  await admin.close();
});
