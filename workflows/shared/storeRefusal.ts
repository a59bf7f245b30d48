import { ActivityFailure, ApplicationFailure, log, patched } from '@temporalio/workflow';
import { STORE_REFUSED_DATA } from './contract';
import { firstUnstorableText } from '../../src/domain/storableText';

/**
 * A change to running processes: before it, a recording the store refused was retried forever and
 * the process never answered again. Asked only when a refusal happens, so every other history keeps
 * its commands, and a process stuck in such a retry today moves on once the worker is upgraded.
 */
const PATCH_STORE_REFUSED_STEP = 'store-refused-step';

/**
 * Awaits a recording (read model and audit trail); one the store refuses as data is left out: the
 * process logs it once and keeps going, since retrying the same data can never succeed. Returns
 * whether it was recorded. Any other failure is thrown as before.
 */
export async function recordedUnlessRefused(
  recording: Promise<unknown>,
  step: { workflowId: string; seq: number; action: string },
): Promise<boolean> {
  try {
    await recording;
    return true;
  } catch (error) {
    if (!refusedByStore(error) || !patched(PATCH_STORE_REFUSED_STEP)) throw error;
    log.error('the store refused to record a step; it is left out of the read model and audit trail', {
      ...step,
      reason: error.cause.message,
    });
    return false;
  }
}

function refusedByStore(error: unknown): error is ActivityFailure & { cause: ApplicationFailure } {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === STORE_REFUSED_DATA
  );
}

/**
 * For an update's validator: text the store cannot hold (U+0000, a lone surrogate) refuses the
 * step before it is accepted, so nothing changes and nothing is written to the history. The API
 * refuses such text first; this keeps a process safe from any other caller.
 */
export function requireStorable(request: unknown): void {
  const bad = firstUnstorableText(request);
  if (!bad) return;
  throw ApplicationFailure.create({
    type: 'InvalidArgument',
    message: bad.path ? `${bad.path}: ${bad.message}` : bad.message,
    // The field the API names in the problem's `errors`.
    details: [{ path: bad.path }],
    nonRetryable: true,
  });
}
