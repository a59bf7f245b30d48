import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { usePrincipal } from '../../../auth/session';
import { ErrorNotice, Loading } from '../../../ui/notices';
import { useNow, When, Due } from '../../../ui/time';
import { DecisionForm } from './DecisionForm';
import { Timeline } from './Timeline';
import { DetailCard } from './DetailCard';
import { eventInWords, holderInWords, moneyInWords, type Registration } from './words';

// A registration opened beside the inbox: what the partner claims, what happened so far, and the
// decision while it waits for one.

export function RegistrationReview({ id, partnerName }: { id: string; partnerName: (id: string) => string }) {
  const registration = useQuery({
    queryKey: ['registration', id],
    queryFn: () => call(api.GET('/api/registrations/{id}', { params: { path: { id } } })),
  });
  const [outcome, setOutcome] = useState<string>();
  if (registration.isPending) return <Loading what="the registration" />;
  if (registration.isError) return <ErrorNotice error={registration.error} />;
  const r = registration.data;
  return (
    <DetailCard
      title={`Registration of ${r.account.name} by ${partnerName(r.partnerId)}`}
      status={r.status}
      waitingOn={<WaitingOn registration={r} />}
      outcome={outcome}
    >
      <RegistrationFacts registration={r} />
      {r.possibleDuplicates.length > 0 ? (
        <p className="notice notice-warning">
          Possible duplicate of {r.possibleDuplicates.map((d) => `${d.name} (${d.domain})`).join(', ')}: check before
          approving.
        </p>
      ) : null}
      {r.status === 'pending_review' ? <DecisionForm registration={r} onDecided={setOutcome} /> : null}
      {r.decision && r.status !== 'pending_review' && r.status !== 'info_requested' ? (
        <p>
          Decision: {r.decision.outcome.replace(/_/g, ' ')} — “{r.decision.reason}” ({r.decision.decidedBy},{' '}
          <When at={r.decision.decidedAt} />)
        </p>
      ) : null}
      <h3>Timeline</h3>
      <Timeline entries={r.timeline} describe={(e) => eventInWords(e)} />
    </DetailCard>
  );
}

function WaitingOn({ registration: r }: { registration: Registration }) {
  const myRoles = usePrincipal().escalationRoles;
  const now = useNow(1_000);
  if (r.status === 'info_requested') return <span>Waiting on: the partner, to answer the request for information</span>;
  if (!r.review || r.status !== 'pending_review') return null;
  return (
    <span>
      Waiting on: {holderInWords(r.review.assigneeRole, myRoles)}, <Due at={r.review.dueAt} now={now} />
      {r.review.breaches > 0 ? ` · SLA breached ${r.review.breaches} time${r.review.breaches > 1 ? 's' : ''}` : ''}
    </span>
  );
}

function RegistrationFacts({ registration: r }: { registration: Registration }) {
  return (
    <dl className="facts">
      <dt>Account</dt>
      <dd>
        {r.account.name} ({r.account.domain}), region {r.account.region.toUpperCase()}
        {r.account.segment ? `, ${r.account.segment.replace(/_/g, ' ')}` : ''}
      </dd>
      <dt>Opportunity</dt>
      <dd>{r.opportunity.title}</dd>
      <dt>Product line</dt>
      <dd>{r.opportunity.productLine}</dd>
      <dt>Amount</dt>
      <dd>{moneyInWords(r.opportunity.amount)}</dd>
      <dt>Expected close</dt>
      <dd>{r.opportunity.expectedCloseDate}</dd>
      <dt>Submitted</dt>
      <dd>
        <When at={r.submittedAt} /> under policy v{r.policyVersion}
      </dd>
      {r.decision && (r.status === 'pending_review' || r.status === 'info_requested') ? (
        <>
          <dt>Why it is reviewed</dt>
          <dd>{r.decision.reason}</dd>
        </>
      ) : null}
      {r.conflictId ? (
        <>
          <dt>Conflict case</dt>
          <dd>
            <Link to={`/inbox/conflict/${r.conflictId}`}>{r.conflictId}</Link>
          </dd>
        </>
      ) : null}
      {r.expiresAt ? (
        <>
          <dt>Protected until</dt>
          <dd>
            <When at={r.expiresAt} />
          </dd>
        </>
      ) : null}
    </dl>
  );
}
