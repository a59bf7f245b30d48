import type { ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import { ErrorNotice } from '../../../ui/notices';

interface StartValues {
  policyVersion: string;
  sponsorName: string;
  sponsorEmail: string;
}

const FIELD_PATHS: Record<keyof StartValues, string> = {
  policyVersion: 'policyVersion',
  sponsorName: 'sponsor.name',
  sponsorEmail: 'sponsor.email',
};

/** Launches the rollout of a draft: the six stages with the playbook's checklists, due a week after each opens. */
export function StartRollout({ onStarted }: { onStarted: (id: string) => void }) {
  const queryClient = useQueryClient();
  const drafts = useQuery({
    queryKey: ['policies', 'list', 'draft'],
    queryFn: () => call(api.GET('/api/policies', { params: { query: { limit: 500, status: 'draft' } } })),
  });
  const { register, handleSubmit, setError, formState } = useForm<StartValues>({
    defaultValues: { policyVersion: '', sponsorName: '', sponsorEmail: '' },
  });
  const start = useMutation({
    mutationFn: (values: StartValues) =>
      call(
        api.POST('/api/rollouts', {
          body: {
            policyVersion: Number(values.policyVersion),
            sponsor: { name: values.sponsorName.trim(), email: values.sponsorEmail.trim() },
          },
        }),
      ),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries();
      onStarted(answer.id);
    },
    onError: (error) => {
      if (!(error instanceof ApiProblem)) return;
      for (const [name, path] of Object.entries(FIELD_PATHS)) {
        const message = error.forField(path);
        if (message) setError(name as keyof StartValues, { type: 'server', message });
      }
    },
  });
  const openDrafts = (drafts.data?.items ?? []).filter((p) => !p.frozen);
  const fieldError = (name: keyof StartValues) => formState.errors[name]?.message;
  const atNoField =
    start.error instanceof ApiProblem &&
    Object.values(FIELD_PATHS).some((p) => start.error instanceof ApiProblem && start.error.forField(p))
      ? undefined
      : start.error;

  const field = (name: keyof StartValues, label: string, input: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={`start-${name}`}>{label}</label>
      {input}
      {hint ? (
        <p className="field-hint" id={`start-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {fieldError(name) ? (
        <p className="field-error" id={`start-${name}-error`}>
          {fieldError(name)}
        </p>
      ) : null}
    </div>
  );
  const a11y = (name: keyof StartValues, hint = false) => ({
    id: `start-${name}`,
    'aria-invalid': fieldError(name) ? ('true' as const) : undefined,
    'aria-describedby':
      [hint ? `start-${name}-hint` : '', fieldError(name) ? `start-${name}-error` : ''].filter(Boolean).join(' ') ||
      undefined,
  });

  return (
    <form
      className="card"
      noValidate
      onSubmit={handleSubmit((values) => start.mutate(values))}
      aria-labelledby="start-heading"
    >
      <h2 id="start-heading">Start a rollout</h2>
      <div className="start-fields">
        {field(
          'policyVersion',
          'Policy version',
          <select
            {...a11y('policyVersion', true)}
            {...register('policyVersion', { required: 'choose a draft to roll out' })}
          >
            <option value="">Choose a draft…</option>
            {openDrafts.map((p) => (
              <option key={p.version} value={p.version}>
                Version {p.version}: {p.title}
              </option>
            ))}
          </select>,
          'Only drafts can be rolled out; Enable publishes it.',
        )}
        {field(
          'sponsorName',
          'Sponsor name',
          <input {...a11y('sponsorName')} autoComplete="name" {...register('sponsorName', { required: 'required' })} />,
        )}
        {field(
          'sponsorEmail',
          'Sponsor email',
          <input
            {...a11y('sponsorEmail')}
            type="email"
            autoComplete="email"
            {...register('sponsorEmail', {
              required: 'required',
              pattern: {
                value: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
                message: 'expected an email address, such as sam@vendor.example',
              },
            })}
          />,
        )}
      </div>
      {atNoField ? <ErrorNotice error={atNoField} /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : 'Start rollout'}
        </button>
      </div>
    </form>
  );
}
