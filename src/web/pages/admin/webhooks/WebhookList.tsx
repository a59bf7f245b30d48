import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { usePartnerNames } from '../../../api/usePartnerNames';
import { Empty, ErrorNotice, StatusBadge } from '../../../ui/notices';
import { When } from '../../../ui/time';
import { eventsInWords, type RotatedWebhook, type Webhook } from './types';

type Confirming = { id: string; step: 'delete' | 'rotate' };

/**
 * Every webhook, newest first: what it is sent and whether it is sent, its deliveries one click
 * away; deleting and rotating the secret behind a confirmation, a disabled one enabled again.
 */
export function WebhookList({
  webhooks,
  selected,
  onSelect,
  onRotated,
  onOutcome,
}: {
  webhooks: Webhook[];
  selected: string | undefined;
  onSelect: (id: string | undefined) => void;
  onRotated: (rotated: RotatedWebhook) => void;
  onOutcome: (words: string) => void;
}) {
  const [confirming, setConfirming] = useState<Confirming>();
  const partnerName = usePartnerNames();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const remove = useMutation({
    mutationFn: (webhook: Webhook) =>
      call(api.DELETE('/api/webhooks/{id}', { params: { path: { id: webhook.id } } })).then(() => webhook),
    onSuccess: async (webhook) => {
      setConfirming(undefined);
      if (selected === webhook.id) onSelect(undefined);
      await refresh();
      onOutcome(`Deleted the webhook to ${webhook.url}: nothing more is sent to it.`);
    },
  });
  const rotate = useMutation({
    mutationFn: (id: string) => call(api.POST('/api/webhooks/{id}/rotate-secret', { params: { path: { id } } })),
    onSuccess: async (rotated) => {
      setConfirming(undefined);
      await refresh();
      onRotated(rotated);
    },
  });
  const enable = useMutation({
    mutationFn: (id: string) => call(api.POST('/api/webhooks/{id}/enable', { params: { path: { id } } })),
    onSuccess: async (enabled) => {
      await refresh();
      onOutcome(`Enabled the webhook to ${enabled.url}: events recorded from now on are sent to it.`);
    },
  });

  if (webhooks.length === 0) return <Empty>No webhooks yet: add one to send events to another system.</Empty>;
  const newestFirst = [...webhooks].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <ErrorNotice error={remove.error ?? rotate.error ?? enable.error} />
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">Events</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((webhook) => (
              <tr key={webhook.id} className={selected === webhook.id ? 'selected' : undefined}>
                <td className="webhook-url">
                  <code>{webhook.url}</code>
                  <br />
                  <span className="field-hint">
                    id <code>{webhook.id}</code> ·{' '}
                    {webhook.partnerId ? `events of ${partnerName(webhook.partnerId)} only · ` : ''}
                    added <When at={webhook.createdAt} />
                    {webhook.ownerEmail ? ` · owner ${webhook.ownerEmail}` : ''}
                  </span>
                  {webhook.disabledAt ? (
                    <p className="disabled-reason">
                      Disabled <When at={webhook.disabledAt} />
                      {webhook.disabledReason ? `: ${webhook.disabledReason}` : ''}
                    </p>
                  ) : null}
                </td>
                <td>{eventsInWords(webhook.events)}</td>
                <td>
                  <StatusBadge status={webhook.status} />
                </td>
                <td>
                  {confirming?.id === webhook.id ? (
                    <Confirmation
                      webhook={webhook}
                      step={confirming.step}
                      busy={remove.isPending || rotate.isPending}
                      onConfirm={() =>
                        confirming.step === 'delete' ? remove.mutate(webhook) : rotate.mutate(webhook.id)
                      }
                      onCancel={() => setConfirming(undefined)}
                    />
                  ) : (
                    <div className="row-actions">
                      <button
                        type="button"
                        aria-label={`Deliveries to ${webhook.url}`}
                        aria-pressed={selected === webhook.id}
                        onClick={() => onSelect(selected === webhook.id ? undefined : webhook.id)}
                      >
                        Deliveries
                      </button>
                      {webhook.status === 'disabled' ? (
                        <button
                          type="button"
                          aria-label={`Enable the webhook to ${webhook.url}`}
                          disabled={enable.isPending}
                          onClick={() => enable.mutate(webhook.id)}
                        >
                          Enable
                        </button>
                      ) : null}
                      <button
                        type="button"
                        aria-label={`Rotate the secret of the webhook to ${webhook.url}`}
                        onClick={() => setConfirming({ id: webhook.id, step: 'rotate' })}
                      >
                        Rotate secret
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Delete the webhook to ${webhook.url}`}
                        onClick={() => setConfirming({ id: webhook.id, step: 'delete' })}
                      >
                        Delete
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Confirmation({
  webhook,
  step,
  busy,
  onConfirm,
  onCancel,
}: {
  webhook: Webhook;
  step: Confirming['step'];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const deleting = step === 'delete';
  return (
    <div
      className="confirm"
      role="group"
      aria-label={deleting ? `Confirm deleting the webhook to ${webhook.url}` : `Confirm rotating its secret`}
    >
      <p>
        {deleting
          ? 'Delete this webhook? Nothing more is sent to it, queued deliveries included; this cannot be undone.'
          : 'Rotate the signing secret? The current one keeps signing beside the new one for 24 hours, time to give the endpoint the new one.'}
      </p>
      <div className="actions">
        <button type="button" className={deleting ? 'danger' : 'primary'} disabled={busy} onClick={onConfirm}>
          {deleting ? 'Yes, delete' : 'Yes, rotate'}
        </button>
        <button type="button" onClick={onCancel}>
          {deleting ? 'Keep it' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
