import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { Due } from '../../../ui/time';
import { aRole, roleInWords, type Registration } from './words';

// Who holds the ball on a registration, and until when: every waiting item says both.

export function useConflictCase(conflictId: string | undefined) {
  return useQuery({
    queryKey: ['conflict', conflictId],
    enabled: Boolean(conflictId),
    queryFn: () => call(api.GET('/api/conflicts/{id}', { params: { path: { id: conflictId! } } })),
  });
}

/** "Waiting on: channel manager — due in 1 d 2 h", "Waiting on: you — …", or "Nobody: it has ended". */
export function WaitingOn({ registration }: { registration: Registration }) {
  const conflict = useConflictCase(registration.status === 'in_conflict' ? registration.conflictId : undefined);
  const { status, review, expiresAt } = registration;
  if (status === 'pending_review' && review)
    return (
      <span className="waiting-on">
        Waiting on: {roleInWords(review.assigneeRole)} — <Due at={review.dueAt} showTime={false} />
      </span>
    );
  if (status === 'info_requested')
    return (
      <span className="waiting-on">
        Waiting on: you — answer the reviewer’s question; no deadline: the review clock is stopped until you do
      </span>
    );
  if (status === 'in_conflict') {
    const c = conflict.data;
    return (
      <span className="waiting-on">
        Waiting on: {c ? roleInWords(c.assigneeRole) : 'a manager'} (conflict case)
        {c?.dueAt ? (
          <>
            {' '}
            — <Due at={c.dueAt} showTime={false} />
          </>
        ) : null}
      </span>
    );
  }
  if (status === 'approved' && expiresAt)
    return (
      <span className="waiting-on">
        Waiting on: nobody — protected; <Due at={expiresAt} verb="expires" showTime={false} />
      </span>
    );
  return <span className="waiting-on">Nobody — it has ended</span>;
}

/** What happens next, in one sentence with its due time (the answer after registering, the detail). */
export function NextStep({ registration }: { registration: Registration }) {
  const conflict = useConflictCase(registration.status === 'in_conflict' ? registration.conflictId : undefined);
  const { status, review, expiresAt } = registration;
  if (status === 'pending_review' && review) {
    const who = aRole(review.assigneeRole);
    return (
      <p>
        {who.charAt(0).toUpperCase() + who.slice(1)} reviews it — <Due at={review.dueAt} />. If nobody decides by then,
        it moves up the escalation ladder by itself.
      </p>
    );
  }
  if (status === 'info_requested') {
    const question = [...registration.timeline].reverse().find((entry) => entry.event === 'info_requested');
    return (
      <>
        <p>
          The reviewer asked you a question: answer it with “Answer”. The review clock waits for you, without a
          deadline.
        </p>
        {question ? (
          <blockquote className="reviewer-question" aria-label="The reviewer’s question">
            {question.detail}
          </blockquote>
        ) : null}
      </>
    );
  }
  if (status === 'in_conflict') {
    const c = conflict.data;
    return (
      <p>
        Someone else has a claim on this account and product line. A conflict case decides who gets it
        {c ? <> — {aRole(c.assigneeRole)} resolves it</> : null}
        {c?.dueAt ? (
          <>
            , <Due at={c.dueAt} />
          </>
        ) : null}
        . See “My conflict cases”.
      </p>
    );
  }
  if (status === 'approved' && expiresAt)
    return (
      <p>
        The account and product line are protected for you — <Due at={expiresAt} verb="expires" />. Post updates as the
        deal moves, and close it as won or lost.
      </p>
    );
  if (status === 'rejected') return <p>Nothing more happens: a rejected registration claims nothing.</p>;
  return <p>It has ended; nothing more happens.</p>;
}
