import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { keepScreenshot, openPage, seriousAccessibilityViolations, signedInAs, useWebStack } from '../helpers/webApp';

// The program owner keeps the directory and the service keys in the browser: a partner's tier
// changed on the page is what the API then answers, a bad value is refused at its field, and an
// API key works from the moment it is shown until it is revoked on the page.

jest.setTimeout(120_000);
const web = useWebStack();

it('changes a partner’s tier on the Directory page, and the directory keeps it', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin');
  const { page } = admin;
  await openPage(page, 'Directory');
  for (const section of ['Partners', 'Accounts', 'People'])
    await page.getByRole('heading', { level: 2, name: section, exact: true }).waitFor();
  await page.getByRole('cell', { name: 'Hooli', exact: true }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-directory');

  await page.getByRole('button', { name: 'Edit Contoso Ltd' }).click();
  const editor = page.getByRole('form').or(page.locator('form.editor'));
  await page.getByRole('heading', { name: 'Edit partner Contoso Ltd' }).waitFor();
  await editor.getByLabel('Tier').selectOption('gold');
  await editor.getByRole('button', { name: 'Save partner' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved partner Contoso Ltd: gold reseller in emea.' }).waitFor();
  await page
    .getByRole('row', { name: /Contoso Ltd/ })
    .getByRole('cell', { name: 'gold', exact: true })
    .waitFor();

  const saved = await web.stack.api.call('GET', '/api/directory/partners/contoso', { token: 'dev-admin' });
  expect(saved.body).toMatchObject({ tier: 'gold', name: 'Contoso Ltd', regions: ['emea'] });
  expect(admin.problems).toEqual([]);
  await admin.close();
});

it('refuses a bad region at its field, and saves nothing', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin');
  const { page } = admin;
  await openPage(page, 'Directory');
  await page.getByRole('button', { name: 'Edit Northwind Traders' }).click();
  const regions = page.locator('form.editor').getByLabel('Regions');
  await regions.fill('EMEA!');
  await page.getByRole('button', { name: 'Save partner' }).click();
  await page.getByText('a region is a lowercase slug such as "emea" or "na"').waitFor();
  await expect(regions.getAttribute('aria-invalid')).resolves.toBe('true');
  const describedBy = (await regions.getAttribute('aria-describedby')) ?? '';
  const message = await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
  expect(message).toBe('a region is a lowercase slug such as "emea" or "na"');
  await page.getByRole('alert').filter({ hasText: 'Not saved: correct the fields marked above.' }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-directory-refused');

  const unchanged = await web.stack.api.call('GET', '/api/directory/partners/northwind', { token: 'dev-admin' });
  expect(unchanged.body).toMatchObject({ regions: ['emea'] });
  // The browser logs the 400 it was answered; nothing else went wrong.
  expect(admin.problems.filter((p) => !p.includes('400'))).toEqual([]);
  await admin.close();
});

it('creates an API key shown once, which works until it is revoked on the page', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin');
  const { page, context } = admin;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.stack.api.baseUrl });
  await openPage(page, 'API keys');
  await page.getByLabel('Key name').fill('Fabrikam CRM sync');
  await page.getByLabel('Acts as').selectOption('partner');
  await page.getByLabel('Partner', { exact: true }).selectOption('fabrikam');
  await page.getByRole('button', { name: 'Create key' }).click();

  await page.getByRole('heading', { name: 'Key “Fabrikam CRM sync” created' }).waitFor();
  await page.getByText('Copy this key now: it will not be shown again.').waitFor();
  const secret = await page.getByLabel('Secret key').inputValue();
  expect(secret).toMatch(/^roe_[0-9a-f]{12}_/);
  await page.getByRole('button', { name: 'Copy key' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
  await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(secret);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-api-keys');

  const before = await fetch(`${web.stack.api.baseUrl}/api/registrations`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(before.status).toBe(200);

  await page.getByRole('button', { name: 'I have copied the key' }).click();
  await expect(page.getByLabel('Secret key').count()).resolves.toBe(0);
  await expect(page.getByText(secret).count()).resolves.toBe(0);
  const row = page.getByRole('row', { name: /Fabrikam CRM sync/ });
  await row.getByText('Partner fabrikam').waitFor();
  await row.getByRole('button', { name: 'Revoke Fabrikam CRM sync' }).click();
  await row.getByText('Anything using it gets 401 from now on').waitFor();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: 'Revoked “Fabrikam CRM sync”: calls with it are now refused.' })
    .waitFor();
  await row.getByText('revoked').waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-api-keys-revoked');

  const after = await fetch(`${web.stack.api.baseUrl}/api/registrations`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(after.status).toBe(401);
  expect(admin.problems).toEqual([]);
  await admin.close();
});

it('fits the Directory and API keys pages on a 375 px wide screen', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin', { width: 375 });
  const { page } = admin;
  for (const [title, name] of [
    ['Directory', 'admin-directory-375'],
    ['API keys', 'admin-api-keys-375'],
  ]) {
    await openPage(page, title);
    await page.getByRole('table').first().waitFor();
    await keepScreenshot(page, name);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    // What sticks out of the page (a table may scroll inside its own frame).
    const wide = await page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
      .map((e) => e.tagName + '.' + e.className)
      .slice(0, 8)`);
    expect({ title, overflow, wide }).toEqual({ title, overflow: 0, wide: [] });
  }
  expect(admin.problems).toEqual([]);
  await admin.close();
});

it('imports partners from a CSV file with broken rows: a dry run lists them by line, then the good rows are imported', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin');
  const { page } = admin;
  await openPage(page, 'Directory');
  const partners = page.locator('#partners');
  const file = join(__dirname, '..', 'fixtures', 'csv', 'partners-with-broken-rows.csv');
  await partners.getByLabel('Import partners from CSV…').setInputFiles(file);

  await page
    .getByRole('status')
    .filter({
      hasText:
        'Checked partners-with-broken-rows.csv: 7 rows — 2 to create, 0 to update, 0 unchanged, 5 failing (not imported).',
    })
    .waitFor();
  const failing = partners.getByRole('table', { name: 'Rows that cannot be imported' });
  await failing.getByRole('row', { name: /^4 .*id: a lowercase id/ }).waitFor();
  await failing.getByRole('row', { name: /^7 litware id: line 2 has it already/ }).waitFor();
  expect((await web.stack.api.call('GET', '/api/directory/partners/adatum', { token: 'dev-admin' })).status).toBe(404);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-directory-import-dry-run');

  await partners.getByRole('button', { name: 'Import 2 rows' }).click();
  await page
    .getByRole('status')
    .filter({
      hasText: 'Imported partners-with-broken-rows.csv: 7 rows — 2 created, 0 updated, 0 unchanged, 5 failed.',
    })
    .waitFor();
  await page.getByRole('cell', { name: 'Adatum, Corp', exact: true }).waitFor();
  const adatum = await web.stack.api.call('GET', '/api/directory/partners/adatum', { token: 'dev-admin' });
  expect(adatum.body).toMatchObject({ tier: 'gold', regions: ['emea', 'na'] });
  await keepScreenshot(page, 'admin-directory-imported');

  // The export is the same columns, downloaded as a file.
  const download = page.waitForEvent('download');
  await partners.getByRole('button', { name: 'Export partners as CSV' }).click();
  const saved = await (await download).path();
  const exported = readFileSync(saved, 'utf8');
  expect(exported.split('\r\n')[0]).toBe('id,name,type,tier,regions,contacts');
  expect(exported).toContain(
    'adatum,"Adatum, Corp",msp,gold,emea;na,Ada Tum <ada@adatum.example>; Bo Tum <bo@adatum.example>',
  );
  // The browser logs nothing but what the page showed.
  expect(admin.problems).toEqual([]);
  await admin.close();
});

it('imports registrations from another PRM on the Directory page, with the source named', async () => {
  const admin = await signedInAs(web.browser, web.stack.api.baseUrl, 'Admin');
  const { page } = admin;
  await openPage(page, 'Directory');
  const section = page.locator('#registrations-import');
  await section.getByLabel('Source (the PRM they come from)').fill('legacy-prm');
  const file = join(__dirname, '..', 'fixtures', 'csv', 'registrations-from-another-prm.csv');
  await section.getByLabel('Import registrations from CSV…').setInputFiles(file);
  await page
    .getByRole('status')
    .filter({
      hasText:
        'Checked registrations-from-another-prm.csv: 11 rows — 6 to create, 0 unchanged, 5 failing (not imported).',
    })
    .waitFor();
  await section.getByRole('row', { name: /^8 OPP-1007 partnerId: no partner nobody in the directory/ }).waitFor();
  await section.getByRole('button', { name: 'Import 6 rows' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: 'Imported registrations-from-another-prm.csv: 11 rows — 6 created, 0 unchanged, 5 failed.' })
    .waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await keepScreenshot(page, 'admin-directory-registrations-imported');
  const exported = await web.stack.api.call('GET', '/api/registrations/export', { token: 'dev-admin' });
  expect(exported.text).toContain('Trey Research');
  expect(admin.problems).toEqual([]);
  await admin.close();
});
