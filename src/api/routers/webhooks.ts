import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Store } from '../../store';
import { isIssuedCursor, decodeCursor } from '../../store/directory';
import { idSchema } from '../../domain/principal';

import { EVENT_TYPE_PATTERN } from '../../domain/eventTypes';
import { TargetRefused, resolveTarget, targetUrlProblem } from '../../webhooks/targets';
import {
  WEBHOOK_DELIVERY_WORKFLOW_TYPE,
  replaySignal,
  webhookDeliveryWorkflowId,
  type WebhookDeliveryWorkflow,
} from '../../../workflows/webhookDelivery/contract';
import type { RouteTable } from '../routes';
import { badRequest, conflict, notFound } from '../problem';
import { emailSchema, listCursor } from '../schemas';

/** How long a rotated-out secret keeps signing beside the new one. */
const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

const subscriptionView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  partnerId: z.string().optional(),
  ownerEmail: z.string().optional().describe('who is told when the webhook is disabled'),
  status: z.enum(['enabled', 'disabled']),
  disabledAt: z.string().optional(),
  disabledReason: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.string(),
});

const attemptView = z.object({
  attempt: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().optional(),
  error: z.string().optional(),
  responseExcerpt: z.string().optional(),
  durationMs: z.number().int(),
});

const deliveryView = z.object({
  id: z.string().describe("also the `webhook-id` header of every attempt: the receiver's idempotency key"),
  subscriptionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  subject: z.object({ kind: z.string(), id: z.string() }),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  createdAt: z.string(),
  deliveredAt: z.string().optional(),
  failedAt: z.string().optional(),
  lastAttempt: attemptView.partial().optional(),
});

const eventView = z.object({
  id: z.string(),
  type: z.string(),
  at: z.string(),
  subject: z.object({ kind: z.string(), id: z.string(), version: z.number().int().optional() }),
  data: z.record(z.string(), z.unknown()),
});

const idParam = z.strictObject({ id: z.string().regex(/^whk_[0-9a-f]{12}$/, 'a webhook id such as whk_0123456789ab') });
const deliveryParams = idParam.extend({
  deliveryId: z.string().regex(/^msg_[0-9a-f]{12}_\d{1,19}$/, 'a delivery id such as msg_0123456789ab_42'),
});

const eventPattern = z
  .string()
  .refine(
    (p) => p === '*' || EVENT_TYPE_PATTERN.test(p),
    'an event type such as registration.decided, registration.* or *',
  );

