import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { startCeilingWorker } from './ceiling';
import { runClients } from './load';
import { noopTimer } from './noopWorkflow';

// The ceiling of the expiries phase: as many no-op workflows whose timers fall due together while
// their worker is stopped, on the same server; how long after the worker is back the last one ends.

export interface TimerCeiling {
  workflows: number;
  /** From the worker being back to the last workflow closed (ms). */
  drainMs: number;
  missed: number;
}

const POLL_MS = 200;

export async function runTimerCeiling(options: {
  client: Client;
  address: string;
  count: number;
  clients: number;
  progress: (line: string) => void;
}): Promise<TimerCeiling> {
  const { client, progress } = options;
  const taskQueue = `bench-timer-${randomUUID()}`;
  const startWorker = async () => (await startCeilingWorker(options.address, taskQueue)).stop;
  // Due once every workflow is started and its first task done, with room to spare.
  const dueAt = Date.now() + Math.ceil(options.count / 20) * 1000 + 15_000;
  let stop = await startWorker();
  await runClients({
    label: 'timer ceiling: starting',
    clients: options.clients,
    total: options.count,
    progress,
    request: async (index) => {
      const handle = await client.workflow.start(noopTimer, {
        workflowId: `${taskQueue}-${index}`,
        taskQueue,
        args: [dueAt],
      });
      return handle.workflowId;
    },
  });
  const running = () =>
    client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`).then((c) => c.count);
  await stop();
  progress(`timer ceiling: worker stopped; starting it again once the timers are due`);
  await new Promise((r) => setTimeout(r, Math.max(0, dueAt + 1_000 - Date.now())));
  stop = await startWorker();
  const backAt = Date.now();
  progress(`timer ceiling: worker back, ${options.count} timers due`);
  let left = await running();
  let lastReport = Date.now();
  while (left > 0 && Date.now() - backAt < 10 * 60_000) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    left = await running();
    if (Date.now() - lastReport >= 5_000) {
      progress(`timer ceiling: ${options.count - left}/${options.count} ended`);
      lastReport = Date.now();
    }
  }
  const drainMs = Date.now() - backAt;
  await stop();
  return { workflows: options.count, drainMs, missed: left };
}
