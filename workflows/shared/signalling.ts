import { getExternalWorkflowHandle, isCancellation, type SignalDefinition } from '@temporalio/workflow';

/**
 * Signals another workflow from this one (no activity in between). One that has ended, or never
 * ran, has nothing left to hear: that is an answer, not a failure. Returns whether it was signalled.
 */
export async function signalIfRunning<Args extends unknown[]>(
  workflowId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<boolean> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(signal, ...args);
    return true;
  } catch (error) {
    if (isCancellation(error)) throw error;
    return false;
  }
}
