import type { Page } from 'playwright-core';
import { EXAMPLE_POLICY } from '../../src/domain/policy';
import {
  keepScreenshot,
  openPage,
  pageScrollsSideways,
  seriousAccessibilityViolations,
  signedInAs,
  useWebStack,
  type PersonPage,
} from '../helpers/webApp';

// A partner's two quieter pages: its conflict cases (where each stands on the ladder, the
// decision, its one appeal — never naming the other party) and the rules of engagement in plain
// words, with a version announced to replace them that the partner acknowledges.

jest.setTimeout(240_000);
const web = useWebStack();

const closeDate = () => new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

async function register(token: string, domain: string, amount: number) {
  const response = await web.stack.api.call<{ id: string; status: string; conflictId?: string }>(
    'POST',
    '/api/registrations',
    {
      token,
      body: {
        account: { name: 'Tailwind Logistics', domain, region: 'emea' },
        opportunity: {
          title: 'Fleet analytics',
          productLine: 'analytics',
          amount: { value: amount, currency: 'EUR' },
          expectedCloseDate: closeDate(),
        },
      },
    },
  );
  expect(response.status).toBe(201);
  return response.body;
}

/** Everything the page holds in text and markup, for what must never be in it. */
const pageText = async (page: Page) =>
  `${await page.content()}\n${await page.locator('body').innerText()}`.toLowerCase();

describe('a conflict case between two partners', () => {
  let held: { id: string };
  let contender: { id: string; conflictId?: string };
  let northwind: PersonPage;
  let contoso: PersonPage;

  beforeAll(async () => {
    held = await register('dev-partner-northwind', 'tailwind-logistics.example', 20_000);
    contender = await register('dev-partner-contoso', 'tailwind-logistics.example', 15_000);
    expect(contender.conflictId).toBeDefined();
    [northwind, contoso] = await Promise.all([
      signedInAs(web.browser, web.stack.api.baseUrl, 'Northwind (partner)'),
      signedInAs(web.browser, web.stack.api.baseUrl, 'Contoso (partner)'),
    ]);
  });
  afterAll(async () => {
    await northwind?.close();
    await contoso?.close();
  });

  it('shows each partner its case, where it stands on the ladder and who decides, never the other partner', async () => {
    for (const person of [northwind, contoso]) {
      await openPage(person.page, 'My conflict cases');
      await person.page.getByRole('link', { name: 'tailwind-logistics.example · analytics' }).click();
      await person.page.waitForURL(`**/conflicts/${contender.conflictId}`);
      const detail = person.page.getByRole('region', { name: 'tailwind-logistics.example · analytics' });
      await detail.getByText('Tier 1 of 3: the channel manager decides now.').waitFor();
      await expect(detail.locator('.waiting').innerText()).resolves.toMatch(
        /^Waiting on: channel manager — due in \d+ (d|h)/,
      );
      await detail.getByText('Another party', { exact: false }).first().waitFor();
    }
    const northwindText = await pageText(northwind.page);
    for (const secret of ['contoso', 'carl toso', contender.id.toLowerCase()])
      expect(northwindText).not.toContain(secret);
    expect(northwindText).toContain(held.id.toLowerCase());
    const contosoText = await pageText(contoso.page);
    for (const secret of ['northwind', 'nora wind', held.id.toLowerCase()]) expect(contosoText).not.toContain(secret);
    expect(contosoText).toContain(contender.id.toLowerCase());

    expect(await seriousAccessibilityViolations(northwind.page)).toEqual([]);
    await keepScreenshot(northwind.page, 'partner-my-conflict-cases');
  });

  it("shows the decision without a reload, and takes the losing partner's one appeal", async () => {
    const resolved = await web.stack.api.call('POST', `/api/conflicts/${contender.conflictId}/resolution`, {
      token: 'dev-cm-emea',
      body: { award: contender.id, reason: 'ran the discovery workshop' },
    });
    expect(resolved.status).toBe(200);

    const lost = northwind.page.getByRole('region', { name: 'tailwind-logistics.example · analytics' });
    await lost.getByText('Decided for another party: your registration is rejected.').waitFor();
    await lost.getByText('Reason: ran the discovery workshop').waitFor();
    await contoso.page.getByText('Decided in your favour: your registration is approved.').first().waitFor();
    expect(await contoso.page.getByRole('button', { name: 'Appeal' }).count()).toBe(0);
    for (const secret of ['contoso', contender.id.toLowerCase()])
      expect(await pageText(northwind.page)).not.toContain(secret);

    await lost
      .getByText(
        /^You may appeal this decision once, until \d+ \w+ \d{4}, \d\d:\d\d — the window closes in 4 d 23 h\.$/,
      )
      .waitFor();
    expect(await seriousAccessibilityViolations(northwind.page)).toEqual([]);
    await keepScreenshot(northwind.page, 'partner-my-conflict-cases-decided');

    await lost.getByRole('button', { name: 'Appeal' }).click();
    await lost.getByText('Say why the decision should be looked at again.').waitFor();
    await lost.getByLabel('Reason').fill('we hold the signed NDA');
    await lost.getByRole('button', { name: 'Appeal' }).click();
    await lost.getByText('Tier 2 of 3: the regional director decides now.').waitFor();
    await expect(lost.locator('.waiting').innerText()).resolves.toMatch(/^Waiting on: regional director — due in /);
    await lost.getByText(/You appealed on .*: “we hold the signed NDA”\. The case is open again at tier 2\./).waitFor();
    expect(await lost.getByRole('button', { name: 'Appeal' }).count()).toBe(0);
    // The winner sees the case reopened too, live.
    await contoso.page.getByText('Tier 2 of 3: the regional director decides now.').waitFor();
    expect(northwind.problems).toEqual([]);
    expect(contoso.problems).toEqual([]);
  });

  it('is usable at 375 px wide', async () => {
    const narrow = await signedInAs(web.browser, web.stack.api.baseUrl, 'Contoso (partner)', { width: 375 });
    await openPage(narrow.page, 'My conflict cases');
    await narrow.page.getByRole('link', { name: 'tailwind-logistics.example · analytics' }).click();
    await narrow.page.getByText('Tier 2 of 3: the regional director decides now.').waitFor();
    expect(await pageScrollsSideways(narrow.page)).toBe(false);
    expect(await seriousAccessibilityViolations(narrow.page)).toEqual([]);
    await keepScreenshot(narrow.page, 'partner-my-conflict-cases-375');
    expect(narrow.problems).toEqual([]);
    await narrow.close();
  });
});

