import { ApplicationFailure } from '@temporalio/common';
import { webhookHeaders } from '../../src/webhooks/signing';
import { TargetRefused, resolveTarget } from '../../src/webhooks/targets';
import { isDelivered, postWebhook, type SendOutcome } from '../../src/webhooks/send';
import type { DeliveryOutcome } from '../../workflows/webhookDelivery/contract';
import type { ActivityDeps } from '../shared/deps';
import { webhookDisabledEmail } from '../../src/notify/webhookEmails';

/** A receiver gets this long to answer one attempt. */
const ANSWER_WITHIN_MS = 10_000;

const describe = (outcome: SendOutcome) =>
  outcome.statusCode !== undefined
    ? `the receiver answered HTTP ${outcome.statusCode}`
    : (outcome.error ?? 'no answer');

export function webhookDeliveryActivities(deps: ActivityDeps) {
  const { webhooks } = deps.store;
  return {
    /**
     * One attempt at one delivery: signed afresh (a new timestamp), sent to the address checked
     * just now, recorded with what the receiver answered. A refusal throws, so Temporal retries it
     * on the queue's schedule; the secret never leaves this function but in the HMAC.
     */
    async deliverWebhook(deliveryId: string): Promise<DeliveryOutcome> {
      const delivery = await webhooks.delivery(deliveryId);
      const subscription = delivery && (await webhooks.get(delivery.subscriptionId));
      if (!delivery || !subscription) {
        if (delivery) await webhooks.markFailed(deliveryId, 'the subscription was deleted');
        return 'subscription_gone';
      }
      if (subscription.status === 'disabled') {
        await webhooks.markFailed(deliveryId, 'the subscription is disabled; replay it once it is enabled again');
        return 'subscription_disabled';
      }
      const at = new Date();
      const secrets = (await webhooks.signingSecrets(subscription.id, at))!;
      const body = JSON.stringify(delivery.event);
      const attempt = await webhooks.nextAttemptNumber(deliveryId);
      let outcome: SendOutcome;
      try {
        const target = await resolveTarget(subscription.url, deps.webhookAllowedTargets ?? []);
        const signed = [secrets.current, ...(secrets.previous ? [secrets.previous] : [])];
        outcome = await postWebhook(target, webhookHeaders(signed, deliveryId, at, body), body, ANSWER_WITHIN_MS);
      } catch (error) {
        if (!(error instanceof TargetRefused)) throw error;
        outcome = { error: `the target is refused: ${error.message}`, durationMs: 0 };
      }
      const delivered = isDelivered(outcome);
      await webhooks.recordAttempt(deliveryId, { attempt, at: at.toISOString(), ...outcome }, delivered);
      if (!delivered) {
        throw ApplicationFailure.retryable(`attempt ${attempt}: ${describe(outcome)}`, 'WebhookNotAccepted');
      }
      return 'delivered';
    },

    /**
     * The delivery's retries ran out: it fails, and its subscription, refused for that long, is
     * disabled and its owner told (once: the email's key names the subscription and the instant).
     */
    async webhookDeliveryFailed(deliveryId: string, lastRefusal: string): Promise<void> {
      const delivery = await webhooks.delivery(deliveryId);
      if (!delivery) return;
      await webhooks.markFailed(deliveryId);
      const disabled = await webhooks.disable(
        delivery.subscriptionId,
        `delivery ${deliveryId} was refused until its retries ran out (${lastRefusal})`,
      );
      if (!disabled) return;
      await deps.store.audit.append(`webhook:${disabled.id}:disabled:${disabled.disabledAt}`, {
        subject: `webhook:${disabled.id}`,
        at: disabled.disabledAt!,
        actor: 'system:webhooks',
        action: 'webhook.disabled',
        detail: { reason: disabled.disabledReason },
      });
      const owner = await webhooks.ownerEmail(disabled.id);
      if (!owner) return;
      const rendered = webhookDisabledEmail({
        id: disabled.id,
        url: disabled.url,
        reason: disabled.disabledReason!,
        webAppUrl: `${deps.publicUrl}/`,
      });
      await deps.mailer.send({
        key: `webhook-${disabled.id}/disabled/${disabled.disabledAt}`,
        to: [owner],
        ...rendered,
      });
    },
  };
}

export type WebhookDeliveryActivities = ReturnType<typeof webhookDeliveryActivities>;
