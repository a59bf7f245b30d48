import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { Empty, ErrorNotice, Loading } from '../../ui/notices';
import { RolloutBoard } from './rollouts/RolloutBoard';
import { RolloutList } from './rollouts/RolloutList';
import { StartRollout } from './rollouts/StartRollout';
import './rollouts/rollouts.css';

/** The program owner's process from agreement to a live, reviewed rulebook: Align → Review. */
export default function Rollouts() {
  const [params, setParams] = useSearchParams();
  const rollouts = useQuery({
    queryKey: ['rollouts', 'list'],
    queryFn: () => call(api.GET('/api/rollouts', { params: { query: { limit: 100 } } })),
  });
  const items = rollouts.data?.items ?? [];
  const selected = params.get('rollout') ?? items[0]?.id;
  return (
    <>
      <h1>Rollouts</h1>
      <p className="lead">
        Each rollout takes a draft through six stages — Align, Design, Document, Enable, Instrument, Review — with a
        checklist, an owner, a due date and sign-offs per stage.
      </p>
      <div className="grid-2">
        <StartRollout onStarted={(id) => setParams({ rollout: id })} />
        <section className="card" aria-labelledby="rollouts-heading">
          <h2 id="rollouts-heading">All rollouts</h2>
          {rollouts.isPending ? <Loading what="the rollouts" /> : null}
          <ErrorNotice error={rollouts.error} />
          {rollouts.data && items.length === 0 ? <Empty>No rollout yet: start one from a draft.</Empty> : null}
          {items.length > 0 ? <RolloutList rollouts={items} selected={selected} /> : null}
        </section>
      </div>
      {selected ? <RolloutBoard key={selected} id={selected} /> : null}
    </>
  );
}
