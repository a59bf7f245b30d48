import type { Page } from 'playwright-core';
import { startTestApi, type TestApi } from '../helpers/api';
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
import type { RegistrationView } from '../../workflows/registration/contract';

// Ops in a real browser against the real stack: the program's figures as charts with their numbers,
// the maturity matrix, the workflows linked to the Temporal UI, and a registration's audit trail.

jest.setTimeout(180_000);
const NORTHWIND = 'dev-partner-northwind'; // gold: auto-approved up to 50,000 EUR under policy v1
const CONTOSO = 'dev-partner-contoso'; // silver: never auto-approved
const TEMPORAL_UI = 'http://temporal-ui.test:8233';

/** The same stack served by an API that names a Temporal UI, as `npm start` does. */
let withTemporalUi: TestApi;
let autoApproved: RegistrationView[];
let inReview: RegistrationView;
let inConflict: RegistrationView;

// Declared before the stack's hooks, so that it closes before the stack does (hooks run in declaration order).
afterAll(async () => {
  await withTemporalUi?.close();
});
const web = useWebStack();
const registered = (token: string, account: string, domain: string, amount: number) =>
  registeredThroughApi(web.stack, token, account, domain, amount);
beforeAll(async () => {
  withTemporalUi = await startTestApi(
    { store: web.stack.db.store, temporal: web.stack.temporal.client },
    {
      taskQueue: web.stack.taskQueue,
      session: { temporalUiUrl: TEMPORAL_UI, temporalNamespace: web.stack.temporal.namespace },
    },
  );
  const contested = uniqueDomain('litware');
  autoApproved = [
    await registered(NORTHWIND, 'Litware', contested, 20_000),
    await registered(NORTHWIND, 'Proseware', uniqueDomain('proseware'), 30_000),
  ];
  inReview = await registered(NORTHWIND, 'Tailspin Toys', uniqueDomain('tailspin'), 75_000);
  inConflict = await registered(CONTOSO, 'Litware', contested, 10_000);
}, 150_000);

const section = (page: Page, heading: string) => page.getByRole('region', { name: heading, exact: true });

it('arranges two auto-approved registrations, one in review and one in conflict', () => {
  expect(autoApproved.map((r) => r.status)).toEqual(['approved', 'approved']);
  expect(inReview.status).toBe('pending_review');
  expect(inConflict.status).toBe('in_conflict');
});

