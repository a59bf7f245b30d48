import type { BodyOf, ResponseOf } from '../../../api/types';

export type Webhook = ResponseOf<'/api/webhooks', 'get'>['items'][number];
export type CreatedWebhook = ResponseOf<'/api/webhooks', 'post'>;
export type RotatedWebhook = ResponseOf<'/api/webhooks/{id}/rotate-secret', 'post'>;
export type NewWebhookBody = BodyOf<'/api/webhooks', 'post'>;
export type Delivery = ResponseOf<'/api/webhooks/{id}/deliveries', 'get'>['items'][number];
export type DeliveryDetail = ResponseOf<'/api/webhooks/{id}/deliveries/{deliveryId}', 'get'>;

/** A secret to show once: a webhook just added, or one whose secret was just rotated. */
export interface ShownSecret {
  heading: string;
  secret: string;
  /** Until when the secret it replaces still signs, after a rotation. */
  previousValidUntil?: string;
}

/** The event families an admin picks from; any exact type can be typed in beside them. */
export const EVENT_FAMILIES = [
  { pattern: 'registration.*', words: 'Deal registrations' },
  { pattern: 'conflict.*', words: 'Conflict cases' },
  { pattern: 'policy.*', words: 'Policy versions and acknowledgements' },
  { pattern: 'rollout.*', words: 'Rollouts' },
] as const;

/** "Every event", "Deal registrations, conflict.resolved": what a subscription's patterns cover, in words. */
export function eventsInWords(events: readonly string[]): string {
  if (events.includes('*')) return 'Every event';
  return events.map((e) => EVENT_FAMILIES.find((f) => f.pattern === e)?.words ?? e).join(', ');
}
