import { keepScreenshot, openPage, seriousAccessibilityViolations, signedInAs, useWebStack } from '../helpers/webApp';
import { registeredThroughApi, uniqueDomain } from '../helpers/registrations';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver';
import { eventually } from '../helpers/eventually';

// The program owner wires the CRM to the product on the "Webhooks" page: the secret the page shows
// once is the one a real receiver on loopback verifies every delivery with; what the receiver
// refused is on the page, attempt by attempt, and a replay from the page reaches it. Retries here
// start after 1 s and give up after 15 s (the product's defaults are 5 s and 3 days).

jest.setTimeout(180_000);
let receiver: WebhookReceiver;
/** The signing secret of the webhook the first test adds on the page, which stays subscribed. */
let firstSecret = '';
const web = useWebStack(120_000, async () => {
  receiver = await startWebhookReceiver();
  return { webhooks: { allowedTargets: [receiver.hostPort], firstRetryMs: 1_000, retryForMs: 15_000 } };
});
afterAll(async () => {
  await receiver?.stop();
});

const registerDeal = async (account: string) =>
  (await registeredThroughApi(web.stack, 'dev-partner-northwind', account, uniqueDomain('hook'), 20_000)).id;

/** What the receiver took, verified, about one registration. */
const receivedAbout = (registrationId: string) =>
  receiver.received.filter((r) => r.event.subject.id === registrationId).map((r) => r.event.type);

