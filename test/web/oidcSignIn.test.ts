import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WEB_DIST } from '../../scripts/build-web';
import { seedDevelopment } from '../../src/store/seed';
import { startTestApi, type TestApi } from '../helpers/api';
import { launchBrowser } from '../helpers/browser';
import { startTemporalAndStore } from '../helpers/environment';
import { eventually } from '../helpers/eventually';
import { freePort } from '../helpers/ports';
import type { TestStore } from '../helpers/store';
import type { TestTemporal } from '../helpers/temporal';
import { keepScreenshot, seriousAccessibilityViolations } from '../helpers/webApp';

// Single sign-on as production runs it: the API trusts only a real OpenID Connect provider (no
// development tokens), and a partner signs in through that provider's own login page, with the
// authorization code flow and PKCE. The access token stays in the page's memory, a reload signs in
// again without asking, an expiring token is renewed in the background, and "Sign out" ends the
// session at the provider too.

jest.setTimeout(180_000);

const CLIENT_ID = 'roe-web';
const AUDIENCE = 'https://roe.test/api';
// Short, so that the app renews the token during the test (it renews 30 s before expiry).
const ACCESS_TOKEN_TTL_SECONDS = 40;
const ACCOUNTS = {
  'nora@northwind.example': { name: 'Nora Wind', claims: { role: 'partner', partnerId: 'northwind' } },
};

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;
let issuer: string;
let provider: ChildProcess;
let browser: Browser;

/** The provider in a process of its own (it is an ES module); resolves once it listens. */
async function startProvider(port: number, appUrl: string): Promise<ChildProcess> {
  const options = {
    port,
    appUrl,
    clientId: CLIENT_ID,
    audience: AUDIENCE,
    accessTokenTtl: ACCESS_TOKEN_TTL_SECONDS,
    accounts: ACCOUNTS,
  };
  const child = spawn(
    process.execPath,
    [join(__dirname, '..', 'helpers', 'oidcProviderMain.mjs'), JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = String(chunk);
    if (!text.includes('WARNING')) errors.push(text);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the OIDC provider exited (${code}): ${errors.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('ready ')) resolve();
    });
  });
  return child;
}

beforeAll(async () => {
  let stack: { temporal: TestTemporal; db: TestStore };
  [stack, browser] = await Promise.all([startTemporalAndStore(), launchBrowser()]);
  ({ temporal, db } = stack);
  await seedDevelopment(db.store, new Date());
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  api = await startTestApi(
    { store: db.store, temporal: temporal.client },
    {
      auth: { devTokens: false, jwt: { jwksUrl: `${issuer}/jwks`, issuer, audience: AUDIENCE } },
      session: { oidc: { issuer, clientId: CLIENT_ID, audience: AUDIENCE } },
      webApp: { dir: WEB_DIST, oidcIssuer: issuer },
    },
  );
  provider = await startProvider(port, api.baseUrl);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (provider && provider.exitCode === null) {
    const exited = new Promise((resolve) => provider.once('exit', resolve));
    provider.kill('SIGTERM');
    await exited;
  }
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

/** One person's browser for the whole story: what it sent, and what went wrong in the app. */
interface Visit {
  context: BrowserContext;
  page: Page;
  /** Every distinct bearer token the app sent to the API, in order. */
  tokens: string[];
  /** Token requests the app made to the provider (sign-in, silent sign-in and renewals). */
  tokenRequests: number;
  problems: string[];
}
let visit: Visit;

beforeAll(async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  visit = { context, page, tokens: [], tokenRequests: 0, problems: [] };
  page.on('request', (request) => {
    const auth = request.headers().authorization;
    if (request.url().startsWith(`${api.baseUrl}/api/`) && auth?.startsWith('Bearer ')) {
      const token = auth.slice('Bearer '.length);
      if (!visit.tokens.includes(token)) visit.tokens.push(token);
    }
    if (request.url() === `${issuer}/token` && request.method() === 'POST') visit.tokenRequests += 1;
  });
  // The app's own problems, not the provider's: its test login page asks for a web font that the
  // closed network refuses.
  page.on('pageerror', (error) => visit.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && message.location().url.startsWith(api.baseUrl))
      visit.problems.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    const url = request.url();
    const reason = request.failure()?.errorText ?? 'unknown';
    // A request the browser itself cancels (the reload below while a page's query is in flight) is
    // not a failure of the page; the stream ends at every sign-out and reload.
    if (!url.startsWith(api.baseUrl) || url.includes('/api/events/stream') || reason === 'net::ERR_ABORTED') return;
    visit.problems.push(`request failed: ${url} (${reason})`);
  });
});

const signedInHeader = (page: Page) => page.getByRole('button', { name: 'Sign out' });
const lastToken = () => visit.tokens[visit.tokens.length - 1];

/** A page of the app that reads the API: the first API answer after opening it, besides the session. */
async function openPartnerPage(page: Page, title: string) {
  const answer = page.waitForResponse(
    (r) => r.url().startsWith(`${api.baseUrl}/api/`) && !/\/api\/(session|auth\/config|events)/.test(r.url()),
  );
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
  return answer;
}

