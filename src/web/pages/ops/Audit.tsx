import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { Empty, ErrorNotice, Loading } from '../../ui/notices';
import { Pager } from '../../ui/Pager';
import { AuditTrail } from './audit/AuditTrail';
import { SUBJECT_KINDS, SubjectSearch, type Subject, type SubjectKind } from './audit/SubjectSearch';
import './ops.css';

const PAGE_SIZE = 50;

function subjectOf(param: string | null): Subject | undefined {
  const match = /^([a-z]+):(.+)$/.exec(param ?? '');
  const kind = SUBJECT_KINDS.find((k) => k.kind === match?.[1])?.kind;
  return match && kind ? { kind: kind as SubjectKind, id: match[2] } : undefined;
}

/** The audit trail of one registration, conflict case, policy version or rollout. */
export default function Audit() {
  const [params, setParams] = useSearchParams();
  const subject = subjectOf(params.get('subject'));
  const subjectParam = subject ? `${subject.kind}:${subject.id}` : undefined;
  // Cursors of the pages before this one, per search.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];

  const trail = useQuery({
    queryKey: ['audit', subjectParam, cursor],
    enabled: subjectParam !== undefined,
    queryFn: () =>
      call(
        api.GET('/api/audit', {
          params: { query: { subject: subjectParam as string, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
  });

  const search = (next: Subject) => {
    setCursors([]);
    setParams({ subject: `${next.kind}:${next.id}` });
  };
  const kindWords = SUBJECT_KINDS.find((k) => k.kind === subject?.kind)?.words.toLowerCase();
  const items = trail.data?.items ?? [];
  const nextCursor = trail.data?.nextCursor ?? undefined;
  const problem = trail.error instanceof ApiProblem && trail.error.status === 400 ? trail.error : undefined;

  return (
    <>
      <h1>Audit</h1>
      <SubjectSearch key={subjectParam ?? 'none'} initial={subject} problem={problem} onSearch={search} />
      {subject ? (
        <section className="card" aria-labelledby="audit-results-heading">
          <h2 id="audit-results-heading" className="ops-card-heading">
            Events of {kindWords} <span className="mono">{subject.id}</span>
          </h2>
          {trail.error && !problem ? <ErrorNotice error={trail.error} /> : null}
          {trail.isPending && !trail.error ? <Loading what="the audit trail" /> : null}
          {trail.data ? (
            <>
              <p role="status" className="field-hint">
                {items.length === 0
                  ? ''
                  : `Events ${cursors.length * PAGE_SIZE + 1}–${cursors.length * PAGE_SIZE + items.length}${nextCursor ? ', more on the next page' : ''}, in the order they happened.`}
              </p>
              {items.length === 0 ? (
                <Empty>
                  Nothing recorded for this {kindWords}. Check the id: the trail only knows subjects that exist.
                </Empty>
              ) : (
                <AuditTrail events={items} firstNumber={cursors.length * PAGE_SIZE + 1} />
              )}
              <Pager cursors={cursors} nextCursor={nextCursor} onChange={setCursors} />
            </>
          ) : null}
        </section>
      ) : (
        <p className="empty">
          Choose what to search for: the events of one registration, case, policy version or rollout.
        </p>
      )}
    </>
  );
}