it("shows ops the program's charts, each with its numbers in words, and the maturity matrix with each dimension's current stage", async () => {
  const ops = await signedInAs(web.browser, web.stack.api.baseUrl, 'Ops');
  const { page } = ops;
  await openPage(page, 'Dashboard');

  const overTime = section(page, 'Registrations by status over time');
  await overTime.getByText('4 registrations submitted').waitFor();
  const metrics = (await web.stack.api.call('GET', '/api/metrics', { token: 'dev-ops' })).body;
  expect(await overTime.innerText()).toContain('1 pending review, 1 in conflict, 2 approved');
  const today = overTime.getByRole('row').filter({ hasText: /\d+ \w{3}/ });
  expect(await today.count()).toBe(1);
  expect((await today.first().getByRole('cell').allInnerTexts()).map((t) => t.trim())).toEqual(['1', '1', '2', '4']);

  const decision = section(page, 'Time to decision');
  expect(await decision.innerText()).toMatch(/2 decisions: median .+, 90th percentile .+ from submission/);

  const conflictRate = section(page, 'Conflict rate');
  // Both Litware claims ran into the conflict: the holder (still approved) and the newcomer.
  await conflictRate.getByText('50 %: 2 of 4 registrations ran into a conflict.', { exact: false }).waitFor();
  const conflictText = await conflictRate.innerText();
  expect(conflictText).toContain('Rating: Needs attention');
  expect(conflictText).toContain('1 conflict case opened: 1 open, 0 resolved, 0 defaulted');

  expect(await section(page, 'SLA breaches per tier').innerText()).toContain(
    'No deadline has passed without a decision.',
  );
  expect(await section(page, 'Time to resolve conflict cases').innerText()).toContain('Rating: No data yet');
  expect(await section(page, 'Fairness of conflict outcomes').innerText()).toContain(
    'No conflict case has been decided yet',
  );

  const matrix = section(page, 'Maturity').getByRole('table');
  const headers = await matrix.getByRole('columnheader').allInnerTexts();
  expect(headers).toEqual(
    [
      'Dimension',
      'Stage 1 — Unwritten & Reactive',
      'Stage 2 — Documented but Inconsistent',
      'Stage 3 — Embedded & Data-Driven',
      'Evidence',
    ].map((h) => expect.stringMatching(new RegExp(`^${h}$`, 'i'))),
  );
  const rows = matrix.locator('tbody tr');
  expect(await rows.count()).toBe(5);
  for (const [index, score] of (
    metrics.maturity as { dimension: string; stage: number; evidence: string }[]
  ).entries()) {
    const row = rows.nth(index);
    expect(await row.getByRole('rowheader').innerText()).toBe(score.dimension);
    const stages = row.getByRole('cell');
    expect(await stages.count()).toBe(4);
    const marked = await Promise.all(
      [0, 1, 2].map(async (i) => (await stages.nth(i).innerText()).includes('Current stage')),
    );
    expect(marked).toEqual([0, 1, 2].map((i) => i === score.stage - 1));
    expect(await stages.nth(3).innerText()).toBe(score.evidence);
  }

  // Revenue: four open deals (20,000 + 30,000 + 75,000 + 10,000 EUR), nothing closed yet.
  const revenue = section(page, 'Revenue and attribution');
  const pipeline = revenue.getByRole('listitem').filter({ hasText: 'Open pipeline' });
  await pipeline.getByText('€135,000').waitFor();
  expect(await pipeline.innerText()).toContain('4 open deals');
  expect(await revenue.getByRole('listitem').filter({ hasText: 'Win rate' }).innerText()).toContain('no data');
  expect(await revenue.getByRole('listitem').filter({ hasText: 'Partner-sourced share' }).innerText()).toContain(
    '100 %',
  );
  const byRoute = revenue.getByRole('table', { name: 'By route' });
  expect(
    (
      await byRoute
        .getByRole('row', { name: /^Partner-led/ })
        .getByRole('cell')
        .allInnerTexts()
    ).map((t) => t.trim()),
  ).toEqual(['4', '€135,000', '€0', '0 / 0', 'no data']);
  const download = page.waitForEvent('download');
  await revenue.getByRole('button', { name: 'Download the report as CSV' }).click();
  expect((await download).suggestedFilename()).toBe('revenue.csv');

  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'ops-dashboard');
  expect(ops.problems).toEqual([]);
  await ops.close();
});

it('fits the dashboard on a 375 px phone, the maturity matrix read one dimension after another', async () => {
  const ops = await signedInAs(web.browser, web.stack.api.baseUrl, 'Ops', { width: 375 });
  await openPage(ops.page, 'Dashboard');
  // On a phone the matrix reads one dimension after another, each with its current stage marked.
  const maturity = section(ops.page, 'Maturity');
  await maturity.getByRole('heading', { level: 3, name: 'Measurement & Improvement' }).waitFor();
  expect(await maturity.getByRole('table').isVisible()).toBe(false);
  expect(await maturity.locator('.maturity-narrow .current-mark').count()).toBe(5);
  await section(ops.page, 'Registrations by status over time').getByText('4 registrations submitted').waitFor();
  expect(await pageScrollsSideways(ops.page)).toBe(false);
  expect(await seriousAccessibilityViolations(ops.page)).toEqual([]);
  await keepScreenshot(ops.page, 'ops-dashboard-375');
  expect(ops.problems).toEqual([]);
  await ops.close();
});

it('lists the registration workflows, each linked to its page in the Temporal UI, and shows a chosen one’s state', async () => {
  const ops = await signedInAs(web.browser, withTemporalUi.baseUrl, 'Ops');
  const { page } = ops;
  await openPage(page, 'Workflows');
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Registration' });
  const registrations = [...autoApproved, inReview, inConflict];
  for (const r of registrations) {
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: r.workflowId, exact: true }) });
    await eventually(
      () => row.count(),
      (n) => n === 1,
    ).catch(async () => {
      await page.reload();
      await row.waitFor();
    });
    const link = row.getByRole('link', { name: `Open in Temporal UI ${r.workflowId}` });
    expect(await link.getAttribute('href')).toBe(
      `${TEMPORAL_UI}/namespaces/default/workflows/${encodeURIComponent(r.workflowId)}`,
    );
    expect(await row.innerText()).toContain('running');
  }
  // The unfiltered list stays in view, marked as updating, until the filtered one arrives.
  const types = await eventually(
    async () =>
      (await page.locator('[aria-busy="true"]').count()) === 0
        ? await page.locator('tbody tr .workflow-type').allInnerTexts()
        : [],
    (shown) => shown.length > 0 && shown.every((t) => t === 'Registration'),
  );
  expect(new Set(types)).toEqual(new Set(['Registration']));

  await page.getByRole('row').filter({ hasText: inReview.workflowId }).getByRole('cell').nth(1).click();
  const detail = page.getByRole('region', { name: inReview.workflowId });
  await detail.getByRole('heading', { name: 'State' }).waitFor();
  const state = await detail.innerText();
  expect(state).toContain('pending review');
  expect(state).toContain('Tailspin Toys');
  expect(state).not.toContain('{"');

  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'ops-workflows');
  expect(ops.problems).toEqual([]);
  await ops.close();
});

