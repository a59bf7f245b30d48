import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ApiProblem, describeError } from '../../../api/problem';
import { Field } from '../../../ui/Field';
import type { Registration } from './words';

// The manager's decision on a registration under review. The API requires a reason for every
// outcome (1–2000 characters); the form says so before sending, and shows the API's own refusal
// at the field or above the buttons.

type Outcome = 'approve' | 'reject' | 'request_info';
const DECISION_NOUNS: Record<Outcome, string> = {
  approve: 'approval',
  reject: 'rejection',
  request_info: 'request for information',
};

export function DecisionForm({
  registration,
  onDecided,
}: {
  registration: Registration;
  onDecided: (outcome: string) => void;
}) {
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome>('approve');
  const form = useForm<{ reason: string }>({ defaultValues: { reason: '' } });
  const decide = useMutation({
    mutationFn: (body: { outcome: Outcome; reason: string }) =>
      call(api.POST('/api/registrations/{id}/decision', { params: { path: { id: registration.id } }, body })),
    onSuccess: (decided, body) => {
      queryClient.setQueryData(['registration', registration.id], decided);
      void queryClient.invalidateQueries({ queryKey: ['inbox'] });
      form.reset({ reason: '' });
      onDecided(outcomeInWords(body.outcome, decided));
    },
  });
  const problem = decide.error instanceof ApiProblem ? decide.error : undefined;
  const reasonError = form.formState.errors.reason?.message ?? problem?.forField('reason');
  const generalError = decide.error && !problem?.forField('reason') ? decide.error : undefined;

  const submitAs = (chosen: Outcome) =>
    form.handleSubmit((values) => {
      setOutcome(chosen);
      decide.mutate({ outcome: chosen, reason: values.reason.trim() });
    });

  return (
    <form className="inbox-action" aria-labelledby="decision-heading" noValidate onSubmit={(e) => e.preventDefault()}>
      <h3 id="decision-heading">Your decision</h3>
      <Field
        id="decision-reason"
        label="Reason"
        hint="Required for every decision; the partner sees it."
        error={reasonError}
      >
        {(control) => (
          <textarea
            {...control}
            {...form.register('reason', {
              validate: (value) => (value.trim() ? true : 'A reason is required: the partner reads it.'),
              maxLength: { value: 2000, message: 'At most 2000 characters.' },
            })}
          />
        )}
      </Field>
      {generalError ? (
        <p role="alert" className="notice notice-error">
          Your {DECISION_NOUNS[outcome]} was not recorded: {describeError(generalError)}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" className="primary" disabled={decide.isPending} onClick={submitAs('approve')}>
          Approve
        </button>
        <button type="button" className="danger" disabled={decide.isPending} onClick={submitAs('reject')}>
          Reject
        </button>
        <button type="button" disabled={decide.isPending} onClick={submitAs('request_info')}>
          Request info
        </button>
      </div>
    </form>
  );
}

function outcomeInWords(outcome: Outcome, decided: Registration): string {
  const status = decided.status.replace(/_/g, ' ');
  if (outcome === 'request_info')
    return `Information requested. The partner is asked to answer; the review clock is paused (status: ${status}).`;
  return `${outcome === 'approve' ? 'Approved' : 'Rejected'}. The partner is told your reason; the registration has left your inbox (status: ${status}).`;
}
