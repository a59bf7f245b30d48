import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';

/**
 * A call to the cluster that ends when the activity is cancelled. A worker that stops cancels its
 * activities after its grace time; an update it is waiting on may need a workflow task that only
 * this (stopping) worker would run, so without this the worker, and the process, would never stop.
 * The cancelled activity is retried on the next worker.
 */
export function untilCancelled<T>(temporal: Client, call: () => Promise<T>): Promise<T> {
  return temporal.withAbortSignal(Context.current().cancellationSignal, call);
}
