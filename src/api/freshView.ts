import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';

/** How long a read waits for a workflow that exists but cannot answer yet (its first task is on the way). */
const FIRST_ANSWER_WAIT_MS = 3_000;
/** How long a registration's answer waits for the conflict case it names to be readable. */
const CASE_RECORDED_WAIT_MS = 5_000;
const POLL_MS = 50;

/**
 * Read-your-writes for every id the API hands out: the read model, else the workflow's own status
 * query while the read model has not caught up. A workflow that was just started cannot answer a
 * query before its first task has run; it is asked again for a moment rather than answered 404.
 */
export async function recordedOrLive<View>(
  recorded: () => Promise<View | undefined>,
  live: () => Promise<View>,
): Promise<View | undefined> {
  const view = await recorded();
  if (view) return view;
  const deadline = Date.now() + FIRST_ANSWER_WAIT_MS;
  for (;;) {
    try {
      return await live();
    } catch (error) {
      // The read model may have caught up meanwhile; a workflow that does not exist never will.
      if (error instanceof WorkflowNotFoundError || Date.now() >= deadline) return recorded();
      await sleep(POLL_MS);
    }
  }
}

/**
 * Waits (briefly) until `recorded` finds what an answer is about to name: a registration's
 * response names its conflict case before the case's workflow has recorded it, and a GET of that
 * case right after must not be a 404. Gives up quietly: the answer is right either way.
 */
export async function untilRecorded(recorded: () => Promise<unknown>, waitMs = CASE_RECORDED_WAIT_MS): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await recorded()) && Date.now() < deadline) await sleep(POLL_MS);
}
