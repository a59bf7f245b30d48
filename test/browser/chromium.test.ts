import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium, launchBrowser } from '../helpers/browser';
import { bundledLibraries } from '../helpers/chromiumLibraries';

// Browser tests need no Chromium from the OS: the npm package's binary stands in when Debian's is absent.

jest.setTimeout(60_000);

it('refuses a CHROMIUM_PATH that names no file instead of falling back', async () => {
  await expect(findChromium({ CHROMIUM_PATH: '/nowhere/chromium' })).rejects.toThrow(
    'CHROMIUM_PATH=/nowhere/chromium names no file',
  );
});

it('finds a Chromium without CHROMIUM_PATH: Debian’s when installed, else the one @sparticuz/chromium ships', async () => {
  const found = await findChromium({});
  expect(found.source).toBe(existsSync('/usr/bin/chromium') ? 'debian' : '@sparticuz/chromium');
  expect(existsSync(found.executablePath)).toBe(true);
});

it('launches it headless and renders a page', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setContent('<main><h1>RoE</h1></main>');
    await expect(page.locator('h1').textContent()).resolves.toBe('RoE');
  } finally {
    await browser.close();
  }
});

it('runs the bundled Chromium on the NSS, NSPR and expat the package ships, for machines without them', async () => {
  const { default: bundled } = await import('@sparticuz/chromium');
  const browser = await chromium.launch({
    executablePath: await bundled.executablePath(),
    args: CHROMIUM_FLAGS,
    // Only the package's libraries first on the path: what a slim image without them would use.
    env: { ...process.env, LD_LIBRARY_PATH: bundledLibraries() },
  });
  try {
    const page = await browser.newPage();
    await page.setContent('<main><h1>Shipped libraries</h1></main>');
    await expect(page.locator('h1').textContent()).resolves.toBe('Shipped libraries');
  } finally {
    await browser.close();
  }
});
