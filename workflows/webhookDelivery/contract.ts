import { defineQuery, defineSignal } from '@temporalio/workflow';

// The webhook deliveries of one subscription for one object (a registration, a case, a policy…):
// a queue sent in order, one at a time, so a receiver sees an object's events as they happened.
// Started by the dispatcher's first delivery for the object (signal-with-start); ends when idle.

export const WEBHOOK_DELIVERY_WORKFLOW_TYPE = 'webhookDeliveries';
/** The workflow's signature, for typed starts and handles without importing its implementation. */
export type WebhookDeliveryWorkflow = (input: WebhookDeliveryInput) => Promise<void>;

export interface WebhookDeliveryInput {
  subscriptionId: string;
  subject: { kind: string; id: string };
  /** The retry rules the queue was started with (ROE_WEBHOOK_FIRST_RETRY, ROE_WEBHOOK_RETRY_FOR). */
  firstRetryMs: number;
  retryForMs: number;
  /** Delivery ids still queued when the previous run continued as new. */
  queued?: string[];
}

export interface WebhookQueueView {
  queued: string[];
  delivered: number;
  failed: number;
}

/** Object kinds and ids are slugs, so the id reads as what it queues. */
export const webhookDeliveryWorkflowId = (subscriptionId: string, subject: { kind: string; id: string }) =>
  `webhook-${subscriptionId}-${subject.kind}-${subject.id}`;

/** A new delivery for the queue, by id (the store holds the event, the workflow only its id). */
export const deliverySignal = defineSignal<[deliveryId: string]>('delivery');
/** An admin asked for a delivery to be sent again: queued even if this run sent it already. */
export const replaySignal = defineSignal<[deliveryId: string]>('replay');
export const webhookQueueQuery = defineQuery<WebhookQueueView>('queue');

/** What one delivery came to. */
export type DeliveryOutcome = 'delivered' | 'subscription_gone' | 'subscription_disabled';