it('tells ops, and only staff, the Temporal UI and namespace the links are built from', async () => {
  const ops = await withTemporalUi.call('GET', '/api/session', { token: 'dev-ops' });
  expect(ops.body).toMatchObject({ temporalUiUrl: TEMPORAL_UI, temporalNamespace: 'default' });
  const partner = await withTemporalUi.call('GET', '/api/session', { token: NORTHWIND });
  expect(partner.body.temporalUiUrl).toBeUndefined();
  expect(partner.body.temporalNamespace).toBeUndefined();
});

it('says so when the server names no Temporal UI', async () => {
  const ops = await signedInAs(web.browser, web.stack.api.baseUrl, 'Ops');
  await openPage(ops.page, 'Workflows');
  await ops.page.getByText('This server does not name a Temporal UI').waitFor();
  expect(await ops.page.getByRole('link', { name: /Open in Temporal UI/ }).count()).toBe(0);
  expect(ops.problems).toEqual([]);
  await ops.close();
});

it("finds a registration's audit trail by its id: each event with its time, who acted and what it recorded", async () => {
  const ops = await signedInAs(web.browser, web.stack.api.baseUrl, 'Ops');
  const { page } = ops;
  await openPage(page, 'Audit');
  await page.getByLabel('Subject kind').selectOption({ label: 'Registration' });
  await page.getByLabel('Subject ID').fill(inReview.id);
  await page.getByRole('button', { name: 'Search' }).click();

  const results = page.getByRole('region', { name: `Events of registration ${inReview.id}` });
  await results.getByRole('listitem').first().waitFor();
  const trail = (
    await web.stack.api.call('GET', `/api/audit?subject=registration:${inReview.id}`, { token: 'dev-ops' })
  ).body.items as { at: string; actor: string; action: string }[];
  const events = results.locator('ol.audit-trail > li');
  expect(await events.count()).toBe(trail.length);
  for (const [index, event] of trail.entries()) {
    const shown = events.nth(index);
    expect(await shown.locator('time').first().getAttribute('datetime')).toBe(event.at);
    expect(await shown.innerText()).toContain(event.action);
  }
  expect(await results.innerText()).not.toContain('{"');

  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'ops-audit');

  await page.getByLabel('Subject kind').selectOption({ label: 'Policy version' });
  await page.getByLabel('Subject ID').fill('first');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('A policy version is a number, such as 2.').waitFor();
  expect(await page.getByLabel('Subject ID').getAttribute('aria-invalid')).toBe('true');
  expect(ops.problems).toEqual([]);
  await ops.close();
});

it('fits the workflows and the audit trail on a 375 px phone', async () => {
  const ops = await signedInAs(web.browser, withTemporalUi.baseUrl, 'Ops', { width: 375 });
  const { page } = ops;
  await openPage(page, 'Workflows');
  await page.getByRole('button', { name: inConflict.workflowId, exact: true }).click();
  await page.getByRole('region', { name: inConflict.workflowId }).getByRole('heading', { name: 'State' }).waitFor();
  await keepScreenshot(page, 'ops-workflows-375');
  expect(await pageScrollsSideways(page)).toBe(false);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await openPage(page, 'Audit');
  await page.getByLabel('Subject ID').fill(inConflict.id);
  await page.getByRole('button', { name: 'Search' }).click();
  await page
    .getByRole('region', { name: `Events of registration ${inConflict.id}` })
    .getByRole('listitem')
    .first()
    .waitFor();
  await keepScreenshot(page, 'ops-audit-375');
  expect(await pageScrollsSideways(page)).toBe(false);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  expect(ops.problems).toEqual([]);
  await ops.close();
});
