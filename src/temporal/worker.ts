import { NativeConnection, Worker } from '@temporalio/worker';
import type { RoeActivities } from '../../activities';

export interface RoeWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: RoeActivities;
  /** Defaults to the project's workflows/ bundle entry. */
  workflowsPath?: string;
  /** Defaults to the SDK's, which grows with the heap (thousands of workflows, gigabytes). */
  maxCachedWorkflows?: number;
}

/** The worker of every RoE process; stateless, so any number can poll one task queue. */
export async function createRoeWorker(options: RoeWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: options.workflowsPath ?? require.resolve('../../workflows'),
    activities: options.activities,
    maxCachedWorkflows: options.maxCachedWorkflows,
    // Leaves room inside the 10 s shutdown budget for the API and the dev server.
    shutdownGraceTime: '3s',
  });
}

/** Asks a running worker to stop and waits for its run to end (a failed run counts as ended). */
export async function stopWorker(worker: Worker, running: Promise<void>): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running.catch(() => undefined);
}
