import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ErrorNotice, Loading, StatusBadge } from '../../../ui/notices';
import { When, localTime } from '../../../ui/time';
import { StageCard } from './StageCard';
import { STAGE_TITLES, inLocalTime } from './rolloutWords';

/** A rollout's six stages side by side (stacked on a phone), with its story below. */
export function RolloutBoard({ id }: { id: string }) {
  const rollout = useQuery({
    queryKey: ['rollouts', id],
    queryFn: () => call(api.GET('/api/rollouts/{id}', { params: { path: { id } } })),
  });
  if (rollout.isPending) return <Loading what="the rollout" />;
  if (rollout.error) return <ErrorNotice error={rollout.error} />;
  const r = rollout.data;
  return (
    <section aria-labelledby="board-heading">
      <h2 id="board-heading">
        Rollout of policy version {r.policyVersion} <span className="rollout-id">({r.id})</span>
      </h2>
      <p>
        <StatusBadge status={r.status} /> Sponsor: {r.sponsor.name} ·{' '}
        {r.currentStage ? `current stage: ${STAGE_TITLES[r.currentStage]}` : 'every stage completed'}
      </p>
      <div className="board rollout-board">
        {r.stages.map((stage) => (
          <StageCard key={stage.name} rollout={r} stage={stage} />
        ))}
      </div>
      {r.reviews.length > 0 ? (
        <section className="card" aria-labelledby="reviews-heading">
          <h3 id="reviews-heading">Reviews</h3>
          <ul>
            {r.reviews.map((review) => (
              <li key={review.at}>
                <When at={review.at} />: period <When at={review.period.from} /> – <When at={review.period.to} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card" aria-labelledby="history-heading">
        <h3 id="history-heading">History</h3>
        <ol className="timeline">
          {[...r.history]
            .reverse()
            .slice(0, 15)
            .map((event, index) => (
              <li key={`${event.at}:${index}`}>
                <span className="when">
                  <When at={event.at} />
                </span>{' '}
                {event.detail ? inLocalTime(event.detail, localTime) : event.event.replace(/_/g, ' ')}
              </li>
            ))}
        </ol>
      </section>
    </section>
  );
}
