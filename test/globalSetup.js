// Runs once before the test files: builds the web app and the workflow bundle when their sources
// changed since the last build, so every test file's worker loads one bundle of what is in the tree.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async () => {
  for (const script of ['build-web.ts', 'build-workflows.ts']) {
    execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', script)], {
      stdio: ['ignore', 'inherit', 'inherit'],
      cwd: join(__dirname, '..'),
    });
  }
};
