import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { INITIAL_JS_BUDGET_BYTES, initialJavaScript, WEB_DIST } from '../../scripts/build-web';

// The web app is built from the contract and within its budget (jest's global setup built it).

it('types its API client from the current OpenAPI document (npm run web:api-types after an API change)', () => {
  // In a process of its own: the generator is ES modules, which this test runtime cannot load.
  const check = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/web-api-types.ts', '--check'], {
    encoding: 'utf8',
  });
  expect({ status: check.status, stderr: check.stderr.trim() }).toEqual({ status: 0, stderr: '' });
});

it('loads at most 250 kB of gzipped JavaScript before the first page appears', () => {
  const initial = initialJavaScript(WEB_DIST);
  expect(initial.files.length).toBeGreaterThan(0);
  expect(initial.gzipBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
});

it('keeps every page out of the first download: each is a chunk of its own, loaded when opened', () => {
  const manifest = JSON.parse(readFileSync(`${WEB_DIST}/.vite/manifest.json`, 'utf8')) as Record<
    string,
    { src?: string; isDynamicEntry?: boolean }
  >;
  const pages = Object.values(manifest).filter((chunk) => chunk.src?.startsWith('pages/'));
  // The thirteen pages of the navigation, and the page an email's action link opens.
  expect(pages.length).toBe(14);
  expect(pages.every((chunk) => chunk.isDynamicEntry)).toBe(true);
  const initial = initialJavaScript(WEB_DIST).files;
  expect(initial.some((file) => /recharts|Dashboard|Policies/i.test(file))).toBe(false);
});
