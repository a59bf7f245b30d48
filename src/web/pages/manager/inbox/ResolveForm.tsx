import { useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ApiProblem, describeError } from '../../../api/problem';
import { Field } from '../../../ui/Field';
import type { ConflictCase } from './words';

// "Resolve": award the account to one party's registration, keep it direct, co-sell it, or give
// it to no one — the choices the API's resolution body names — always with a reason.

export interface AwardChoice {
  award: string;
  label: string;
}

export function ResolveForm({
  conflict,
  choices,
  onResolved,
}: {
  conflict: ConflictCase;
  choices: AwardChoice[];
  onResolved: (outcome: string) => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<{ award: string; reason: string }>({ defaultValues: { award: '', reason: '' } });
  const resolve = useMutation({
    mutationFn: (body: { award: string; reason: string }) =>
      call(api.POST('/api/conflicts/{id}/resolution', { params: { path: { id: conflict.id } }, body })),
    onSuccess: (resolved, body) => {
      queryClient.setQueryData(['conflict', conflict.id], resolved);
      void queryClient.invalidateQueries({ queryKey: ['inbox'] });
      const chosen = choices.find((c) => c.award === body.award)?.label ?? body.award;
      onResolved(
        `Resolved: ${chosen}. The parties are told your reason; the case has left your inbox (status: ${resolved.status.replace(/_/g, ' ')}).`,
      );
    },
  });
  const problem = resolve.error instanceof ApiProblem ? resolve.error : undefined;
  const awardError = form.formState.errors.award?.message ?? problem?.forField('award');
  const reasonError = form.formState.errors.reason?.message ?? problem?.forField('reason');
  const generalError =
    resolve.error && !problem?.forField('award') && !problem?.forField('reason') ? resolve.error : undefined;

  return (
    <form
      className="inbox-action"
      aria-labelledby="resolve-heading"
      noValidate
      onSubmit={form.handleSubmit((values) => resolve.mutate({ award: values.award, reason: values.reason.trim() }))}
    >
      <h3 id="resolve-heading">Your resolution</h3>
      <fieldset aria-describedby={awardError ? 'resolve-award-error' : undefined}>
        <legend>Award the account to</legend>
        {choices.map((choice) => (
          <div key={choice.award} className="choice">
            <input
              type="radio"
              id={`award-${choice.award}`}
              value={choice.award}
              aria-invalid={awardError ? true : undefined}
              {...form.register('award', { required: 'Choose who gets the account.' })}
            />
            <label htmlFor={`award-${choice.award}`}>{choice.label}</label>
          </div>
        ))}
        {awardError ? (
          <p id="resolve-award-error" className="field-error">
            {awardError}
          </p>
        ) : null}
      </fieldset>
      <Field id="resolve-reason" label="Reason" hint="Required; every party sees it." error={reasonError}>
        {(control) => (
          <textarea
            {...control}
            {...form.register('reason', {
              validate: (value) => (value.trim() ? true : 'A reason is required: the parties read it.'),
              maxLength: { value: 2000, message: 'At most 2000 characters.' },
            })}
          />
        )}
      </Field>
      {generalError ? (
        <p role="alert" className="notice notice-error">
          The case was not resolved: {describeError(generalError)}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={resolve.isPending}>
          Resolve
        </button>
      </div>
    </form>
  );
}