it('adds a webhook whose secret, shown once, verifies every delivery; a failing endpoint shows on the page and a replay reaches it', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin');
  const { page, context } = admin;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.stack.api.baseUrl });
  await openPage(page, 'Webhooks');
  await page.getByText('No webhooks yet').waitFor();

  // A metadata address is refused at its field.
  await page.getByLabel('Endpoint URL').fill('http://169.254.169.254/latest');
  await page.getByLabel('Deal registrations').check();
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await page
    .locator('#webhook-url-error')
    .filter({ hasText: /169\.254\.169\.254|link-local|metadata/ })
    .waitFor();
  await expect(page.getByLabel('Endpoint URL').getAttribute('aria-invalid')).resolves.toBe('true');

  await page.getByLabel('Endpoint URL').fill(receiver.url);
  await page.getByLabel('Owner’s email').fill('integrations@vendor.example');
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await page.getByRole('heading', { name: `Webhook to ${receiver.url} added` }).waitFor();
  const secret = await page.getByLabel('Signing secret').inputValue();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole('button', { name: 'Copy secret' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
  await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(secret);
  receiver.trust(secret);
  firstSecret = secret;
  const row = page.getByRole('row', { name: new RegExp(receiver.url) });
  await row.getByText('Deal registrations', { exact: true }).waitFor();
  await row.getByText('enabled', { exact: true }).waitFor();
  await row.getByText('owner integrations@vendor.example').waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-webhooks-added');
  await page.getByRole('button', { name: 'I have copied the secret' }).click();
  await expect(page.getByLabel('Signing secret').count()).resolves.toBe(0);

  // A deal registered now reaches the receiver, signed with that secret, and shows as delivered.
  const first = await registerDeal('Hooked Industries');
  await eventually(
    async () => receivedAbout(first),
    (types) => types.includes('registration.decided'),
  );
  expect(receivedAbout(first)[0]).toBe('registration.submitted');
  const deliveries = page.getByRole('region', { name: `Deliveries to ${receiver.url}` });
  // A delivery's own row (the row under it, its attempts, names the event too once opened).
  const deliveryRow = (registrationId: string) =>
    deliveries
      .getByRole('row', { name: new RegExp(`registration\\.submitted.*${registrationId}`) })
      .filter({ has: page.getByRole('button', { name: /^Attempts of/ }) });
  const firstSubmitted = deliveryRow(first);
  await firstSubmitted.getByText('delivered', { exact: true }).waitFor();
  await firstSubmitted.getByText(/^204 in \d+ ms$/).waitFor();

  // The endpoint breaks: the retries run out, the delivery fails and the webhook is disabled.
  receiver.answerWith(500);
  const second = await registerDeal('Broken Pipe Ltd');
  const failedRow = deliveryRow(second);
  await failedRow.getByText('failed', { exact: true }).waitFor({ timeout: 60_000 });
  await failedRow.getByText(/^500: receiver broken/).waitFor();
  await row.getByText('disabled', { exact: true }).waitFor({ timeout: 15_000 });
  await failedRow.getByRole('button', { name: /^Attempts of registration\.submitted/ }).click();
  const attemptLog = deliveries.locator('.attempt-log li');
  await attemptLog.first().waitFor();
  expect(await attemptLog.count()).toBeGreaterThan(1);
  for (const attempt of await attemptLog.allTextContents()) expect(attempt).toContain('500: receiver broken');
  await deliveries.getByText('The event as sent').click();
  await deliveries
    .locator('.event-body')
    .filter({ hasText: `"id": "${second}"` })
    .waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-webhooks-failed');

  // Mended and enabled again, the failed delivery replayed from the page reaches the receiver.
  receiver.answerWith(204);
  await row.getByRole('button', { name: `Enable the webhook to ${receiver.url}` }).click();
  await page.getByRole('status').filter({ hasText: 'events recorded from now on are sent to it' }).waitFor();
  await row.getByText('enabled', { exact: true }).waitFor();
  await deliveries.getByLabel('Show').selectOption('failed');
  await failedRow.getByRole('button', { name: /^Replay registration\.submitted/ }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Sending registration.submitted of registration ${second} again` })
    .waitFor();
  await eventually(
    async () => receivedAbout(second),
    (types) => types.includes('registration.submitted'),
  );
  await deliveries.getByLabel('Show').selectOption('');
  await failedRow.getByText('delivered', { exact: true }).waitFor();
  expect(admin.problems).toEqual([]);
  await admin.close();
});

it('rotates the secret (the new one alone verifies the next delivery) and deletes the webhook', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin');
  const { page } = admin;
  const created = await web.stack.api.call<{ id: string; secret: string }>('POST', '/api/webhooks', {
    token: 'dev-admin',
    body: { url: `${receiver.url}/rotated`, events: ['registration.submitted'], partnerId: 'northwind' },
  });
  expect(created.status).toBe(201);
  await openPage(page, 'Webhooks');
  const row = page.getByRole('row', { name: new RegExp(`${receiver.url}/rotated`) });
  await row.getByText('events of Northwind Traders only', { exact: false }).waitFor();

  await row.getByRole('button', { name: `Rotate the secret of the webhook to ${receiver.url}/rotated` }).click();
  await row.getByText('The current one keeps signing beside the new one for 24 hours').waitFor();
  await row.getByRole('button', { name: 'Yes, rotate' }).click();
  await page.getByRole('heading', { name: `New secret for the webhook to ${receiver.url}/rotated` }).waitFor();
  await page.getByText('The previous secret keeps signing beside this one until').waitFor();
  const rotated = await page.getByLabel('Signing secret').inputValue();
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(created.body.secret);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-webhooks-rotated');
  await page.getByRole('button', { name: 'I have copied the secret' }).click();

  // The first webhook's deliveries keep arriving; this one's verify with its new secret alone.
  receiver.trust(firstSecret, rotated);
  const refusedBefore = receiver.refused;
  const deal = await registerDeal('Rotated Secrets plc');
  const [delivered] = await eventually(
    async () =>
      receiver.received.filter(
        (r) => r.event.subject.id === deal && r.webhookId.startsWith(`msg_${created.body.id.slice(4)}`),
      ),
    (found) => found.length > 0,
  );
  expect(delivered.event.type).toBe('registration.submitted');
  expect(receiver.refused).toBe(refusedBefore);

  await row.getByRole('button', { name: `Delete the webhook to ${receiver.url}/rotated` }).click();
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Deleted the webhook to ${receiver.url}/rotated` })
    .waitFor();
  await expect(row.count()).resolves.toBe(0);
  const gone = await web.stack.api.call('GET', `/api/webhooks/${created.body.id}`, { token: 'dev-admin' });
  expect(gone.status).toBe(404);
  expect(admin.problems).toEqual([]);
  await admin.close();
});

it('fits the Webhooks page on a 375 px wide screen', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin', { width: 375 });
  const { page } = admin;
  await openPage(page, 'Webhooks');
  await page.getByRole('table').first().waitFor();
  await page.getByRole('button', { name: `Deliveries to ${receiver.url}`, exact: true }).click();
  await page
    .getByRole('region', { name: `Deliveries to ${receiver.url}` })
    .getByRole('table')
    .waitFor();
  // The address names the webhook shown, as the disabled-webhook email's link does.
  expect(new URL(page.url()).searchParams.get('webhook')).toMatch(/^whk_[0-9a-f]{12}$/);
  await keepScreenshot(page, 'admin-webhooks-375');
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  const wide = await page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
    .map((e) => e.tagName + '.' + e.className)
    .slice(0, 8)`);
  expect({ overflow, wide }).toEqual({ overflow: 0, wide: [] });
  expect(admin.problems).toEqual([]);
  await admin.close();
});
