import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ErrorNotice } from '../../../ui/notices';
import { STAGE_TITLES, type Stage } from './rolloutWords';

/** Approve the current stage, or request changes, with a comment the others read. */
export function SignOffForm({ rolloutId, stage }: { rolloutId: string; stage: Stage['name'] }) {
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<'approve' | 'request_changes'>('approve');
  const [comment, setComment] = useState('');
  const [outcome, setOutcome] = useState<string>();
  const signOff = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/rollouts/{id}/stages/{stage}/sign-offs', {
          params: { path: { id: rolloutId, stage } },
          body: { decision, comment: comment.trim() },
        }),
      ),
    onSuccess: (rollout) => {
      queryClient.setQueryData(['rollouts', rolloutId], rollout);
      setOutcome(
        decision === 'approve'
          ? `You approved ${STAGE_TITLES[stage]}.`
          : `You requested changes on ${STAGE_TITLES[stage]}.`,
      );
      setComment('');
      void queryClient.invalidateQueries({ queryKey: ['rollouts'] });
    },
  });
  const id = `signoff-${stage}`;
  return (
    <form
      className="signoff-form"
      onSubmit={(event) => {
        event.preventDefault();
        setOutcome(undefined);
        signOff.mutate();
      }}
    >
      <fieldset>
        <legend>Sign off {STAGE_TITLES[stage]}</legend>
        <div className="signoff-decisions">
          <label className="choice">
            <input
              type="radio"
              name={`${id}-decision`}
              checked={decision === 'approve'}
              onChange={() => setDecision('approve')}
            />{' '}
            Approve
          </label>
          <label className="choice">
            <input
              type="radio"
              name={`${id}-decision`}
              checked={decision === 'request_changes'}
              onChange={() => setDecision('request_changes')}
            />{' '}
            Request changes
          </label>
        </div>
        <div className="field">
          <label htmlFor={`${id}-comment`}>Comment</label>
          <textarea
            id={`${id}-comment`}
            rows={2}
            value={comment}
            maxLength={2000}
            onChange={(event) => setComment(event.target.value)}
          />
        </div>
        <button type="submit" className="primary" disabled={signOff.isPending}>
          Sign off
        </button>
      </fieldset>
      {outcome ? (
        <p role="status" className="notice notice-ok">
          {outcome}
        </p>
      ) : null}
      <ErrorNotice error={signOff.error} />
    </form>
  );
}
