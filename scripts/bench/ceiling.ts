import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { runClients, type LoadResult } from './load';
import { noop, pingUpdate } from './noopWorkflow';

// The architectural ceiling of the intake: one bare update-with-start on a workflow that answers at
// once, through the same dev server, from a worker of its own on its own task queue.

export interface CeilingWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** A worker of the no-op workflows only (their own bundle), on a task queue of its own. */
export async function startCeilingWorker(
  address: string,
  taskQueue = `bench-noop-${randomUUID()}`,
): Promise<CeilingWorker> {
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowsPath: require.resolve('./noopWorkflow'),
  });
  const running = worker.run();
  return {
    taskQueue,
    stop: async () => {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

export function runCeiling(options: {
  client: Client;
  taskQueue: string;
  clients: number;
  total: number;
  progress: (line: string) => void;
}): Promise<LoadResult> {
  const run = randomUUID().slice(0, 8);
  return runClients({
    label: `ceiling ×${options.clients}`,
    clients: options.clients,
    total: options.total,
    progress: options.progress,
    request: async (index) => {
      const startWorkflowOperation = new WithStartWorkflowOperation(noop, {
        workflowId: `bench-noop-${run}-${options.clients}-${index}`,
        taskQueue: options.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return options.client.workflow.executeUpdateWithStart(pingUpdate, { startWorkflowOperation });
    },
  });
}
