import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { conflictActivities } from '../../activities/conflict';
import { REGISTRATION_WORKFLOW_TYPE, registrationWorkflowId } from '../../workflows/registration/contract';
import { startTestTemporal, type TestTemporal } from '../helpers/temporal';
import type { Store } from '../../src/store';
import type { ConflictOutcome } from '../../workflows/conflict/contract';

// A stopping worker cancels its activities after its grace time. An activity waiting on an update
// must then end: the update may need a workflow task that only this worker would have run, and a
// worker waiting on it would never stop (CI caught `npm test` hanging in a stack's close).

jest.setTimeout(60_000);

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await startTestTemporal();
}, 60_000);
afterAll(() => temporal?.stop());

it('telling a registration of its case ends when the activity is cancelled, though no worker runs the registration', async () => {
  const registrationId = 'reg-00000000000000cc';
  // A registration nobody runs: no worker polls its task queue.
  await temporal.client.workflow.start(REGISTRATION_WORKFLOW_TYPE, {
    workflowId: registrationWorkflowId(registrationId),
    taskQueue: 'no-worker-polls-this',
    args: [],
  });
  const activities = conflictActivities({
    store: {} as Store,
    mailer: {
      send: async () => ({ messageId: '', delivery: 'outbox' }),
      verify: async () => undefined,
      close: () => undefined,
    },
    temporal: temporal.client as Client,
    taskQueue: 'no-worker-polls-this',
    publicUrl: 'http://roe.test',
    toManagers: async () => '',
  });
  const env = new MockActivityEnvironment();
  const opened: ConflictOutcome = {
    conflictId: 'cf-00000000000000cc',
    caseSeq: 1,
    outcome: 'opened',
    coSell: false,
    reason: 'a case is open',
    ruleIds: ['CONFLICT-CASE'],
    decidedBy: 'system:ladder',
  };
  const telling = env.run(activities.applyConflictOutcome, registrationId, opened);
  const settled = telling.then(
    () => 'resolved',
    () => 'rejected',
  );
  // Still waiting on the update after a second: nobody runs the registration.
  await expect(Promise.race([settled, new Promise((r) => setTimeout(() => r('waiting'), 1_000))])).resolves.toBe(
    'waiting',
  );

  env.cancel('WORKER_SHUTDOWN');
  await expect(settled).resolves.toBe('rejected');
});
