import { Link } from 'react-router';
import { StatusBadge } from '../../../ui/notices';
import { STAGE_TITLES, type Rollout } from './rolloutWords';

export function RolloutList({ rollouts, selected }: { rollouts: Rollout[]; selected?: string }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Rollouts">
      <table>
        <caption className="visually-hidden">Rollouts, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Rollout</th>
            <th scope="col">Status</th>
            <th scope="col">Current stage</th>
            <th scope="col">Sponsor</th>
          </tr>
        </thead>
        <tbody>
          {rollouts.map((r) => (
            <tr key={r.id} className={r.id === selected ? 'selected' : undefined}>
              <td>
                <Link to={`?rollout=${r.id}`} aria-current={r.id === selected ? 'true' : undefined}>
                  Policy version {r.policyVersion}
                </Link>
                <div className="field-hint">{r.id}</div>
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>
                {r.currentStage ? STAGE_TITLES[r.currentStage] : 'done'}
                {r.stages.some((s) => s.status === 'blocked') ? ' (blocked)' : ''}
              </td>
              <td>{r.sponsor.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
