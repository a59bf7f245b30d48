import { useQuery } from '@tanstack/react-query';
import { Link, Route, Routes, useParams } from 'react-router';
import { api, call } from '../../api/client';
import type { ConflictCase } from '../../api/types';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../../ui/notices';
import { Due, When } from '../../ui/time';
import { CaseDetail } from './conflicts/CaseDetail';
import { awardWords, roleWords } from './conflicts/caseWords';
import { useLadder } from './conflicts/useLadder';
import './conflicts/conflicts.css';

/** The partner's conflict cases, as the API shows them to a party: never naming another. */
export default function MyConflictCases() {
  return (
    <Routes>
      <Route index element={<CasesPage />} />
      <Route path=":id" element={<CasesPage />} />
    </Routes>
  );
}

function CasesPage() {
  const { id } = useParams();
  const cases = useQuery({
    queryKey: ['conflicts', 'mine'],
    queryFn: () => call(api.GET('/api/conflicts', { params: { query: { limit: 200 } } })),
  });
  const items = cases.data?.items ?? [];

  return (
    <>
      <h1>My conflict cases</h1>
      <p className="lead">
        A case opens when your registration and another claim meet on one account and product line. Other parties are
        never named to you, nor you to them.
      </p>
      <div className="split">
        <section aria-labelledby="cases-list">
          <h2 id="cases-list">Your cases</h2>
          {cases.isPending ? (
            <Loading what="your cases" />
          ) : cases.error ? (
            <ErrorNotice error={cases.error} />
          ) : items.length === 0 ? (
            <Empty>You have no conflict cases. A case opens when another claim meets yours.</Empty>
          ) : (
            <ul className="case-list">
              {items.map((c) => (
                <CaseItem key={c.id} conflict={c} selected={c.id === id} />
              ))}
            </ul>
          )}
        </section>
        <div>
          {id ? (
            <CaseDetail id={id} />
          ) : items.length > 0 ? (
            <p className="card">Choose a case to see where it stands, its decision and its history.</p>
          ) : null}
        </div>
      </div>
    </>
  );
}

function CaseItem({ conflict, selected }: { conflict: ConflictCase; selected: boolean }) {
  const ladder = useLadder(conflict.policyVersion);
  const tiers = ladder.data?.escalation.length;
  return (
    <li className={selected ? 'case-item selected' : 'case-item'}>
      <Link to={`/conflicts/${conflict.id}`} aria-current={selected ? 'page' : undefined}>
        {conflict.domain} · {conflict.productLine}
      </Link>
      <div className="case-meta">
        <StatusBadge status={conflict.status} />
        Tier {conflict.tier} of {tiers ?? '…'} · opened <When at={conflict.openedAt} />
      </div>
      {conflict.status === 'open' ? (
        <div className="case-waiting">
          Waiting on: {roleWords(conflict.assigneeRole)}
          {conflict.dueAt ? (
            <>
              {' '}
              — <Due at={conflict.dueAt} showTime={false} />
            </>
          ) : null}
        </div>
      ) : conflict.resolution ? (
        <div className="case-waiting">{awardWords(conflict.resolution)}</div>
      ) : null}
    </li>
  );
}
