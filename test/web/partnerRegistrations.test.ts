import type { Page } from 'playwright-core';
import { keepScreenshot, openPage, seriousAccessibilityViolations, signedInAs, useWebStack } from '../helpers/webApp';

// A partner's registrations in the browser: registering a deal through the form with the rules'
// preview before it, the decision and what happens next after it, and the registration's life in
// "My registrations" — who holds the ball, a manager's decision arriving live, withdrawing.

jest.setTimeout(180_000);
const web = useWebStack(180_000);

const closeDate = () => new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);

interface Deal {
  accountName: string;
  domain: string;
  productLine: string;
  amount: string;
}

async function fillDeal(page: Page, deal: Deal) {
  await page.getByLabel('Account name', { exact: true }).fill(deal.accountName);
  await page.getByLabel('Domain', { exact: true }).fill(deal.domain);
  await page.getByLabel('Region', { exact: true }).fill('emea');
  await page.getByLabel('Product line', { exact: true }).fill(deal.productLine);
  await page.getByLabel('Amount', { exact: true }).fill(deal.amount);
  await page.getByLabel('Currency', { exact: true }).selectOption('EUR');
  await page.getByLabel('Expected close date', { exact: true }).fill(closeDate());
}

/** Northwind signed in, on the page it lands on (its first page, fully loaded before it moves on). */
async function northwind(options: { width?: number } = {}) {
  const partner = await signedInAs(web.browser, web.stack.api.baseUrl, 'Northwind (partner)', options);
  await partner.page.getByRole('heading', { level: 1, name: 'Register a deal' }).waitFor();
  return partner;
}

const preview = (page: Page) => page.getByRole('region', { name: 'Preview: what the rules would do' });

