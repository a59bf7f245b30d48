import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import type { Policy } from '../../../api/types';
import { ErrorNotice, Loading } from '../../../ui/notices';
import { When, spanInWords, useNow, utcInstant } from '../../../ui/time';
import { asPolicyDocument, changeWords, type PolicyChange } from '../../../policy/inWords';

const dateWords = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** "in 12 d" a day or more ahead, "in 5 h 20 min" on the day. */
function untilWords(ms: number): string {
  if (ms <= 0) return 'now';
  const days = Math.round(ms / 86_400_000);
  return `in ${days >= 1 ? `${days} d` : spanInWords(ms)}`;
}

/** A published version that is not in effect yet: when it is, what it changes, and its acknowledgement. */
export function UpcomingVersion({ version, replaces }: { version: Policy; replaces: number | undefined }) {
  const now = useNow();
  const queryClient = useQueryClient();
  const diff = useQuery({
    queryKey: ['policy-diff', replaces, version.version],
    enabled: replaces !== undefined,
    queryFn: () =>
      call(api.GET('/api/policies/{a}/diff/{b}', { params: { path: { a: replaces!, b: version.version } } })),
  });
  const notice = useQuery({
    queryKey: ['policy-notice', version.version],
    queryFn: () => call(api.GET('/api/policies/{version}/notice', { params: { path: { version: version.version } } })),
  });
  const acknowledge = useMutation({
    mutationFn: () =>
      call(api.POST('/api/policies/{version}/acknowledgements', { params: { path: { version: version.version } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['policy-notice', version.version] }),
  });
  const document = asPolicyDocument(version.document);
  const effectiveAt = version.effectiveAt;
  const headingId = `upcoming-${version.version}`;
  // The rules that change what happens to a deal first; the title and notice period last.
  const last = (change: PolicyChange) => (change.path === 'title' || change.path === 'noticePeriod' ? 1 : 0);
  const changes = [...((diff.data?.changes ?? []) as PolicyChange[])].sort((a, b) => last(a) - last(b));
  const acknowledgedAt = notice.data?.acknowledgedAt;

  return (
    <section className="card upcoming" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {effectiveAt ? (
          <>
            Version {version.version} takes effect on{' '}
            <time dateTime={effectiveAt} title={utcInstant(effectiveAt)}>
              {dateWords(effectiveAt)}
            </time>{' '}
            ({untilWords(Date.parse(effectiveAt) - now)})
          </>
        ) : (
          <>Version {version.version} is coming</>
        )}
      </h2>
      <p>
        “{version.title}”, published {version.publishedAt ? <When at={version.publishedAt} /> : null}. Deals you
        register before then keep the rules they were registered under.
      </p>
      <h3>What changes for you</h3>
      {replaces === undefined ? (
        <p>There are no rules in effect yet: all of the rules below are new.</p>
      ) : diff.isPending ? (
        <Loading what="the changes" />
      ) : diff.error ? (
        <ErrorNotice error={diff.error} />
      ) : changes.length === 0 ? (
        <p>Nothing changes in the rules.</p>
      ) : (
        <ul className="changes">
          {changes.map((change) => (
            <li key={change.path}>{changeWords(change, document)}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        {notice.isPending ? (
          <Loading what="your acknowledgement" />
        ) : acknowledgedAt ? (
          <p role="status" className="notice notice-ok">
            Acknowledged on <When at={acknowledgedAt} />
          </p>
        ) : (
          <>
            <button
              type="button"
              className="primary"
              disabled={acknowledge.isPending}
              onClick={() => acknowledge.mutate()}
            >
              Acknowledge
            </button>
            <span className="field-hint">Tell us you have read version {version.version}.</span>
            <span role="status">{acknowledge.isPending ? 'Recording your acknowledgement…' : ''}</span>
          </>
        )}
      </div>
      <ErrorNotice error={acknowledge.error ?? notice.error} />
    </section>
  );
}
