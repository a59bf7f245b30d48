import { bundleWorkflowCode, NativeConnection, Runtime, Worker, type Logger } from '@temporalio/worker';
import type { RoeActivities } from '../../activities';
import { currentWorkflowBundle } from './workflowBundle';

export interface RoeWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: RoeActivities;
  /** Bundles these workflows instead (test fixtures, benchmarks); default: the prebuilt bundle. */
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
    workflowBundle: options.workflowsPath
      ? await bundleWorkflowCode({
          workflowsPath: options.workflowsPath,
          logger: infoAsDebug(Runtime.instance().logger),
        })
      : { codePath: currentWorkflowBundle() },
    activities: options.activities,
    maxCachedWorkflows: options.maxCachedWorkflows,
    // Leaves room inside the 9 s shutdown budget for the API and the dev server.
    shutdownGraceTime: '3s',
  });
}

/** The bundler reports webpack's whole module summary at info: useful when debugging, noise at start. */
function infoAsDebug(logger: Logger): Logger {
  return {
    log: (level, message, meta) => logger.log(level === 'INFO' ? 'DEBUG' : level, message, meta),
    trace: (message, meta) => logger.trace(message, meta),
    debug: (message, meta) => logger.debug(message, meta),
    info: (message, meta) => logger.debug(message, meta),
    warn: (message, meta) => logger.warn(message, meta),
    error: (message, meta) => logger.error(message, meta),
  };
}

/** Asks a running worker to stop and waits for its run to end (a failed run counts as ended). */
export async function stopWorker(worker: Worker, running: Promise<void>): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running.catch(() => undefined);
}