describe('the rules of engagement', () => {
  it('says the rules in effect in plain words', async () => {
    const person = await signedInAs(web.browser, web.stack.api.baseUrl, 'Northwind (partner)');
    await openPage(person.page, 'Rules of engagement');
    const sentences = [
      'Strategic accounts are sold by our direct team: partner registrations are not accepted.',
      'Enterprise accounts are co-sell (partners sell together with our direct team): every partner may register them, and each registration is reviewed by a person before it is approved.',
      'All other deals are partner-led: only Silver, Gold and Platinum partners may register them.',
      'Deals up to €50,000 from Gold and Platinum partners are approved at once.',
      'A review is decided within 48 working hours; if it is not, it goes to the next manager up.',
      'An approved registration protects your deal for 90 days.',
      'You get a reminder 14 days and 3 days before it expires.',
      'You may extend it once, by 30 days.',
      'Channel manager — decides within 24 working hours.',
      'Regional director — decides within 48 working hours of taking the case over.',
      'If no one has decided by the last deadline, the partner who registered first is awarded the deal.',
      'If a case is decided against you, you may appeal once within 5 days; the case then goes one level up.',
    ];
    for (const sentence of sentences) await person.page.getByText(sentence, { exact: false }).first().waitFor();
    await person.page
      .getByText(
        'If a gold partner registers a deal on a strategic account, then rejected: strategic accounts are sold direct (R-STRATEGIC).',
      )
      .waitFor();
    const text = await person.page.locator('main').innerText();
    expect(text).not.toMatch(/P90D|PT48H|partner_led|"route"|\{/);
    expect(await seriousAccessibilityViolations(person.page)).toEqual([]);
    await keepScreenshot(person.page, 'partner-rules-of-engagement-current');
    expect(person.problems).toEqual([]);
    await person.close();
  });

  it('announces an upcoming version with what changes, and records the acknowledgement', async () => {
    const person = await signedInAs(web.browser, web.stack.api.baseUrl, 'Northwind (partner)');
    await openPage(person.page, 'Rules of engagement');
    await person.page.getByText('Deals up to €50,000 from Gold and Platinum partners are approved at once.').waitFor();

    const draft = await web.stack.api.call<{ version: number }>('POST', '/api/policies', {
      token: 'dev-admin',
      body: {
        ...EXAMPLE_POLICY,
        title: 'FY27 Partner Rules of Engagement, second edition',
        noticePeriod: 'P60D',
        registration: {
          ...EXAMPLE_POLICY.registration,
          validity: 'P120D',
          review: {
            ...EXAMPLE_POLICY.registration.review,
            autoApprove: { maxAmount: 75000, tiers: ['gold', 'platinum'] },
          },
        },
      },
    });
    expect(draft.status).toBe(201);
    const version = draft.body.version;
    const published = await web.stack.api.call<{ effectiveAt: string }>('POST', `/api/policies/${version}/publish`, {
      token: 'dev-admin',
      body: {},
    });
    expect(published.status).toBe(202);
    const effectiveDate = new Date(published.body.effectiveAt).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'Europe/Berlin',
    });

    // Without a reload: the page learns of the published version from the event stream.
    const upcoming = person.page.getByRole('region', { name: new RegExp(`^Version ${version} takes effect`) });
    await upcoming
      .getByRole('heading', { name: `Version ${version} takes effect on ${effectiveDate} (in 60 d)` })
      .waitFor();
    await upcoming.getByText('Deals approved at once: now up to €75,000 (before: up to €50,000).').waitFor();
    await upcoming
      .getByText('How long an approved registration protects your deal: now 120 days (before: 90 days).')
      .waitFor();
    await upcoming.getByText('Notice before a new version takes effect: now 60 days (before: 30 days).').waitFor();
    expect(await seriousAccessibilityViolations(person.page)).toEqual([]);
    await keepScreenshot(person.page, 'partner-rules-of-engagement');

    await upcoming.getByRole('button', { name: 'Acknowledge' }).click();
    await upcoming
      .getByRole('status')
      .filter({ hasText: /^Acknowledged on \d+ \w+ \d{4}, \d\d:\d\d$/ })
      .waitFor();
    expect(await upcoming.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await keepScreenshot(person.page, 'partner-rules-of-engagement-acknowledged');
    const notice = await web.stack.api.call<{ acknowledged: string[] }>('GET', `/api/policies/${version}/notice`, {
      token: 'dev-admin',
    });
    expect(notice.body.acknowledged).toContain('northwind');
    expect(person.problems).toEqual([]);
    await person.close();
    // Still acknowledged on a fresh visit.
    const again = await signedInAs(web.browser, web.stack.api.baseUrl, 'Northwind (partner)');
    await openPage(again.page, 'Rules of engagement');
    await again.page.getByText(/^Acknowledged on /).waitFor();
    expect(await seriousAccessibilityViolations(again.page)).toEqual([]);
    expect(again.problems).toEqual([]);
    await again.close();

    const narrow = await signedInAs(web.browser, web.stack.api.baseUrl, 'Contoso (partner)', { width: 375 });
    await openPage(narrow.page, 'Rules of engagement');
    await narrow.page.getByRole('button', { name: 'Acknowledge' }).waitFor();
    expect(await pageScrollsSideways(narrow.page)).toBe(false);
    expect(await seriousAccessibilityViolations(narrow.page)).toEqual([]);
    await keepScreenshot(narrow.page, 'partner-rules-of-engagement-375');
    expect(narrow.problems).toEqual([]);
    await narrow.close();
  });
});
