import { DecisionFeedback } from '../DecisionFeedback';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../../api/client';
import { ErrorNotice, Loading, StatusBadge } from '../../../ui/notices';
import { When } from '../../../ui/time';
import { NextStep, WaitingOn } from './ballHolder';
import { RegistrationActions } from './RegistrationActions';
import { rulesNotInReason, type Registration } from './words';

// One registration beside the list: where it stands, who holds the ball, what may be done, its story.

export function RegistrationDetail({ id }: { id: string }) {
  const registration = useQuery({
    queryKey: ['registrations', 'one', id],
    queryFn: () => call(api.GET('/api/registrations/{id}', { params: { path: { id } } })),
  });
  if (registration.isPending) return <Loading what="the registration" />;
  if (registration.isError)
    return (
      <section className="card" aria-label="Registration">
        <ErrorNotice error={registration.error} />
        <Link to="/registrations">Back to the list</Link>
      </section>
    );
  return <Detail registration={registration.data} />;
}

function Detail({ registration: r }: { registration: Registration }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // On a phone the detail sits below the list: bring the chosen registration into view.
    if (window.matchMedia('(max-width: 800px)').matches) heading.current?.scrollIntoView({ block: 'start' });
  }, []);
  return (
    <section className="card registration-detail" aria-labelledby="detail-heading">
      <h2 id="detail-heading" ref={heading}>
        {r.account.name} — {r.opportunity.productLine}
      </h2>
      <p className="detail-status" role="status">
        Status: <StatusBadge status={r.status} />
      </p>
      <p className="detail-waiting">
        <WaitingOn registration={r} />
      </p>
      <dl className="facts">
        <dt>Deal</dt>
        <dd>{r.opportunity.title}</dd>
        <dt>Domain</dt>
        <dd>{r.account.domain}</dd>
        <dt>Region</dt>
        <dd>{r.account.region}</dd>
        <dt>Amount</dt>
        <dd>{formatMoney(r.opportunity.amount)}</dd>
        <dt>Expected close</dt>
        <dd>{r.opportunity.expectedCloseDate}</dd>
        <dt>Registered</dt>
        <dd>
          <When at={r.submittedAt} /> under policy version {r.policyVersion}
        </dd>
        {r.expiresAt ? (
          <>
            <dt>Protected until</dt>
            <dd>
              <When at={r.expiresAt} />
              {r.extensions.length ? ` (extended ${r.extensions.length}×)` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {r.decision ? (
        <p>
          <strong>Decision:</strong> {r.decision.reason}
          {rulesNotInReason(r.decision).length ? ` (rule ${rulesNotInReason(r.decision).join(', ')})` : ''}
        </p>
      ) : null}
      <div className="next-step">
        <strong>What happens next:</strong> <NextStep registration={r} />
      </div>
      <RegistrationActions key={r.id} registration={r} />
      {r.decision && (r.decision.outcome === 'approved' || r.decision.outcome === 'rejected') ? (
        <DecisionFeedback kind="registration" id={r.id} decidedAt={r.decision.decidedAt} />
      ) : null}
      <section aria-labelledby="timeline-heading">
        <h3 id="timeline-heading">Timeline</h3>
        <ol className="timeline">
          {r.timeline.map((entry, i) => (
            <li key={`${entry.at}-${i}`}>
              <span className="when">
                <When at={entry.at} />
              </span>
              <div>
                <strong>{eventInWords(entry.event)}</strong>
                {entry.detail ? <> — {entry.detail}</> : null}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

const EVENT_WORDS: Record<string, string> = {
  submitted: 'Registered',
  evaluated: 'Evaluated by the rules',
  review_escalated: 'Review moved up the ladder',
  review_overdue: 'Review overdue',
  conflict_reopened: 'Conflict case reopened',
  stale: 'No update for a while',
  stale_released: 'Released for lack of updates',
  approved: 'Approved',
  rejected: 'Rejected',
  pending_review: 'Sent to review',
  info_requested: 'Information requested',
  info_provided: 'You answered',
  in_conflict: 'Conflict case opened',
  extended: 'Protection extended',
  progress_update: 'Update',
  closed_won: 'Closed as won',
  closed_lost: 'Closed as lost',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

const eventInWords = (event: string): string => {
  const words = EVENT_WORDS[event] ?? event.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function formatMoney(amount: { value: number; currency: string }): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency: amount.currency }).format(amount.value);
  } catch {
    return `${amount.value} ${amount.currency}`;
  }
}
