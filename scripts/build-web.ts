import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

// Builds the web app into dist/web (Vite), unless the sources are unchanged since the last build,
// and prints what a browser downloads first: the initial JavaScript, gzipped, against its budget.

const ROOT = join(__dirname, '..');
const SOURCES = join(ROOT, 'src', 'web');
export const WEB_DIST = join(ROOT, 'dist', 'web');
const STAMP = join(WEB_DIST, 'build.json');
/** What the first page load may cost (issue 13): 250 kB of gzipped JavaScript. */
export const INITIAL_JS_BUDGET_BYTES = 250 * 1000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A hash of everything the build reads: the app's sources and the locked dependencies. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(SOURCES), join(ROOT, 'package-lock.json')].sort()) {
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex');
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The entry chunk and every chunk it imports statically: what loads before the first paint. */
export function initialJavaScript(dir = WEB_DIST): { files: string[]; gzipBytes: number } {
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const files = [...seen].map((key) => manifest[key].file).filter((f) => f.endsWith('.js'));
  const gzipBytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
  return { files, gzipBytes };
}

export async function buildWebApp(options: { force?: boolean; quiet?: boolean } = {}): Promise<void> {
  const say = options.quiet ? () => undefined : (line: string) => console.log(line);
  const hash = sourceHash();
  if (!options.force && existsSync(STAMP) && JSON.parse(readFileSync(STAMP, 'utf8')).hash === hash) {
    say('web app: up to date (dist/web)');
    return;
  }
  say('web app: building (Vite) …');
  const started = Date.now();
  // Vite is ESM only and its types need `bundler` resolution; this script is the one caller.
  const { build } = (await import('vite' as string)) as { build: (config: object) => Promise<unknown> };
  await build({ configFile: join(SOURCES, 'vite.config.mts'), logLevel: 'warn' });
  const initial = initialJavaScript();
  writeFileSync(STAMP, JSON.stringify({ hash, initialJsGzipBytes: initial.gzipBytes }, null, 2));
  const kB = (bytes: number) => (bytes / 1000).toFixed(1);
  say(
    `web app: built in ${((Date.now() - started) / 1000).toFixed(1)} s — initial JavaScript ` +
      `${kB(initial.gzipBytes)} kB gzipped (budget ${kB(INITIAL_JS_BUDGET_BYTES)} kB)`,
  );
  if (initial.gzipBytes > INITIAL_JS_BUDGET_BYTES) {
    throw new Error(`the initial JavaScript is over budget: ${kB(initial.gzipBytes)} kB gzipped`);
  }
}

if (require.main === module) {
  buildWebApp({ force: process.argv.includes('--force') }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
