import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from './histories';
import { currentWorkflowBundle } from '../../src/temporal/workflowBundle';

// Stored histories of registrations and account claims (scripts/generate-histories.ts) replayed
// with today's workflow code: a change that would make a running execution take another path
// (a new activity, timer or condition without patched()) fails here before it reaches production.

const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');
const fixtures = readdirSync(HISTORIES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

jest.setTimeout(120_000);

it('has histories of both the registration and the account-claims workflow to replay', () => {
  expect(fixtures.filter((file) => file.startsWith('registration-')).length).toBeGreaterThanOrEqual(3);
  expect(fixtures.filter((file) => file.startsWith('account-claims-')).length).toBeGreaterThanOrEqual(1);
});

it('replays every stored history with the current workflow code without a determinism error', async () => {
  const histories = fixtures.map((file) => ({
    workflowId: basename(file, '.json'),
    history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
  }));

  const results = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: currentWorkflowBundle() } },
    histories,
  )) {
    results.push({ workflowId: result.workflowId, error: result.error?.message });
  }

  expect(results).toEqual(fixtures.map((file) => ({ workflowId: basename(file, '.json'), error: undefined })));
});
