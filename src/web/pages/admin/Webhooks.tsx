import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorNotice, Loading } from '../../ui/notices';
import { SecretOnce } from '../../ui/SecretOnce';
import { localTime } from '../../ui/time';
import { AddWebhookForm } from './webhooks/AddWebhookForm';
import { Deliveries } from './webhooks/Deliveries';
import { WebhookList } from './webhooks/WebhookList';
import type { ShownSecret } from './webhooks/types';
import './directory/directory.css';
import './webhooks/webhooks.css';

// Webhooks: the CRM, the PRM and marketing automation hear of every event as it is recorded,
// signed per Standard Webhooks. The signing secret is shown once, when it is made.

export default function Webhooks() {
  // A webhook whose retries ran out is disabled by the engine, not by a person: read it again now and then.
  const webhooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => call(api.GET('/api/webhooks')),
    refetchInterval: 10_000,
  });
  const [secret, setSecret] = useState<ShownSecret>();
  // The webhook whose deliveries show, in the address: the disabled-webhook email links to it.
  const [params, setParams] = useSearchParams();
  const selected = params.get('webhook') ?? undefined;
  const setSelected = (id: string | undefined) => setParams(id ? { webhook: id } : {}, { replace: true });
  const [outcome, setOutcome] = useState('');
  const selectedWebhook = webhooks.data?.items.find((w) => w.id === selected);
  const say = (words: string) => {
    setSecret(undefined);
    setOutcome(words);
  };

  return (
    <section className="webhooks">
      <h1>Webhooks</h1>
      <p className="lead">
        Send every registration, conflict case, policy and rollout event to the tools that enforce the rules: each
        delivery is signed, retried with backoff for up to 3 days, and can be replayed.
      </p>
      <p role="status" className={outcome ? 'notice notice-ok' : 'visually-hidden'}>
        {outcome}
      </p>
      {secret ? (
        <SecretOnce
          id="webhook-secret"
          heading={secret.heading}
          warning="Copy this signing secret now and give it to the endpoint: it will not be shown again."
          label="Signing secret"
          secret={secret.secret}
          copyLabel="Copy secret"
          doneLabel="I have copied the secret"
          onDone={() => setSecret(undefined)}
        >
          <p className="field-hint">
            {secret.previousValidUntil
              ? `The previous secret keeps signing beside this one until ${localTime(secret.previousValidUntil)}. `
              : ''}
            The endpoint verifies the <code>webhook-signature</code> header (HMAC-SHA256 over the{' '}
            <code>webhook-id</code>, the <code>webhook-timestamp</code> and the body) with it, as any Standard Webhooks
            library does.
          </p>
        </SecretOnce>
      ) : null}
      <div className="split">
        <div className="editor">
          <AddWebhookForm
            onCreated={(created) => {
              setOutcome('');
              setSelected(created.id);
              setSecret({ heading: `Webhook to ${created.url} added`, secret: created.secret });
            }}
          />
        </div>
        <section aria-labelledby="webhooks-heading">
          <h2 id="webhooks-heading">Subscriptions</h2>
          {webhooks.isPending ? <Loading what="webhooks" /> : null}
          <ErrorNotice error={webhooks.error} />
          {webhooks.data ? (
            <WebhookList
              webhooks={webhooks.data.items}
              selected={selected}
              onSelect={setSelected}
              onRotated={(rotated) => {
                setOutcome('');
                setSecret({
                  heading: `New secret for the webhook to ${rotated.url}`,
                  secret: rotated.secret,
                  previousValidUntil: rotated.previousSecretValidUntil,
                });
              }}
              onOutcome={say}
            />
          ) : null}
        </section>
      </div>
      {selectedWebhook ? <Deliveries key={selectedWebhook.id} webhook={selectedWebhook} onOutcome={say} /> : null}
    </section>
  );
}
