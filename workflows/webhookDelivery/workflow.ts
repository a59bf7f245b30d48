import {
  ActivityFailure,
  condition,
  continueAsNew,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { sendingOf, webhookSteps } from './activities';
import {
  deliverySignal,
  replaySignal,
  webhookQueueQuery,
  type WebhookDeliveryInput,
  type WebhookQueueView,
} from './contract';

// One subscription's deliveries for one object, in the order the dispatcher queued them. A delivery
// that is still refused when its retries run out fails, which disables the subscription; the
// deliveries after it then find it disabled and fail at once, replayable once it is enabled again.

/** Idle this long with nothing queued, the queue ends; the next event starts it again. */
const IDLE_BEFORE_ENDING = '1 minute';

export async function webhookDeliveries(input: WebhookDeliveryInput): Promise<void> {
  const queue: string[] = [...(input.queued ?? [])];
  const seen = new Set(queue);
  const view: WebhookQueueView = { queued: queue, delivered: 0, failed: 0 };
  const { deliverWebhook } = sendingOf(input);
  const { webhookDeliveryFailed } = webhookSteps;

  setHandler(deliverySignal, (deliveryId) => {
    // A dispatcher that stopped between queuing and noting it queues the delivery again.
    if (seen.has(deliveryId)) return;
    seen.add(deliveryId);
    queue.push(deliveryId);
  });
  setHandler(replaySignal, (deliveryId) => {
    if (!queue.includes(deliveryId)) queue.push(deliveryId);
  });
  setHandler(webhookQueueQuery, () => view);

  for (;;) {
    while (queue.length > 0) {
      const deliveryId = queue[0];
      try {
        await deliverWebhook(deliveryId);
        view.delivered += 1;
      } catch (error) {
        if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
        view.failed += 1;
        await webhookDeliveryFailed(deliveryId, describeFailure(error));
      }
      queue.shift();
      if (workflowInfo().continueAsNewSuggested)
        await continueAsNew<typeof webhookDeliveries>({ ...input, queued: queue });
    }
    if (!(await condition(() => queue.length > 0, IDLE_BEFORE_ENDING))) return;
  }
}

/** The last refusal, as the activity reported it (a status code or a connection error, never a secret). */
function describeFailure(error: ActivityFailure): string {
  const cause = error.cause;
  const last = cause && 'cause' in cause && cause.cause instanceof Error ? cause.cause : cause;
  return last?.message ?? error.message;
}
