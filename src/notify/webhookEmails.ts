import { defineTemplate } from './templates';

/** To a webhook's owner: its receiver refused deliveries until their retries ran out. */
export const webhookDisabledEmail = defineTemplate<{ id: string; url: string; reason: string; webAppUrl: string }>({
  subject: (d) => `Webhook ${d.id} disabled: its receiver refused deliveries`,
  paragraphs: (d) => [
    `The webhook ${d.id} to ${d.url} is disabled: ${d.reason}.`,
    'Nothing more is sent to it. Its failed deliveries are listed by GET /api/webhooks/' +
      `${d.id}/deliveries?status=failed; once the receiver answers again, enable it with ` +
      `POST /api/webhooks/${d.id}/enable and replay what failed.`,
  ],
  action: (d) => ({ label: 'Open RoE Orchestrator', url: d.webAppUrl }),
});
