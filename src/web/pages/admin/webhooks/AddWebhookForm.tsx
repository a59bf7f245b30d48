import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ErrorNotice } from '../../../ui/notices';
import { Field } from '../../../ui/Field';
import { apiFieldError, listFromText, unplacedError } from '../directory/fields';
import { EVENT_FAMILIES, type CreatedWebhook, type NewWebhookBody } from './types';

interface WebhookForm {
  url: string;
  everyEvent: boolean;
  families: string[];
  otherTypes: string;
  partnerId: string;
  ownerEmail: string;
}

const PATHS = ['url', 'events', 'partnerId', 'ownerEmail'] as const;

/** The patterns the form's choices stand for: `*`, or the chosen families and the typed types. */
const eventsOf = (values: WebhookForm): string[] =>
  values.everyEvent ? ['*'] : [...values.families, ...listFromText(values.otherTypes)];

/** Subscribes an endpoint (a CRM, a PRM, marketing automation) to the product's events. */
export function AddWebhookForm({ onCreated }: { onCreated: (created: CreatedWebhook) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<WebhookForm>({
    defaultValues: { url: '', everyEvent: false, families: [], otherTypes: '', partnerId: '', ownerEmail: '' },
  });
  const everyEvent = form.watch('everyEvent');
  const partners = useQuery({
    queryKey: ['directory', 'partners'],
    queryFn: () => call(api.GET('/api/directory/partners', { params: { query: { limit: 500 } } })),
  });
  const create = useMutation({
    mutationFn: (values: WebhookForm) => {
      const body: NewWebhookBody = {
        url: values.url.trim(),
        events: eventsOf(values),
        ...(values.partnerId ? { partnerId: values.partnerId } : {}),
        ...(values.ownerEmail.trim() ? { ownerEmail: values.ownerEmail.trim() } : {}),
      };
      return call(api.POST('/api/webhooks', { body }));
    },
    onSuccess: async (created) => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ['webhooks'] });
      onCreated(created);
    },
  });
  const errors = form.formState.errors;
  const eventsError = errors.families?.message ?? apiFieldError(create.error, 'events');
  const submit = form.handleSubmit((values) => create.mutate(values));

  return (
    <form className="card" noValidate onSubmit={submit} aria-labelledby="add-webhook-heading">
      <h2 id="add-webhook-heading">Add a webhook</h2>
      <p className="field-hint">
        Each event is sent as a signed POST, retried for up to 3 days while the endpoint fails, in order for each deal,
        case or policy.
      </p>
      <Field
        id="webhook-url"
        label="Endpoint URL"
        hint="Where the events go, e.g. https://crm.example.com/hooks/roe"
        error={errors.url?.message ?? apiFieldError(create.error, 'url')}
      >
        {(control) => (
          <input
            {...control}
            type="url"
            inputMode="url"
            autoComplete="off"
            {...form.register('url', { required: 'Give the endpoint’s URL' })}
          />
        )}
      </Field>
      <fieldset aria-describedby={eventsError ? 'webhook-events-error' : undefined}>
        <legend>Events</legend>
        <label className="check">
          <input type="checkbox" {...form.register('everyEvent')} /> Every event
        </label>
        {EVENT_FAMILIES.map((family) => (
          <label key={family.pattern} className="check">
            <input
              type="checkbox"
              value={family.pattern}
              disabled={everyEvent}
              {...form.register('families', {
                validate: (chosen) =>
                  form.getValues('everyEvent') ||
                  chosen.length > 0 ||
                  listFromText(form.getValues('otherTypes')).length > 0 ||
                  'Choose the events to send',
              })}
            />{' '}
            {family.words}
          </label>
        ))}
        {eventsError ? (
          <p id="webhook-events-error" className="field-error">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <Field
        id="webhook-other-types"
        label="Other event types"
        hint="Exact types, comma-separated, e.g. registration.decided, conflict.resolved"
      >
        {(control) => <input {...control} disabled={everyEvent} {...form.register('otherTypes')} />}
      </Field>
      <Field
        id="webhook-partner"
        label="Only the events of"
        hint="A partner’s own system gets that partner’s events only, as that partner sees them"
        error={apiFieldError(create.error, 'partnerId')}
      >
        {(control) => (
          <select {...control} {...form.register('partnerId')}>
            <option value="">every partner</option>
            {(partners.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id="webhook-owner"
        label="Owner’s email"
        hint="Told when the endpoint has failed for 3 days and the webhook is disabled"
        error={apiFieldError(create.error, 'ownerEmail')}
      >
        {(control) => <input {...control} type="email" autoComplete="email" {...form.register('ownerEmail')} />}
      </Field>
      <ErrorNotice error={unplacedError(create.error, PATHS)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}
