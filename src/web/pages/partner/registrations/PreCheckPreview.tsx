import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, call } from '../../../api/client';
import { ApiProblem, describeError } from '../../../api/problem';
import { Due, When } from '../../../ui/time';
import { PREVIEW_OUTCOME, aRole, type PreCheck, type RegistrationBody } from './words';

// The live pre-check: once the form is complete, what the rules in effect would do with it now.
// A dry run (POST /api/registrations/pre-check) — it claims nothing, and says so.

/** `value`, once it has stopped changing for `ms`. */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function usePreCheck(body: RegistrationBody | undefined) {
  const json = useSettled(body ? JSON.stringify(body) : undefined, 500);
  return useQuery({
    queryKey: ['registration-pre-check', json],
    enabled: Boolean(json),
    retry: false,
    placeholderData: keepPreviousData,
    queryFn: () => call(api.POST('/api/registrations/pre-check', { body: JSON.parse(json!) as RegistrationBody })),
  });
}

export function PreCheckPreview({
  complete,
  preCheck,
}: {
  complete: boolean;
  preCheck: ReturnType<typeof usePreCheck>;
}) {
  return (
    <section className="card pre-check" aria-labelledby="pre-check-heading" aria-live="polite">
      <h2 id="pre-check-heading">Preview: what the rules would do</h2>
      <p className="field-hint">
        A preview only — it claims nothing and reserves nothing. Only “Register” registers the deal.
      </p>
      <PreviewBody complete={complete} preCheck={preCheck} />
    </section>
  );
}

function PreviewBody({ complete, preCheck }: { complete: boolean; preCheck: ReturnType<typeof usePreCheck> }) {
  if (!complete) return <p className="empty">Fill in every field and the preview appears here.</p>;
  if (preCheck.isError) {
    const e = preCheck.error;
    const words =
      e instanceof ApiProblem && e.fieldErrors.length > 0
        ? 'The rules cannot be previewed until the marked fields are corrected.'
        : describeError(e);
    return <p className="notice notice-warning">{words}</p>;
  }
  const answer = preCheck.data;
  if (!answer || preCheck.isPlaceholderData) return <p className="loading">Checking the rules…</p>;
  return (
    <div className={`notice pre-check-${answer.outcome}`} data-testid="pre-check-answer">
      <p className="pre-check-outcome">
        <strong>{PREVIEW_OUTCOME[answer.outcome]}</strong>
        {answer.ruleIds.length ? (
          <>
            {' '}
            under <RuleList ids={answer.ruleIds} />
          </>
        ) : null}{' '}
        (policy version {answer.policyVersion}).
      </p>
      <p>{answer.reason}</p>
      <p>
        <NextIfSubmitted answer={answer} />
      </p>
    </div>
  );
}

/** "rule R-DEFAULT", "rules R-DEFAULT and AUTO-APPROVE": each id kept on one line. */
function RuleList({ ids }: { ids: string[] }) {
  const id = (x: string) => (
    <span key={x} className="rule-id">
      {x}
    </span>
  );
  if (ids.length === 1) return <>rule {id(ids[0])}</>;
  return (
    <>
      rules {ids.slice(0, -1).map((x, i) => (i ? [', ', id(x)] : id(x)))} and {id(ids[ids.length - 1])}
    </>
  );
}

/** What registering would lead to, with its times in the viewer's words (the API's sentence uses ISO durations). */
function NextIfSubmitted({ answer }: { answer: PreCheck }) {
  if (answer.outcome === 'approved' && answer.expiresAt)
    return (
      <>
        Registering now approves it at once and protects the account and product line for you until{' '}
        <When at={answer.expiresAt} />.
      </>
    );
  if (answer.outcome === 'pending_review' && answer.review)
    return (
      <>
        Registering now claims the account and product line and sends it to {aRole(answer.review.assigneeRole)}; the
        review would be <Due at={answer.review.dueAt} />.
      </>
    );
  return <>{answer.nextStep}</>;
}