it('signs a partner in on the provider’s own login page and back to the partner’s pages', async () => {
  const { page } = visit;
  await page.goto(`${api.baseUrl}/`);
  await page.getByRole('heading', { name: 'Sign in to RoE Orchestrator' }).waitFor();
  // Production sign-in: no development principals are offered.
  await expect(page.getByRole('heading', { name: 'Development sign-in' }).count()).resolves.toBe(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'sign-in-single-sign-on');

  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${issuer}/`));
  const authorization = new URL(page.url());
  expect(authorization.pathname).toMatch(/^\/interaction\//);
  await page.getByPlaceholder('Enter any login').fill('nora@northwind.example');
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();

  await signedInHeader(page).waitFor();
  expect(new URL(page.url()).origin).toBe(api.baseUrl);
  await page.getByText('Northwind Traders (partner)', { exact: true }).waitFor();
  const links = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();
  expect(links).toEqual(['Register a deal', 'My registrations', 'My conflict cases', 'Rules of engagement']);

  const answer = await openPartnerPage(page, 'Rules of engagement');
  expect(answer.status()).toBe(200);
  expect(answer.request().headers().authorization).toBe(`Bearer ${lastToken()}`);
  // A JWT the API verified against the provider's keys, for the API as audience.
  const claims = JSON.parse(Buffer.from(lastToken().split('.')[1], 'base64url').toString()) as Record<string, unknown>;
  expect(claims).toMatchObject({
    iss: issuer,
    aud: AUDIENCE,
    sub: 'nora@northwind.example',
    role: 'partner',
    partnerId: 'northwind',
  });
  expect(visit.problems).toEqual([]);
});

it('keeps the access token out of storage and out of the address', async () => {
  const { page } = visit;
  const token = lastToken();
  const stored = await page.evaluate<string>(
    `JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])`,
  );
  expect(stored.includes(token)).toBe(false);
  // The authorization code was in the callback address; the app replaced it once used.
  expect(page.url()).not.toContain(token);
  expect(page.url()).not.toMatch(/[?&](code|state)=/);
  const history = await page.evaluate<number>('history.length');
  expect(history).toBeGreaterThan(0);
});

it('signs in again silently on a reload, without the provider’s login page', async () => {
  const { page } = visit;
  const before = visit.tokenRequests;
  const navigations: string[] = [];
  const onNavigated = (frame: import('playwright-core').Frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  };
  page.on('framenavigated', onNavigated);
  await page.reload();
  await signedInHeader(page).waitFor();
  page.off('framenavigated', onNavigated);
  await page.getByText('Northwind Traders (partner)', { exact: true }).waitFor();
  expect(navigations.every((url) => url.startsWith(api.baseUrl))).toBe(true);
  expect(visit.tokenRequests).toBeGreaterThan(before);
  const answer = await openPartnerPage(page, 'My conflict cases');
  expect(answer.status()).toBe(200);
  expect(visit.problems).toEqual([]);
});

it('renews an expiring access token in the background, and goes on working after the old one expired', async () => {
  const { page } = visit;
  const old = lastToken();
  const renewals = visit.tokenRequests;
  // The app renews 30 s before expiry through the hidden /auth/silent frame: a new token request.
  await eventually(
    async () => visit.tokenRequests,
    (n) => n > renewals,
    { timeoutMs: ACCESS_TOKEN_TTL_SECONDS * 1000 },
  );
  // The old token expires at the provider's word; the API then refuses it.
  await eventually(
    async () => (await api.call('GET', '/api/session', { token: old })).status,
    (status) => status === 401,
    { timeoutMs: (ACCESS_TOKEN_TTL_SECONDS + 10) * 1000, intervalMs: 1000 },
  );
  await signedInHeader(page).waitFor();
  const answer = await openPartnerPage(page, 'Rules of engagement');
  expect(answer.status()).toBe(200);
  const renewed = lastToken();
  expect(renewed).not.toBe(old);
  expect(answer.request().headers().authorization).toBe(`Bearer ${renewed}`);
  await signedInHeader(page).waitFor();
  await expect(page.getByText('Your session has ended').count()).resolves.toBe(0);
  await page.getByText('Northwind Traders (partner)', { exact: true }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-single-sign-on');
  expect(visit.problems).toEqual([]);
});

it('signs out at the provider too, back to sign-in, and the next sign-in asks again', async () => {
  const { page } = visit;
  await signedInHeader(page).click();
  await page.waitForURL((url) => url.href.startsWith(`${issuer}/`));
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.getByRole('heading', { name: 'Sign in to RoE Orchestrator' }).waitFor();
  expect(new URL(page.url()).origin).toBe(api.baseUrl);
  // The provider's session is over: signing in again shows its login page, not the app.
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await page.getByPlaceholder('Enter any login').waitFor();
  expect(visit.problems).toEqual([]);
  await visit.context.close();
});
