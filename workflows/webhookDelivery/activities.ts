import { proxyActivities } from '@temporalio/workflow';
import type { WebhookDeliveryActivities } from '../../activities/webhookDelivery';
import { WAITED_OUT, proxiedBy } from '../shared/activityOptions';
import type { WebhookDeliveryInput } from './contract';

/**
 * The send is retried on the subscription's own schedule: the first retry after `firstRetryMs`,
 * each wait doubling (at most 12 hours), until `retryForMs` has passed since the first attempt.
 */
export function sendingOf(input: WebhookDeliveryInput) {
  return proxyActivities<Pick<WebhookDeliveryActivities, 'deliverWebhook'>>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: input.retryForMs,
    retry: { initialInterval: input.firstRetryMs, backoffCoefficient: 2, maximumInterval: '12 hours' },
  });
}

/** Giving up is recorded like any other step: waited out. */
export const webhookSteps = proxiedBy<Pick<WebhookDeliveryActivities, 'webhookDeliveryFailed'>>({
  webhookDeliveryFailed: WAITED_OUT,
});