it('registers a deal through the form: the preview says what the rules would do, then the decision and its next step', async () => {
  const partner = await northwind();
  const { page } = partner;
  await openPage(page, 'Register a deal');
  await fillDeal(page, {
    accountName: 'Tailspin Toys',
    domain: 'tailspin.example',
    productLine: 'analytics',
    amount: '20000',
  });

  await preview(page).getByText('It would be approved at once').waitFor();
  await expect(preview(page).textContent()).resolves.toContain('AUTO-APPROVE');
  await expect(preview(page).textContent()).resolves.toContain('claims nothing');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-register-a-deal');

  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const outcome = page.getByRole('region', { name: 'Registered and approved' });
  await outcome.waitFor();
  await expect(outcome.textContent()).resolves.toMatch(/Why:.*auto-approv/i);
  await expect(outcome.getByText(/expires in 89 d 23 h/).count()).resolves.toBeGreaterThan(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-register-a-deal-registered');

  await page.getByRole('link', { name: 'Open it in My registrations' }).click();
  await page.waitForURL(/\/registrations\/reg-[0-9a-f]{16}$/);
  await page.getByRole('heading', { level: 1, name: 'My registrations' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Tailspin Toys — analytics' }).waitFor();
  expect(page.url()).toMatch(/\/registrations\/reg-[0-9a-f]{16}$/);
  expect(partner.problems).toEqual([]);
  await partner.close();
});

it("shows a registration under review as waiting on a channel manager, and a manager's approval arrives without a reload", async () => {
  const partner = await northwind();
  const { page } = partner;
  await openPage(page, 'Register a deal');
  await fillDeal(page, { accountName: 'Globex', domain: 'globex.example', productLine: 'platform', amount: '90000' });
  await preview(page).getByText('It would go to review').waitFor();
  await expect(preview(page).textContent()).resolves.toContain('R-ENTERPRISE');

  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const outcome = page.getByRole('region', { name: 'Registered — waiting for review' });
  await outcome.waitFor();
  await expect(outcome.textContent()).resolves.toMatch(/A channel manager reviews it — due in \d/);

  await page.getByRole('link', { name: 'Open it in My registrations' }).click();
  const detail = page.getByRole('region', { name: 'Globex — platform' });
  await detail.getByText(/Waiting on: channel manager — due in \d/).waitFor();
  const row = page.getByRole('row').filter({ hasText: 'Globex' });
  await expect(row.textContent()).resolves.toMatch(/pending review.*Waiting on: channel manager — due in \d/);
  await expect(detail.getByRole('button', { name: 'Request extension' }).count()).resolves.toBe(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-my-registrations');

  const id = page.url().split('/').pop()!;
  const decided = await web.stack.api.call('POST', `/api/registrations/${id}/decision`, {
    token: 'dev-cm-emea',
    body: { outcome: 'approve', reason: 'co-sell agreed with the account executive' },
  });
  expect(decided.status).toBe(200);
  await detail.getByText('Waiting on: nobody — protected').waitFor();
  await expect(detail.getByRole('status').first().textContent()).resolves.toContain('approved');
  await expect(detail.textContent()).resolves.toContain('co-sell agreed with the account executive');
  await detail.getByRole('button', { name: 'Request extension' }).waitFor();
  for (const action of ['Post update', 'Close', 'Withdraw'])
    await expect(detail.getByRole('button', { name: action, exact: true }).count()).resolves.toBe(1);
  await expect(detail.getByRole('button', { name: 'Answer', exact: true }).count()).resolves.toBe(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-my-registrations-approved');
  expect(partner.problems).toEqual([]);
  await partner.close();
});

it('previews and registers a deal on an account another partner holds as a conflict case, without naming the holder', async () => {
  const contoso = await signedInAs(web.browser, web.stack.api.baseUrl, 'Contoso (partner)');
  const { page } = contoso;
  await page.getByRole('heading', { level: 1, name: 'Register a deal' }).waitFor();
  await fillDeal(page, {
    accountName: 'Tailspin',
    domain: 'www.tailspin.example',
    productLine: 'analytics',
    amount: '15000',
  });
  await preview(page).getByText('It would go into a conflict case').waitFor();
  await expect(preview(page).textContent()).resolves.not.toMatch(/Northwind|Nora Wind/i);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const outcome = page.getByRole('region', { name: 'Registered — in a conflict case' });
  await outcome.getByText(/a channel manager resolves it, due in \d/).waitFor();
  await expect(page.locator('main').textContent()).resolves.not.toMatch(/Northwind|Nora Wind/i);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-register-a-deal-conflict');
  expect(contoso.problems).toEqual([]);
  await contoso.close();
});

it("shows the API's refusal of a field at that field", async () => {
  const partner = await northwind();
  const { page } = partner;
  await openPage(page, 'Register a deal');
  await fillDeal(page, { accountName: 'Nobody', domain: 'co.uk', productLine: 'analytics', amount: '1000' });
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.getByRole('alert').getByText('The deal was not registered').waitFor();
  const domain = page.getByLabel('Domain', { exact: true });
  await expect(domain.getAttribute('aria-invalid')).resolves.toBe('true');
  const describedBy = (await domain.getAttribute('aria-describedby'))!.split(' ');
  const errorId = describedBy.find((d) => d.endsWith('-error'))!;
  await expect(page.locator(`[id="${errorId}"]`).textContent()).resolves.toMatch(/domain/i);
  await expect(page.getByRole('region', { name: /^Registered/ }).count()).resolves.toBe(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-register-a-deal-refused');
  // The browser logs each refused request (the pre-check's and the submission's 400) as a console error.
  expect(partner.problems).toEqual([]);
  await partner.close();
});

it('withdraws a registration after confirming, and says what that did', async () => {
  const registered = await web.stack.api.call<{ id: string }>('POST', '/api/registrations', {
    token: 'dev-partner-northwind',
    body: {
      account: { name: 'Contoso Pharma', domain: 'contoso-pharma.example', region: 'emea' },
      opportunity: {
        title: 'Lab analytics',
        productLine: 'analytics',
        amount: { value: 10000, currency: 'EUR' },
        expectedCloseDate: closeDate(),
      },
    },
  });
  expect(registered.status).toBe(201);
  const partner = await northwind();
  const { page } = partner;
  await openPage(page, 'My registrations');
  await page.getByRole('link', { name: 'Contoso Pharma — analytics', exact: true }).click();
  const detail = page.getByRole('region', { name: 'Contoso Pharma — analytics' });
  await detail.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await detail.getByLabel('Reason', { exact: true }).fill('the customer chose to wait a year');
  await detail.getByText('It cannot be undone').waitFor();
  await detail.getByRole('button', { name: 'Yes, withdraw it' }).click();
  await detail.getByText('Withdrawn. The claim on the account is released').waitFor();
  await detail.getByText('Nobody — it has ended').waitFor();
  await expect(detail.getByRole('button', { name: 'Withdraw', exact: true }).count()).resolves.toBe(0);
  await expect(detail.getByRole('list').last().textContent()).resolves.toContain('the customer chose to wait a year');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  expect(partner.problems).toEqual([]);
  await partner.close();
});

it('rates the decision from the link in its email, and may change the rating', async () => {
  const registered = await web.stack.api.call<{ id: string }>('POST', '/api/registrations', {
    token: 'dev-partner-northwind',
    body: {
      account: { name: 'Lucerne Publishing', domain: 'lucerne-publishing.example', region: 'emea' },
      opportunity: {
        title: 'Print analytics',
        productLine: 'analytics',
        amount: { value: 15000, currency: 'EUR' },
        expectedCloseDate: closeDate(),
      },
    },
  });
  expect(registered.status).toBe(201);
  const partner = await northwind();
  const { page } = partner;
  // The decision's email links to /registrations/<id>#feedback on the public URL; here, this server.
  await page.goto(`${web.stack.api.baseUrl}/registrations/${registered.body.id}#feedback`);
  const feedback = page.getByRole('region', { name: 'How was this decision for you?' });
  await feedback.getByRole('radio', { name: '4 — Very good' }).check();
  await feedback.getByLabel('Comment (optional)').fill('Quick and clear');
  await feedback.getByRole('button', { name: 'Send my rating' }).click();
  await feedback
    .getByRole('status')
    .filter({ hasText: 'Thank you: you rated this decision 4 of 5 (very good).' })
    .waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-registration-rated');

  await page.reload();
  const again = page.getByRole('region', { name: 'How was this decision for you?' });
  await again.getByText('You rated it 4 of 5 (very good); you may change your rating.').waitFor();
  expect(await again.getByRole('radio', { name: '4 — Very good' }).isChecked()).toBe(true);
  await again.getByRole('radio', { name: '2 — Fair' }).check();
  await again.getByRole('button', { name: 'Update my rating' }).click();
  await again.getByRole('status').filter({ hasText: 'you rated this decision 2 of 5 (fair)' }).waitFor();
  const ratings = await web.stack.api.call('GET', `/api/registrations/${registered.body.id}/feedback`, {
    token: 'dev-partner-northwind',
  });
  expect(ratings.body.items).toEqual([expect.objectContaining({ rating: 2, comment: 'Quick and clear' })]);
  expect(partner.problems).toEqual([]);
  await partner.close();
});

it('closes a deal as won with what the customer signed and the day it closed', async () => {
  const registered = await web.stack.api.call<{ id: string }>('POST', '/api/registrations', {
    token: 'dev-partner-northwind',
    body: {
      account: { name: 'Fourth Coffee', domain: 'fourth-coffee.example', region: 'emea' },
      opportunity: {
        title: 'Store analytics',
        productLine: 'analytics',
        amount: { value: 16000, currency: 'EUR' },
        expectedCloseDate: closeDate(),
      },
    },
  });
  expect(registered.status).toBe(201);
  const partner = await northwind();
  const { page } = partner;
  await openPage(page, 'My registrations');
  await page.getByRole('link', { name: 'Fourth Coffee — analytics', exact: true }).click();
  const detail = page.getByRole('region', { name: 'Fourth Coffee — analytics' });
  await detail.getByRole('button', { name: 'Close', exact: true }).click();
  await detail.getByLabel('Amount signed (EUR)').fill('17500');
  const today = new Date().toISOString().slice(0, 10);
  await detail.getByLabel('Closed on').fill(today);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await detail.getByRole('button', { name: 'Yes, close it as won' }).click();
  await detail.getByText('Closed as won. The claim on the account is released.').waitFor();
  const closed = await web.stack.api.call('GET', `/api/registrations/${registered.body.id}`, {
    token: 'dev-partner-northwind',
  });
  expect(closed.body.closure).toMatchObject({
    outcome: 'won',
    amount: { value: 17500, currency: 'EUR' },
    closedOn: today,
  });
  expect(partner.problems).toEqual([]);
  await partner.close();
});

it("answers a manager's question, and extends an approved registration as often as the policy allows", async () => {
  const registered = await web.stack.api.call<{ id: string }>('POST', '/api/registrations', {
    token: 'dev-partner-northwind',
    body: {
      account: { name: 'Globex', domain: 'globex.example', region: 'emea' },
      opportunity: {
        title: 'Globex security',
        productLine: 'security',
        amount: { value: 70000, currency: 'EUR' },
        expectedCloseDate: closeDate(),
      },
    },
  });
  expect(registered.status).toBe(201);
  const asked = await web.stack.api.call('POST', `/api/registrations/${registered.body.id}/decision`, {
    token: 'dev-cm-emea',
    body: { outcome: 'request_info', reason: 'Which business unit buys it?' },
  });
  expect(asked.status).toBe(200);

  const partner = await northwind();
  const { page } = partner;
  await openPage(page, 'My registrations');
  await page.getByRole('link', { name: 'Globex — security', exact: true }).click();
  const detail = page.getByRole('region', { name: 'Globex — security' });
  await detail
    .getByText(/Waiting on: you — answer the reviewer’s question; no deadline/)
    .first()
    .waitFor();
  // The question stands where the partner answers it, before "Answer" is pressed.
  await expect(detail.getByRole('blockquote', { name: 'The reviewer’s question' }).textContent()).resolves.toContain(
    'Which business unit buys it?',
  );
  await detail.getByRole('button', { name: 'Answer', exact: true }).click();
  await detail.getByText('The reviewer asked: Which business unit buys it?').waitFor();
  await detail.getByLabel('Your answer', { exact: true }).fill('The security operations unit');
  await detail.getByRole('button', { name: 'Send answer' }).click();
  await detail.getByText('Answer sent').waitFor();
  await detail.getByText(/Waiting on: channel manager — due in \d/).waitFor();
  await expect(detail.getByRole('button', { name: 'Answer', exact: true }).count()).resolves.toBe(0);

  const approved = await web.stack.api.call('POST', `/api/registrations/${registered.body.id}/decision`, {
    token: 'dev-cm-emea',
    body: { outcome: 'approve', reason: 'the security unit is a new buyer' },
  });
  expect(approved.status).toBe(200);
  await detail.getByRole('button', { name: 'Request extension' }).click();
  await detail.getByText('The policy allows 1 extension; 0 used.').waitFor();
  await detail.getByLabel('Reason', { exact: true }).fill('procurement slipped a quarter');
  await detail.getByRole('button', { name: 'Send extension request' }).click();
  await detail.getByText(/Extension granted: the protection now ends/).waitFor();
  await detail.getByText('(extended 1×)').waitFor();
  await expect(detail.getByRole('button', { name: 'Request extension' }).count()).resolves.toBe(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  expect(partner.problems).toEqual([]);
  await partner.close();
});

it('works at 375 px wide without scrolling the page sideways', async () => {
  const partner = await northwind({ width: 375 });
  const { page } = partner;
  // A string: the test project's types have no DOM.
  const sideways = () => page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
  await openPage(page, 'My registrations');
  await page.getByRole('link', { name: 'Globex — platform', exact: true }).click();
  await page.getByRole('region', { name: 'Globex — platform' }).getByText('Waiting on: nobody — protected').waitFor();
  await expect(sideways()).resolves.toBe(false);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-my-registrations-375');

  await openPage(page, 'Register a deal');
  await fillDeal(page, { accountName: 'Initech', domain: 'initech.example', productLine: 'security', amount: '5000' });
  await preview(page).getByText('It would be approved at once').waitFor();
  await expect(sideways()).resolves.toBe(false);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'partner-register-a-deal-375');
  expect(partner.problems).toEqual([]);
  await partner.close();
});
