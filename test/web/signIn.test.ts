import { startTestApi, type TestApi } from '../helpers/api';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy';
import { keepScreenshot, seriousAccessibilityViolations, signedInAs, useWebStack } from '../helpers/webApp';

// The first minute in the web app: the sign-in page names each development principal, each one
// lands on their own pages, and an ended session returns to sign-in.

jest.setTimeout(120_000);
const web = useWebStack();

it('offers each development principal as a button named for who it is', async () => {
  const context = await web.browser.newContext();
  const page = await context.newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${web.stack.api.baseUrl}/`);
  await page.getByRole('heading', { name: 'Sign in to RoE Orchestrator' }).waitFor();
  // Every asset is served by the product: no request leaves for another host.
  expect(requested.filter((url) => !url.startsWith(`${web.stack.api.baseUrl}/`) && !url.startsWith('data:'))).toEqual(
    [],
  );
  for (const name of ['Northwind (partner)', 'Channel manager EMEA', 'Admin', 'Ops'])
    await expect(page.getByRole('button', { name, exact: true }).count()).resolves.toBe(1);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'sign-in');
  await context.close();
});

it('serves the page at every page path under a policy that keeps it to this server, its assets cached for good', async () => {
  const page = await fetch(`${web.stack.api.baseUrl}/registrations/reg-123`, { headers: { Accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const asset = await fetch(`${web.stack.api.baseUrl}${script}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  // The API keeps its own answers: an unknown API path is a problem, not the page.
  const unknown = await web.stack.api.call('GET', '/api/no-such-thing', { token: 'dev-ops' });
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get('content-type')).toContain('application/problem+json');
});

it.each([
  ['Northwind (partner)', ['Register a deal', 'My registrations', 'My conflict cases', 'Rules of engagement']],
  ['Channel manager EMEA', ['Inbox']],
  ['Admin', ['Policies', 'Rollouts', 'Directory', 'API keys', 'Webhooks', 'Dashboard', 'Workflows', 'Audit']],
  ['Ops', ['Dashboard', 'Workflows', 'Audit']],
])('signs %s in to their own pages', async (principal, pages) => {
  const person = await signedInAs(web.browser, web.stack.api.baseUrl, principal);
  const links = await person.page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();
  expect(links).toEqual(pages);
  await expect(person.page.getByText(principal, { exact: true }).count()).resolves.toBeGreaterThan(0);
  expect(person.problems).toEqual([]);
  await person.close();
});

it('returns to sign-in on Sign out, and a reload keeps a development session', async () => {
  const person = await signedInAs(web.browser, web.stack.api.baseUrl, 'Ops');
  await person.page.reload();
  await person.page.getByRole('button', { name: 'Sign out' }).waitFor();
  await person.page.getByRole('button', { name: 'Sign out' }).click();
  await person.page.getByRole('heading', { name: 'Sign in to RoE Orchestrator' }).waitFor();
  await person.close();
});

describe('behind one address, as a person reaches the server', () => {
  let proxy: TcpProxy;
  let strict: TestApi;
  beforeAll(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: portOf(web.stack.api.baseUrl) });
    // The same product with development tokens off: what a signed-in development session meets
    // when the server it talks to stops accepting its token.
    strict = await startTestApi(
      { store: web.stack.db.store, temporal: web.stack.temporal.client },
      { taskQueue: web.stack.taskQueue, auth: { devTokens: false } },
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await strict?.close();
  });
  afterEach(() => {
    proxy.restore();
    proxy.retarget(portOf(web.stack.api.baseUrl));
  });

  it('says when the connection is lost, and recovers without a reload', async () => {
    const person = await signedInAs(web.browser, `http://127.0.0.1:${proxy.port}`, 'Ops');
    const live = person.page.locator('.live');
    await person.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await person.page.getByText('Live', { exact: true }).waitFor();
    proxy.cut();
    await person.page.getByRole('status').filter({ hasText: 'Connection to the server lost' }).waitFor();
    expect(await live.textContent()).toBe('Reconnecting…');
    proxy.restore();
    await person.page.getByText('Live', { exact: true }).waitFor({ timeout: 30_000 });
    await expect(
      person.page.getByRole('status').filter({ hasText: 'Connection to the server lost' }).count(),
    ).resolves.toBe(0);
    await person.close();
  });

  it('returns to sign-in, saying why, when the server no longer accepts the session (401)', async () => {
    const person = await signedInAs(web.browser, `http://127.0.0.1:${proxy.port}`, 'Northwind (partner)');
    proxy.retarget(portOf(strict.baseUrl));
    proxy.cut(); // ends the open stream, so the page's next requests meet the new server
    proxy.restore();
    await person.page.getByRole('heading', { name: 'Sign in to RoE Orchestrator' }).waitFor({ timeout: 30_000 });
    await person.page.getByText('Your session has ended. Sign in again to go on.').waitFor();
    await person.close();
  });
});

const portOf = (baseUrl: string) => Number(new URL(baseUrl).port);