const createBody = z.strictObject({
  url: z
    .string()
    .max(2000)
    .superRefine((text, ctx) => {
      const problem = targetUrlProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  events: z.array(eventPattern).min(1).max(50),
  /** Only this partner's events, redacted as that partner sees them. */
  partnerId: idSchema.optional(),
  /** Who is told when the subscription is disabled. */
  ownerEmail: emailSchema.optional(),
});

export interface WebhookRouteDeps {
  store: Store;
  temporal: Client;
  taskQueue: string;
  /** `host:port` a webhook may reach although loopback or private (ROE_WEBHOOK_ALLOWED_TARGETS). */
  allowedTargets: readonly string[];
  /** The retry rules a replay's queue starts with, as the dispatcher's. */
  retry: { firstRetryMs: number; retryForMs: number };
}

export function webhookRoutes(table: RouteTable, deps: WebhookRouteDeps): void {
  const { store } = deps;
  const audit = (actor: string, id: string, action: string, detail: object) =>
    store.audit.append(`webhook:${id}:${action}:${Date.now()}`, {
      subject: `webhook:${id}`,
      at: new Date().toISOString(),
      actor,
      action,
      detail: { ...detail },
    });
  const subscriptionOr404 = async (id: string) => {
    const subscription = await store.webhooks.get(id);
    if (!subscription) throw notFound(`webhook ${id}`);
    return subscription;
  };

  table.add({
    method: 'post',
    path: '/api/webhooks',
    summary: 'Subscribe a URL to events, signed per Standard Webhooks',
    tag: 'Webhooks',
    roles: ['admin'],
    body: createBody,
    responses: {
      201: {
        description: 'The subscription and its signing secret (`whsec_…`), shown this once',
        schema: subscriptionView.extend({ secret: z.string() }),
      },
      400: { description: 'A field is malformed, or the URL reaches a loopback, private or metadata address' },
      404: { description: 'The partner does not exist' },
    },
    handler: async ({ body, principal }) => {
      try {
        await resolveTarget(body.url, deps.allowedTargets);
      } catch (error) {
        if (!(error instanceof TargetRefused)) throw error;
        throw badRequest(`url: ${error.message}`, [{ path: 'url', message: error.message }]);
      }
      if (body.partnerId && !(await store.directory.getPartner(body.partnerId)))
        throw notFound(`partner ${body.partnerId}`);
      const { subscription, secret } = await store.webhooks.create({
        url: body.url,
        events: body.events,
        partnerId: body.partnerId,
        createdBy: principal.subject,
        ownerEmail: body.ownerEmail,
        from: await store.audit.feedEnd(),
      });
      await audit(principal.subject, subscription.id, 'webhook.created', {
        url: subscription.url,
        events: subscription.events,
        ...(subscription.partnerId ? { partnerId: subscription.partnerId } : {}),
      });
      return { status: 201, body: { ...subscription, secret } };
    },
  });

  table.add({
    method: 'get',
    path: '/api/webhooks',
    summary: 'List webhook subscriptions (never their secrets)',
    tag: 'Webhooks',
    roles: ['admin'],
    responses: { 200: { description: 'Every subscription', schema: z.object({ items: z.array(subscriptionView) }) } },
    handler: async () => ({ status: 200, body: { items: await store.webhooks.list() } }),
  });

  table.add({
    method: 'get',
    path: '/api/webhooks/{id}',
    summary: 'Read a webhook subscription',
    tag: 'Webhooks',
    roles: ['admin'],
    params: idParam,
    responses: {
      200: { description: 'The subscription', schema: subscriptionView },
      404: { description: 'No such webhook' },
    },
    handler: async ({ params }) => ({ status: 200, body: await subscriptionOr404(params.id) }),
  });

  table.add({
    method: 'delete',
    path: '/api/webhooks/{id}',
    summary: 'Delete a webhook subscription: nothing more is sent to it',
    tag: 'Webhooks',
    roles: ['admin'],
    params: idParam,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such webhook' } },
    handler: async ({ params, principal }) => {
      const removed = await store.webhooks.remove(params.id);
      if (!removed) throw notFound(`webhook ${params.id}`);
      await audit(principal.subject, removed.id, 'webhook.deleted', { url: removed.url });
      return { status: 204 };
    },
  });

  table.add({
    method: 'post',
    path: '/api/webhooks/{id}/enable',
    summary: 'Enable a disabled webhook again, for the events recorded from now on',
    tag: 'Webhooks',
    roles: ['admin'],
    params: idParam,
    responses: {
      200: { description: 'The subscription, enabled', schema: subscriptionView },
      404: { description: 'No such webhook' },
    },
    handler: async ({ params, principal }) => {
      const current = await subscriptionOr404(params.id);
      if (current.status === 'enabled') return { status: 200, body: current };
      const enabled = (await store.webhooks.enable(params.id, await store.audit.feedEnd()))!;
      await audit(principal.subject, enabled.id, 'webhook.enabled', {});
      return { status: 200, body: enabled };
    },
  });

  table.add({
    method: 'post',
    path: '/api/webhooks/{id}/rotate-secret',
    summary: 'Rotate the signing secret: the old one keeps signing beside the new one for 24 hours',
    tag: 'Webhooks',
    roles: ['admin'],
    params: idParam,
    responses: {
      200: {
        description: 'The new secret, shown this once, and until when the previous one still signs',
        schema: subscriptionView.extend({ secret: z.string(), previousSecretValidUntil: z.string() }),
      },
      404: { description: 'No such webhook' },
    },
    handler: async ({ params, principal }) => {
      const until = new Date(Date.now() + ROTATION_OVERLAP_MS);
      const rotated = await store.webhooks.rotateSecret(params.id, until);
      if (!rotated) throw notFound(`webhook ${params.id}`);
      await audit(principal.subject, params.id, 'webhook.secret_rotated', {
        previousSecretValidUntil: until.toISOString(),
      });
      return {
        status: 200,
        body: { ...rotated.subscription, secret: rotated.secret, previousSecretValidUntil: until.toISOString() },
      };
    },
  });

  table.add({
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    summary: "List a webhook's deliveries, newest first, with their attempts and last answer",
    tag: 'Webhooks',
    roles: ['admin'],
    params: idParam,
    query: z.strictObject({
      status: z.enum(['pending', 'delivered', 'failed']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50).describe('page size, 1–500'),
      cursor: listCursor()
        .refine((c) => isIssuedCursor(c) && /^\d{1,19}$/.test(decodeCursor(c)), 'must be a nextCursor of this list')
        .optional(),
    }),
    responses: {
      200: {
        description: 'One page of deliveries',
        schema: z.object({ items: z.array(deliveryView), nextCursor: z.string().optional() }),
      },
      404: { description: 'No such webhook' },
    },
    handler: async ({ params, query }) => {
      await subscriptionOr404(params.id);
      return { status: 200, body: await store.webhooks.deliveries(params.id, query) };
    },
  });

  const deliveryOr404 = async (id: string, deliveryId: string) => {
    await subscriptionOr404(id);
    const delivery = await store.webhooks.delivery(deliveryId);
    if (!delivery || delivery.subscriptionId !== id) throw notFound(`delivery ${deliveryId} of webhook ${id}`);
    return delivery;
  };

  table.add({
    method: 'get',
    path: '/api/webhooks/{id}/deliveries/{deliveryId}',
    summary: 'Read one delivery: the event it carries and every attempt',
    tag: 'Webhooks',
    roles: ['admin'],
    params: deliveryParams,
    responses: {
      200: {
        description: 'The delivery',
        schema: deliveryView.extend({ event: eventView, attemptLog: z.array(attemptView) }),
      },
      404: { description: 'No such webhook or delivery' },
    },
    handler: async ({ params }) => {
      const delivery = await deliveryOr404(params.id, params.deliveryId);
      return { status: 200, body: { ...delivery, attemptLog: await store.webhooks.attemptsOf(delivery.id) } };
    },
  });

  table.add({
    method: 'post',
    path: '/api/webhooks/{id}/deliveries/{deliveryId}/replay',
    summary: 'Send a delivery again (same webhook-id), after those of its object still queued',
    tag: 'Webhooks',
    roles: ['admin'],
    params: deliveryParams,
    responses: {
      202: { description: 'Queued again', schema: deliveryView },
      404: { description: 'No such webhook or delivery' },
      409: { description: 'The webhook is disabled: enable it first' },
    },
    handler: async ({ params, principal }) => {
      const delivery = await deliveryOr404(params.id, params.deliveryId);
      const subscription = await subscriptionOr404(params.id);
      if (subscription.status === 'disabled') {
        throw conflict(`webhook ${params.id} is disabled: enable it (POST /api/webhooks/${params.id}/enable) first`);
      }
      await store.webhooks.markPending(delivery.id);
      await deps.temporal.workflow.signalWithStart<WebhookDeliveryWorkflow, [string]>(WEBHOOK_DELIVERY_WORKFLOW_TYPE, {
        workflowId: webhookDeliveryWorkflowId(delivery.subscriptionId, delivery.subject),
        taskQueue: deps.taskQueue,
        args: [{ subscriptionId: delivery.subscriptionId, subject: delivery.subject, ...deps.retry }],
        signal: replaySignal,
        signalArgs: [delivery.id],
      });
      await audit(principal.subject, params.id, 'webhook.delivery_replayed', { deliveryId: delivery.id });
      const { event: _event, ...view } = (await store.webhooks.delivery(delivery.id))!;
      return { status: 202, body: view };
    },
  });
}
