import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { call } from './api';
import { launchBrowser } from './browser';
import { contractOf, type OpenApiDocument, type ObservedResponse } from './openApiContract';
import { startTestStack, type StackOptions, type TestStack } from './stack';

// The web app as a person uses it: signed in by the button that names them, pages found by their
// visible names, each screen checked for accessibility and kept as a screenshot.

export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

export interface WebStack {
  readonly stack: TestStack;
  readonly browser: Browser;
}

/**
 * One stack and one browser for the test file: started before its tests, closed after them. Read
 * `stack` and `browser` inside hooks and tests (they exist from the first `beforeAll` on); a file's
 * own `beforeAll` declared after this call sees them started.
 */
export function useWebStack(
  startTimeout = 120_000,
  stackOptions: () => StackOptions | Promise<StackOptions> = () => ({}),
): WebStack {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack(await stackOptions()), launchBrowser()]);
  }, startTimeout);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`the ${name} is started in beforeAll: read it inside a hook or test`);
    return part;
  };
  return {
    get stack() {
      return started(stack, 'stack');
    },
    get browser() {
      return started(browser, 'browser');
    },
  };
}

export interface PersonPage {
  page: Page;
  context: BrowserContext;
  /** Everything the browser reported as broken: page errors, console errors, failed requests. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh browser context (its own session) signed in as `principal`, e.g. "Northwind (partner)". */
export async function signedInAs(
  browser: Browser,
  baseUrl: string,
  principal: string,
  options: { width?: number; timezoneId?: string } = {},
): Promise<PersonPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    timezoneId: options.timezoneId ?? 'Europe/Berlin',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The browser logs every 4xx answer; a refusal the page shows in words is the page working.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  const contract = await contractAt(baseUrl);
  page.on('response', (response) => {
    void violationOf(contract, response).then((violation) => {
      if (violation) problems.push(`contract: ${violation}`);
    });
  });
  page.on('requestfailed', (request) => {
    // A request the browser itself cancels (a reload or navigation while it is in flight, the
    // stream closed at sign-out) is not a failure of the page.
    if (request.failure()?.errorText === 'net::ERR_ABORTED' || request.url().includes('/api/events/stream')) return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
  });
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: principal, exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { page, context, problems, close: () => context.close() };
}

type Contract = (response: ObservedResponse) => string | undefined;
const contracts = new Map<string, Promise<Contract>>();

/** The OpenAPI document the server publishes, read once per server. */
function contractAt(baseUrl: string): Promise<Contract> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = call<OpenApiDocument>(baseUrl, 'GET', '/api/openapi.json').then((r) => contractOf(r.body));
    contracts.set(baseUrl, contract);
  }
  return contract;
}

/**
 * Every API answer the page gets is held to the OpenAPI document, as the API tests' answers are
 * (the event stream is endless: its content type is checked by the API tests).
 */
async function violationOf(contract: Contract, response: Response): Promise<string | undefined> {
  const url = new URL(response.url());
  if (!url.pathname.startsWith('/api/') || url.pathname === '/api/events/stream') return undefined;
  const text = await response.text().catch(() => undefined);
  if (text === undefined) return undefined; // the page went away before the body was read
  const observed = {
    method: response.request().method(),
    url: url.pathname,
    status: response.status(),
    contentType: response.headers()['content-type'] ?? '',
    text,
  };
  const violation = contract(observed);
  return violation ? `${observed.method} ${observed.url} → ${observed.status}: ${violation}` : undefined;
}

/** Opens one of the person's pages by its navigation link and waits for its heading. */
export async function openPage(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
}

/** Serious and critical accessibility violations on the page as it is now (axe-core). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Keeps a full-page screenshot as a test artifact: test-artifacts/screenshots/<name>.png. */
export async function keepScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Serious and critical accessibility violations fail the test, each named. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

/** Whether the page itself scrolls sideways (a wide table scrolls inside its .table-wrap instead). */
export const pageScrollsSideways = (page: Page): Promise<boolean> =>
  page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth');

// Shared with the API tests, which need no browser.
export { registeredThroughApi, uniqueDomain } from './registrations';
