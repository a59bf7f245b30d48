import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../../../ui/notices';
import { Pager } from '../../../ui/Pager';
import { When } from '../../../ui/time';
import type { Delivery, Webhook } from './types';

const PAGE_SIZE = 25;
const STATUSES = ['pending', 'delivered', 'failed'] as const;
type Status = (typeof STATUSES)[number];
/** Deliveries change without an event of their own (an attempt, a retry): read again this often while shown. */
const REFRESH_MS = 3_000;

/** "204 in 35 ms", "500: receiver broken", "connection refused": what the endpoint last answered. */
export function answerInWords(attempt: Delivery['lastAttempt']): string {
  if (!attempt) return 'not tried yet';
  if (attempt.statusCode !== undefined) {
    const excerpt = attempt.statusCode >= 300 && attempt.responseExcerpt ? `: ${attempt.responseExcerpt}` : '';
    return `${attempt.statusCode}${excerpt}${attempt.durationMs !== undefined ? ` in ${attempt.durationMs} ms` : ''}`;
  }
  return attempt.error ?? 'no answer';
}

/** One webhook's deliveries, newest first, filtered by status; each one's attempts on demand, a sent or failed one replayable. */
export function Deliveries({ webhook, onOutcome }: { webhook: Webhook; onOutcome: (words: string) => void }) {
  const [status, setStatus] = useState<Status | ''>('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<string>();
  const cursor = cursors[cursors.length - 1];
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [webhook.id]);
  const queryClient = useQueryClient();
  const deliveries = useQuery({
    queryKey: ['webhooks', webhook.id, 'deliveries', status, cursor],
    queryFn: () =>
      call(
        api.GET('/api/webhooks/{id}/deliveries', {
          params: {
            path: { id: webhook.id },
            query: { limit: PAGE_SIZE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  const replay = useMutation({
    mutationFn: (delivery: Delivery) =>
      call(
        api.POST('/api/webhooks/{id}/deliveries/{deliveryId}/replay', {
          params: { path: { id: webhook.id, deliveryId: delivery.id } },
        }),
      ),
    onSuccess: async (queued) => {
      await queryClient.invalidateQueries({ queryKey: ['webhooks', webhook.id] });
      onOutcome(`Sending ${queued.eventType} of ${queued.subject.kind} ${queued.subject.id} again, as ${queued.id}.`);
    },
  });
  const items = deliveries.data?.items ?? [];

  return (
    <section className="card deliveries" aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading" ref={heading} tabIndex={-1}>
        Deliveries to <code>{webhook.url}</code>
      </h2>
      <p className="field-hint">
        Each event is one delivery; its id is the <code>webhook-id</code> header of every attempt, so the endpoint can
        ignore a repeat.
        {webhook.status === 'disabled' ? ' This webhook is disabled: enable it to send deliveries again.' : ''}
      </p>
      <div className="field deliveries-filter">
        <label htmlFor="delivery-status">Show</label>
        <select
          id="delivery-status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as Status | '');
            setCursors([]);
            setOpen(undefined);
          }}
        >
          <option value="">every delivery</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s} only
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={deliveries.error ?? replay.error} />
      {deliveries.isPending ? <Loading what="deliveries" /> : null}
      {deliveries.data && items.length === 0 ? (
        <Empty>
          {status ? `No ${status} deliveries.` : 'Nothing sent yet: deliveries appear here as events are recorded.'}
        </Empty>
      ) : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Deliveries to {webhook.url}</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((delivery) => (
                <DeliveryRows
                  key={delivery.id}
                  webhook={webhook}
                  delivery={delivery}
                  open={open === delivery.id}
                  onToggle={() => setOpen(open === delivery.id ? undefined : delivery.id)}
                  replaying={replay.isPending}
                  onReplay={() => replay.mutate(delivery)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager cursors={cursors} nextCursor={deliveries.data?.nextCursor} onChange={setCursors} />
    </section>
  );
}

function DeliveryRows({
  webhook,
  delivery,
  open,
  onToggle,
  replaying,
  onReplay,
}: {
  webhook: Webhook;
  delivery: Delivery;
  open: boolean;
  onToggle: () => void;
  replaying: boolean;
  onReplay: () => void;
}) {
  const about = `${delivery.eventType} of ${delivery.subject.kind} ${delivery.subject.id}`;
  return (
    <>
      <tr className={open ? 'selected' : undefined}>
        <td>
          <code>{delivery.eventType}</code>
          <br />
          <span className="field-hint">
            {delivery.subject.kind} <code>{delivery.subject.id}</code> · <When at={delivery.createdAt} />
          </span>
        </td>
        <td>
          <StatusBadge status={delivery.status} />
        </td>
        <td>{delivery.attempts}</td>
        <td className="delivery-answer">{answerInWords(delivery.lastAttempt)}</td>
        <td>
          <div className="row-actions">
            <button type="button" aria-expanded={open} aria-label={`Attempts of ${about}`} onClick={onToggle}>
              Attempts
            </button>
            {delivery.status !== 'pending' && webhook.status === 'enabled' ? (
              <button type="button" aria-label={`Replay ${about}`} disabled={replaying} onClick={onReplay}>
                Replay
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {open ? (
        <tr className="delivery-detail">
          <td colSpan={5}>
            <DeliveryDetail webhookId={webhook.id} deliveryId={delivery.id} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Every attempt of one delivery and the event it carries, as the endpoint receives it. */
function DeliveryDetail({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) {
  const detail = useQuery({
    queryKey: ['webhooks', webhookId, 'delivery', deliveryId],
    queryFn: () =>
      call(api.GET('/api/webhooks/{id}/deliveries/{deliveryId}', { params: { path: { id: webhookId, deliveryId } } })),
  });
  if (detail.isPending) return <Loading what="the attempts" />;
  if (detail.error) return <ErrorNotice error={detail.error} />;
  const { attemptLog, event } = detail.data;
  return (
    <div className="delivery-attempts">
      <p className="field-hint">
        Delivery <code>{deliveryId}</code>
      </p>
      {attemptLog.length === 0 ? (
        <Empty>Not tried yet.</Empty>
      ) : (
        <ol className="attempt-log">
          {attemptLog.map((attempt) => (
            <li key={attempt.attempt}>
              Attempt {attempt.attempt}, <When at={attempt.at} />: {answerInWords(attempt)}
            </li>
          ))}
        </ol>
      )}
      <details>
        <summary>The event as sent</summary>
        <pre className="event-body">{JSON.stringify(event, null, 2)}</pre>
      </details>
    </div>
  );
}
