import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { startTestStack, type TestStack } from '../helpers/stack';

// The /docs page in a real browser (headless Chromium, driven by playwright-core): a new user reads
// the operations, authorizes with a token and tries a call, as the README's API tour suggests.

jest.setTimeout(90_000);

let stack: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The operation block of `method path` on the page. */
const operation = (method: string, path: string) =>
  page.locator(`.opblock-${method.toLowerCase()}`).filter({
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  });

it('lists the API’s operations from the OpenAPI document', async () => {
  await page.goto(`${stack.api.baseUrl}/docs`);
  await page.locator('.opblock').first().waitFor();
  await expect(page.locator('.title').first().textContent()).resolves.toContain('RoE Orchestrator');
  for (const [method, path] of [
    ['POST', '/api/registrations'],
    ['GET', '/api/registrations/{id}'],
    ['POST', '/api/conflicts/{id}/resolution'],
    ['POST', '/api/policies/{version}/publish'],
    ['POST', '/api/rollouts'],
  ])
    await expect(operation(method, path).count()).resolves.toBe(1);
  expect(pageErrors).toEqual([]);
});

it('tries a call with a bearer token and shows the live answer', async () => {
  await page.locator('.btn.authorize').first().click();
  const dialog = page.locator('.modal-ux');
  await dialog.locator('input').first().fill('dev-ops');
  await dialog.locator('button.authorize').first().click();
  await dialog.locator('button.btn-done, button.close-modal').first().click();

  const policies = operation('GET', '/api/policies');
  await policies.locator('.opblock-summary').first().click();
  await policies.locator('button.try-out__btn').click();
  await policies.locator('button.execute').click();
  const live = policies.locator('.live-responses-table tbody .response-col_status').first();
  await live.waitFor();
  await expect(live.textContent()).resolves.toContain('200');
  const body = await policies
    .locator('.live-responses-table tbody .response-col_description pre')
    .first()
    .textContent();
  expect(body).toContain('"version": 1');
  expect(pageErrors).toEqual([]);
});
