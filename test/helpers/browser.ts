import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { libraryPathFor } from './chromiumLibraries';

// A real headless Chromium for browser tests, found without installing anything outside npm:
// CHROMIUM_PATH if set, else Debian's chromium when the machine has it, else the binary that the
// @sparticuz/chromium package ships (unpacked to the temp dir on first use).

export type ChromiumSource = 'CHROMIUM_PATH' | 'debian' | '@sparticuz/chromium';

export interface FoundChromium {
  executablePath: string;
  source: ChromiumSource;
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * The flags every test browser gets. The machines' network is closed: without the
 * background-networking flags Chromium floods the log with refused connections. No sandbox: the
 * tests run as root in a container. @sparticuz/chromium's own `args` are not used: they are tuned
 * for AWS Lambda and turn off web security and site isolation, which a test of what a user's
 * browser does must keep on.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Which Chromium the tests will drive; a CHROMIUM_PATH that names nothing is an error, not a fallback. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundChromium> {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} names no file`);
    return { executablePath: configured, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, source: 'debian' };
  // Loaded only here: unpacking the bundled binary costs a few seconds on first use.
  const { default: bundled } = await import('@sparticuz/chromium');
  return { executablePath: await bundled.executablePath(), source: '@sparticuz/chromium' };
}

/** A launched headless Chromium; close it with `browser.close()`. */
export async function launchBrowser(): Promise<Browser> {
  const { executablePath, source } = await findChromium();
  try {
    const libraryPath = source === '@sparticuz/chromium' ? libraryPathFor(executablePath) : undefined;
    const env = libraryPath ? { ...process.env, LD_LIBRARY_PATH: libraryPath } : undefined;
    return await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, ...(env ? { env } : {}) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not launch Chromium from ${source} (${executablePath}): ${reason}`);
  }
}
