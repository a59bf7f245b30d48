import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { ErrorNotice, Loading } from '../../ui/notices';
import './emailAction.css';

// The page an email's action link opens (/act/<token>), signed in or not: it says what the link
// would do and does it only when the person confirms. Opening it changes nothing, so a mail
// scanner that follows the link does no harm; a used, expired or stale link says so.

export default function EmailAction({ token }: { token: string }) {
  const queryClient = useQueryClient();
  const key = ['email-action', token];
  const link = useQuery({
    queryKey: key,
    queryFn: () => call(api.GET('/api/email-actions/{token}', { params: { path: { token } } })),
    retry: false,
  });
  const [reason, setReason] = useState('');
  const perform = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/email-actions/{token}', {
          params: { path: { token } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSuccess: (done) => queryClient.setQueryData(key, done),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    perform.mutate();
  };

  return (
    <div className="email-action-page">
      <header className="email-action-brand">
        <a href="/">RoE Orchestrator</a>
      </header>
      <main className="card email-action">
        {link.isPending ? <Loading what="what this link does" /> : null}
        {link.error ? (
          <>
            <h1>This link does not work</h1>
            <p>
              {link.error instanceof ApiProblem && link.error.status === 404
                ? 'It may be mistyped, cut off by your mail program, or made up. Open RoE Orchestrator to do the step there.'
                : null}
            </p>
            <ErrorNotice
              error={link.error instanceof ApiProblem && link.error.status === 404 ? undefined : link.error}
            />
            <p>
              <a href="/">Open RoE Orchestrator</a>
            </p>
          </>
        ) : null}
        {link.data ? (
          <>
            <h1>{link.data.title}</h1>
            <dl className="facts">
              {link.data.facts.map((fact) => (
                <div key={fact.label}>
                  <dt>{fact.label}</dt>
                  <dd>{fact.value}</dd>
                </div>
              ))}
              <div>
                <dt>Sent to</dt>
                <dd>{link.data.recipient}</dd>
              </div>
            </dl>
            {link.data.state === 'ready' ? (
              <form onSubmit={submit}>
                <p>Nothing has changed yet. Confirm to {link.data.label.toLowerCase()}:</p>
                <label htmlFor="email-action-reason">Reason{link.data.reasonRequired ? '' : ' (optional)'}</label>
                <textarea
                  id="email-action-reason"
                  rows={3}
                  maxLength={2000}
                  required={link.data.reasonRequired}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
                <p>
                  <button type="submit" className="primary" disabled={perform.isPending}>
                    {link.data.label}
                  </button>{' '}
                  <a href="/">Do it in RoE Orchestrator instead</a>
                </p>
                <ErrorNotice error={perform.error} />
              </form>
            ) : (
              <>
                <p
                  role="status"
                  className={
                    link.data.state === 'used' && link.data.outcome ? 'notice notice-ok' : 'notice notice-warning'
                  }
                >
                  {link.data.state === 'used' && perform.isSuccess ? `Done: ${link.data.outcome}.` : link.data.detail}
                </p>
                <p>
                  <a href="/">Open RoE Orchestrator</a> to see where things stand.
                </p>
              </>
            )}
          </>
        ) : null}
      </main>
    </div>
  );
}
