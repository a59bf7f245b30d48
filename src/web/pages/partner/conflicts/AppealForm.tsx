import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { api, call } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import type { ConflictCase } from '../../../api/types';
import { ErrorNotice } from '../../../ui/notices';
import { roleWords } from './caseWords';

/** The losing partner's one appeal: a reason, and the case reopens one tier up. */
export function AppealForm({ conflict }: { conflict: ConflictCase }) {
  const queryClient = useQueryClient();
  const { register, handleSubmit, formState, reset } = useForm<{ reason: string }>({ defaultValues: { reason: '' } });
  const appeal = useMutation({
    mutationFn: (reason: string) =>
      call(api.POST('/api/conflicts/{id}/appeal', { params: { path: { id: conflict.id } }, body: { reason } })),
    onSuccess: (reopened) => {
      queryClient.setQueryData(['conflict', conflict.id], reopened);
      void queryClient.invalidateQueries({ queryKey: ['conflicts'] });
      reset();
    },
  });
  const problem = appeal.error instanceof ApiProblem ? appeal.error : undefined;
  const fieldError = formState.errors.reason?.message ?? problem?.forField('reason');
  const id = `appeal-reason-${conflict.id}`;

  return (
    <form
      className="appeal"
      noValidate
      onSubmit={handleSubmit((values) => appeal.mutate(values.reason.trim()))}
      aria-label="Appeal the decision"
    >
      <div className="field">
        <label htmlFor={id}>Reason</label>
        <textarea
          id={id}
          rows={3}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={`${id}-hint${fieldError ? ` ${id}-error` : ''}`}
          {...register('reason', {
            validate: (value) => value.trim().length > 0 || 'Say why the decision should be looked at again.',
            maxLength: { value: 2000, message: 'At most 2,000 characters.' },
          })}
        />
        <p id={`${id}-hint`} className="field-hint">
          You may appeal once. The case then goes one level up the ladder.
        </p>
        {fieldError ? (
          <p id={`${id}-error`} className="field-error">
            {fieldError}
          </p>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={appeal.isPending}>
          Appeal
        </button>
      </div>
      <p role="status">
        {appeal.isPending
          ? 'Sending your appeal…'
          : appeal.data
            ? `Your appeal was received: the case is open again at tier ${appeal.data.tier}, with the ${roleWords(appeal.data.assigneeRole)}.`
            : ''}
      </p>
      {problem && !problem.forField('reason') ? <ErrorNotice error={problem} /> : null}
    </form>
  );
}
