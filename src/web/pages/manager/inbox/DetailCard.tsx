import type { ReactNode } from 'react';
import { StatusBadge } from '../../../ui/notices';
import { focusOnOpen } from './focusOnOpen';

// The head every item opened beside the inbox starts with: its heading (focused on opening), its
// status and who holds the ball, and the outcome of the manager's last action in words.

export function DetailCard({
  title,
  status,
  waitingOn,
  outcome,
  children,
}: {
  title: ReactNode;
  status: string;
  waitingOn: ReactNode;
  outcome?: string;
  children: ReactNode;
}) {
  return (
    <article className="card inbox-detail" aria-labelledby="detail-heading">
      <h2 id="detail-heading" tabIndex={-1} ref={focusOnOpen}>
        {title}
      </h2>
      <p>
        <StatusBadge status={status} /> {waitingOn}
      </p>
      {outcome ? (
        <p role="status" className="notice notice-ok">
          {outcome}
        </p>
      ) : null}
      {children}
    </article>
  );
}
