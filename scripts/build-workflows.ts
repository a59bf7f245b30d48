import { DefaultLogger } from '@temporalio/worker';
import { buildWorkflowBundle } from '../src/temporal/workflowBundle';

// `npm run build:workflows`: bundles workflows/ into dist/workflows/bundle.js once, for every
// worker and every test file to load; skipped when the sources have not changed (--force: always).

buildWorkflowBundle({
  force: process.argv.includes('--force'),
  say: (line) => console.log(line),
  logger: new DefaultLogger('WARN'),
}).catch((error: Error) => {
  console.error(`workflow bundle: ${error.message}`);
  process.exit(1);
});
