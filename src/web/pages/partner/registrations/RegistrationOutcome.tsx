import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../../api/client';
import { StatusBadge } from '../../../ui/notices';
import { NextStep } from './ballHolder';
import { rulesNotInReason, type Registration } from './words';

// The answer to "Register": the status it got, why, and what happens next and by when.

const HEADLINE: Record<string, string> = {
  approved: 'Registered and approved',
  pending_review: 'Registered — waiting for review',
  in_conflict: 'Registered — in a conflict case',
  rejected: 'Not accepted',
  submitted: 'Registered — being evaluated',
};

export function RegistrationOutcome({
  registration: registered,
  onAnother,
}: {
  registration: Registration;
  onAnother(): void;
}) {
  // Live from here on: a manager's decision shows without a reload.
  const { data: registration = registered } = useQuery({
    queryKey: ['registrations', 'one', registered.id],
    queryFn: () => call(api.GET('/api/registrations/{id}', { params: { path: { id: registered.id } } })),
    initialData: registered,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card registration-outcome" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading" tabIndex={-1} ref={heading}>
        {HEADLINE[registration.status] ?? 'Registered'}
      </h2>
      <div role="status">
        <p>
          {registration.account.name} ({registration.account.domain}), {registration.opportunity.productLine}:{' '}
          <StatusBadge status={registration.status} />
        </p>
        {registration.decision ? (
          <p>
            <strong>Why:</strong> {registration.decision.reason}
            {rulesNotInReason(registration.decision).length ? (
              <> (rule {rulesNotInReason(registration.decision).join(', ')})</>
            ) : null}
          </p>
        ) : null}
        <div className="next-step">
          <strong>What happens next:</strong> <NextStep registration={registration} />
        </div>
      </div>
      <div className="actions">
        <Link to={`/registrations/${registration.id}`}>Open it in My registrations</Link>
        <button type="button" onClick={onAnother}>
          Register another deal
        </button>
      </div>
    </section>
  );
}
