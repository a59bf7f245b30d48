import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { bundleWorkflowCode, type Logger } from '@temporalio/worker';

// The workflow code the worker runs, bundled once by `npm run build` (or `npm run build:workflows`)
// into dist/workflows/bundle.js: a worker then starts without webpack, and every worker of one
// build runs the very same code. A stamp beside it says which sources it was made from.

/** The repository root, from src/temporal (tsx) as from dist/src/temporal (the build). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return join(__dirname, '..', '..');
    dir = parent;
  }
  return dir;
}

const ROOT = repositoryRoot();
export const WORKFLOW_BUNDLE_PATH = join(ROOT, 'dist', 'workflows', 'bundle.js');
const STAMP_PATH = join(ROOT, 'dist', 'workflows', 'bundle.json');
/** What the bundle is made of: the workflows, the pure domain they import, and the locked SDK. */
const SOURCES = ['workflows', join('src', 'domain'), 'package-lock.json'];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

/** A hash of the sources, or undefined where they are not shipped (a deployed dist/ alone). */
function sourceHash(): string | undefined {
  const files = SOURCES.flatMap((source) => filesUnder(join(ROOT, source))).sort();
  if (!files.some((file) => file.endsWith('.ts'))) return undefined;
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(ROOT, file)).update(readFileSync(file));
  return hash.digest('hex');
}

function stampedHash(): string | undefined {
  if (!existsSync(STAMP_PATH) || !existsSync(WORKFLOW_BUNDLE_PATH)) return undefined;
  return (JSON.parse(readFileSync(STAMP_PATH, 'utf8')) as { hash?: string }).hash;
}

/** Bundles the workflows unless the bundle on disk was made from the sources as they are now. */
export async function buildWorkflowBundle(
  options: { force?: boolean; say?: (line: string) => void; logger?: Logger } = {},
): Promise<{ built: boolean; path: string }> {
  const say = options.say ?? (() => undefined);
  const hash = sourceHash();
  if (!options.force && hash && stampedHash() === hash) {
    say('workflow bundle: up to date (dist/workflows/bundle.js)');
    return { built: false, path: WORKFLOW_BUNDLE_PATH };
  }
  say('workflow bundle: bundling workflows/ …');
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: join(ROOT, 'workflows'), logger: options.logger });
  mkdirSync(dirname(WORKFLOW_BUNDLE_PATH), { recursive: true });
  writeFileSync(WORKFLOW_BUNDLE_PATH, code);
  writeFileSync(STAMP_PATH, JSON.stringify({ hash, bytes: Buffer.byteLength(code) }, null, 2));
  say(
    `workflow bundle: built in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
      `${(Buffer.byteLength(code) / 1e6).toFixed(2)} MB (dist/workflows/bundle.js)`,
  );
  return { built: true, path: WORKFLOW_BUNDLE_PATH };
}

/**
 * The path of the bundle a worker loads. Refuses one that is missing, or older than the sources
 * beside it, rather than run other code than the tree holds.
 */
export function currentWorkflowBundle(): string {
  if (!existsSync(WORKFLOW_BUNDLE_PATH)) {
    throw new Error('no workflow bundle at dist/workflows/bundle.js: run `npm run build` first');
  }
  const hash = sourceHash();
  if (hash && stampedHash() !== hash) {
    throw new Error('the workflow bundle is older than workflows/: run `npm run build` (or `npm run build:workflows`)');
  }
  return WORKFLOW_BUNDLE_PATH;
}
