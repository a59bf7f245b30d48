import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import { ErrorNotice } from '../../../ui/notices';
import { localTime, useNow } from '../../../ui/time';
import { durationInWords, durationMillis, noticePeriodOf, type PolicyVersion } from './policyWords';

/**
 * Publishing a draft: the notice period starts now, and the version takes effect at its end (or
 * on a later date). The date is shown before anything is sent.
 */
export function PublishPanel({ policy }: { policy: PolicyVersion }) {
  const queryClient = useQueryClient();
  const now = useNow(1_000);
  const [confirming, setConfirming] = useState(false);
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [published, setPublished] = useState<string>();
  const notice = noticePeriodOf(policy);
  const earliest = now + durationMillis(notice);
  const chosen = effectiveFrom ? Date.parse(effectiveFrom) : undefined;
  // The API refuses a date before the notice period ends; say so in words before it is sent.
  const tooEarly = chosen !== undefined && chosen < earliest;
  const takesEffect = new Date(chosen ?? earliest).toISOString();
  const earliestInWords = `The earliest date is ${localTime(new Date(earliest).toISOString())}: partners get a notice period of ${durationInWords(notice)} first.`;

  const publish = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/policies/{version}/publish', {
          params: { path: { version: policy.version } },
          body: effectiveFrom ? { effectiveAt: new Date(effectiveFrom).toISOString() } : {},
        }),
      ),
    onSuccess: async (answer) => {
      setPublished(answer.effectiveAt);
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['policies'] });
    },
  });
  const refusedByApi = publish.error instanceof ApiProblem && publish.error.forField('effectiveAt') !== undefined;
  const effectiveError = tooEarly || refusedByApi ? earliestInWords : undefined;

  if (published)
    return (
      <p role="status" className="notice notice-ok">
        Published version {policy.version}: it takes effect on {localTime(published)}, after a notice period of{' '}
        {durationInWords(notice)}. Partners are told now.
      </p>
    );
  if (policy.status !== 'draft') return null;
  if (!confirming)
    return (
      <div className="actions">
        <button type="button" className="primary" onClick={() => setConfirming(true)}>
          Publish
        </button>
      </div>
    );
  return (
    <section className="card publish-confirm" aria-labelledby="publish-heading">
      <h3 id="publish-heading">Publish version {policy.version}</h3>
      <div className="field">
        <label htmlFor="publish-effective">Effective from (optional)</label>
        <input
          id="publish-effective"
          type="datetime-local"
          value={effectiveFrom}
          min={localInputValue(earliest)}
          onChange={(event) => {
            publish.reset();
            setEffectiveFrom(event.target.value);
          }}
          aria-invalid={effectiveError ? 'true' : undefined}
          aria-describedby={`publish-effective-hint${effectiveError ? ' publish-effective-error' : ''}`}
        />
        <p className="field-hint" id="publish-effective-hint">
          Empty: as soon as the notice period ends. A date before that is refused.
        </p>
        {effectiveError ? (
          <p className="field-error" id="publish-effective-error">
            {effectiveError}
          </p>
        ) : null}
      </div>
      {tooEarly ? null : (
        <p className="notice notice-info" id="publish-notice-date">
          Takes effect on {localTime(takesEffect)}, after a notice period of {durationInWords(notice)}. Every partner is
          told today and asked to acknowledge; deals already registered keep their rules.
        </p>
      )}
      {publish.error && !effectiveError ? <ErrorNotice error={publish.error} /> : null}
      <div className="actions">
        <button
          type="button"
          className="primary"
          aria-describedby={tooEarly ? 'publish-effective-error' : 'publish-notice-date'}
          disabled={publish.isPending || tooEarly}
          onClick={() => publish.mutate()}
        >
          {publish.isPending ? 'Publishing…' : 'Confirm publish'}
        </button>
        <button type="button" onClick={() => setConfirming(false)}>
          Not now
        </button>
      </div>
    </section>
  );
}

/** A datetime-local input's value for an instant, in the viewer's zone ("2026-12-31T13:05"). */
function localInputValue(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
