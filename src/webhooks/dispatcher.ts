import type { Client } from '@temporalio/client';
import type { Logger } from '../logger';
import type { Db } from '../store/db';
import { auditStore, type FeedPosition } from '../store/audit';
import { webhookStore, type WebhookSubscription } from '../store/webhooks';
import type { Principal } from '../domain/principal';
import { isEventTypeIn } from '../domain/eventTypes';
import { eventFor, isAfter } from '../events/feed';
import {
  WEBHOOK_DELIVERY_WORKFLOW_TYPE,
  deliverySignal,
  webhookDeliveryWorkflowId,
  type WebhookDeliveryWorkflow,
} from '../../workflows/webhookDelivery/contract';
import type { WebhookSettings } from '../config';

// The event feed fanned out to webhook subscriptions. Each cycle, under one database lock (so two
// worker processes never interleave one object's events): (1) the feed rows after the dispatcher's
// position become deliveries, one per subscription that may see and wants the event, recorded with
// the position in one transaction; (2) the deliveries not yet queued go, oldest first, to their
// object's queue workflow. A crash between the two leaves rows that (2) queues next time.

const ROWS_PER_CYCLE = 250;
const QUEUED_PER_CYCLE = 250;
const DISPATCH_LOCK = 7271002;

export interface WebhookDispatcher {
  /** One cycle now; resolves with the number of deliveries it queued (tests step it). */
  cycle(): Promise<number>;
  stop(): Promise<void>;
}

/** A subscription sees what its audience may: a partner's only its own events, redacted as for it. */
const audienceOf = (subscription: WebhookSubscription): Principal =>
  subscription.partnerId
    ? { role: 'partner', subject: `webhook:${subscription.id}`, partnerId: subscription.partnerId }
    : { role: 'admin', subject: `webhook:${subscription.id}` };

const wants = (subscription: WebhookSubscription, type: string) =>
  subscription.events.includes('*') || isEventTypeIn(type, subscription.events);

/** The delivery's id, also its `webhook-id`: the same for every attempt and replay of it. */
export const deliveryIdOf = (subscriptionId: string, position: FeedPosition) =>
  `msg_${subscriptionId.replace(/^whk_/, '')}_${position.seq}`;

export function webhookDispatcher(deps: {
  db: Db;
  temporal: Client;
  taskQueue: string;
  settings: WebhookSettings;
  logger: Logger;
}): WebhookDispatcher {
  /** Under the lock, or not at all this cycle: another process holds it and does the work. */
  const locked = <T>(work: (tx: Db) => Promise<T>, otherwise: T) =>
    deps.db.transaction(async (tx) => {
      const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        DISPATCH_LOCK,
      ]);
      return row.locked ? work(tx) : otherwise;
    });

  const recordDeliveries = () =>
    locked(async (tx) => {
      const webhooks = webhookStore(tx);
      const subscriptions = await webhooks.enabled();
      const audit = auditStore(tx);
      if (subscriptions.length === 0) return;
      // Nothing before the earliest subscription's start concerns anyone: skip it unread.
      const earliest = subscriptions.map((s) => s.from).reduce((a, b) => (isAfter(a, b) ? b : a));
      const stored = await webhooks.dispatchedThrough();
      let position = stored && isAfter(stored, earliest) ? stored : earliest;
      const rows = await audit.feedAfter(position, ROWS_PER_CYCLE);
      for (const row of rows) {
        position = { txid: row.txid, seq: row.seq };
        for (const subscription of subscriptions) {
          if (!isAfter(position, subscription.from)) continue;
          const event = eventFor(audienceOf(subscription), row);
          if (!event || !wants(subscription, event.type)) continue;
          await webhooks.addDelivery(deliveryIdOf(subscription.id, position), subscription.id, event);
        }
      }
      if (rows.length > 0 || !stored) await webhooks.markDispatched(position);
    }, undefined);

  const queueDeliveries = () =>
    locked(async (tx) => {
      const webhooks = webhookStore(tx);
      const waiting = await webhooks.notEnqueued(QUEUED_PER_CYCLE);
      for (const delivery of waiting) {
        await deps.temporal.workflow.signalWithStart<WebhookDeliveryWorkflow, [string]>(
          WEBHOOK_DELIVERY_WORKFLOW_TYPE,
          {
            workflowId: webhookDeliveryWorkflowId(delivery.subscriptionId, delivery.subject),
            taskQueue: deps.taskQueue,
            args: [
              {
                subscriptionId: delivery.subscriptionId,
                subject: delivery.subject,
                firstRetryMs: deps.settings.firstRetryMs,
                retryForMs: deps.settings.retryForMs,
              },
            ],
            signal: deliverySignal,
            signalArgs: [delivery.id],
          },
        );
        await webhooks.markEnqueued(delivery.id);
      }
      return waiting.length;
    }, 0);

  const cycle = async () => {
    await recordDeliveries();
    return queueDeliveries();
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let failing = false;
  const loop = () => {
    running = cycle()
      .then((queued) => {
        if (failing) deps.logger.info('webhook dispatch works again');
        failing = false;
        return queued;
      })
      .catch((error: unknown) => {
        // The store or the cluster is away: the next cycle tries again, nothing is lost.
        if (!failing) deps.logger.warn({ err: error }, 'webhook dispatch failed; retrying');
        failing = true;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, POLL_MS);
      });
  };
  const POLL_MS = 500;
  loop();
  return {
    cycle,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
