import { Link } from 'react-router';
import { StatusBadge } from '../../../ui/notices';
import { Due, When } from '../../../ui/time';
import type { PolicyVersion } from './policyWords';

/** Every version, newest first, with where it stands and from when it governs. */
export function VersionList({ versions, selected }: { versions: PolicyVersion[]; selected?: number }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Policy versions">
      <table>
        <caption className="visually-hidden">Policy versions</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {[...versions].reverse().map((policy) => (
            <tr key={policy.version} className={policy.version === selected ? 'selected' : undefined}>
              <td>
                <Link to={`?version=${policy.version}`} aria-current={policy.version === selected ? 'true' : undefined}>
                  Version {policy.version}
                </Link>
                <div className="policy-title">{policy.title}</div>
              </td>
              <td>
                <StatusBadge status={policy.status} />
                <div className="version-effective">
                  <EffectiveWords policy={policy} />
                </div>
                {policy.frozen && policy.status === 'draft' ? (
                  <div className="field-hint">frozen by its rollout</div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EffectiveWords({ policy, withDate = false }: { policy: PolicyVersion; withDate?: boolean }) {
  if (policy.status === 'scheduled' && policy.effectiveAt)
    return <Due at={policy.effectiveAt} verb="takes effect" showTime={withDate} />;
  if (policy.status === 'effective' && policy.effectiveAt)
    return (
      <>
        since <When at={policy.effectiveAt} />
      </>
    );
  if (policy.status === 'superseded' && policy.supersededAt)
    return (
      <>
        until <When at={policy.supersededAt} />
      </>
    );
  if (policy.status === 'cancelled') return <>never (cancelled)</>;
  return <>not published</>;
}
