import { defineTemplate } from './templates';

/** To a webhook's owner: its receiver refused deliveries until their retries ran out. */
export const webhookDisabledEmail = defineTemplate<{ id: string; url: string; reason: string; webAppUrl: string }>({
  subject: (d) => `Webhook ${d.id} disabled: its receiver refused deliveries`,
  paragraphs: (d) => [
    `The webhook ${d.id} to ${d.url} is disabled: ${d.reason}.`,
    'Nothing more is sent to it. Once the receiver answers again, enable it on the Webhooks page and ' +
      'replay its failed deliveries there (through the API: GET /api/webhooks/' +
      `${d.id}/deliveries?status=failed, POST /api/webhooks/${d.id}/enable, then replay each).`,
  ],
  action: (d) => ({ label: 'Open the webhook', url: `${d.webAppUrl}webhooks?webhook=${d.id}` }),
});
