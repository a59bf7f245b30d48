import { condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

// The smallest workflow an update-with-start can reach: the SDK ceiling the intake is compared to.
// Its own bundle entry, so the bench worker bundles nothing of the product.

export const pingUpdate = defineUpdate<string>('ping');

export async function noop(): Promise<void> {
  let answered = false;
  setHandler(pingUpdate, () => {
    answered = true;
    return 'pong';
  });
  await condition(() => answered);
}

/** The smallest workflow with a timer: sleeps until `dueAtMs` (on the workflow clock), then ends. */
export async function noopTimer(dueAtMs: number): Promise<void> {
  await sleep(Math.max(0, dueAtMs - Date.now()));
}
