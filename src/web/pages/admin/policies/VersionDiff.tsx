import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { asPolicyDocument, changeWords } from '../../../policy/inWords';
import { ErrorNotice, Loading } from '../../../ui/notices';

/**
 * What changes from one version to another, rule by rule, in the words the partners read ("now
 * 60 days (before: 90 days)"); the API's own sentence where no plainer words are known.
 */
export function VersionDiff({ from, to }: { from: number; to: number }) {
  const diff = useQuery({
    queryKey: ['policies', 'diff', from, to],
    queryFn: () => call(api.GET('/api/policies/{a}/diff/{b}', { params: { path: { a: from, b: to } } })),
  });
  const target = useQuery({
    queryKey: ['policies', 'version', to],
    queryFn: () => call(api.GET('/api/policies/{version}', { params: { path: { version: to } } })),
  });
  return (
    <section aria-labelledby="diff-heading">
      <h3 id="diff-heading">Changes from version {from}</h3>
      {diff.isPending ? <Loading what="the changes" /> : null}
      <ErrorNotice error={diff.error} />
      {diff.data && diff.data.changes.length === 0 ? <p>No rule changes from version {from}.</p> : null}
      {diff.data && diff.data.changes.length > 0 ? (
        <ul className="policy-diff">
          {diff.data.changes.map((change) => (
            <li key={`${change.kind}:${change.path}`} className={`change-${change.kind}`}>
              <span className="visually-hidden">{change.kind}: </span>
              {target.data ? changeWords(change, asPolicyDocument(target.data.document)) : change.summary}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
