import { StatusBadge } from '../../../ui/notices';
import { When } from '../../../ui/time';
import { ImpactPreview } from './ImpactPreview';
import { NoticeProgress } from './NoticeProgress';
import { PublishPanel } from './PublishPanel';
import { VersionDiff } from './VersionDiff';
import { EffectiveWords } from './VersionList';
import { durationInWords, noticePeriodOf, type PolicyVersion } from './policyWords';

/** One version: where it stands, what it changes, what it would change, and publishing a draft. */
export function VersionDetail({
  policy,
  currentVersion,
  onEdit,
}: {
  policy: PolicyVersion;
  currentVersion?: number;
  onEdit: () => void;
}) {
  const editable = policy.status === 'draft' && !policy.frozen;
  return (
    <section className="card" aria-labelledby="version-heading">
      <h2 id="version-heading">
        Version {policy.version}: {policy.title}
      </h2>
      <dl className="facts policy-facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={policy.status} />
          {policy.status === 'draft' && policy.frozen ? ' — frozen by its rollout, which publishes it' : null}
        </dd>
        <dt>Effective</dt>
        <dd>
          <EffectiveWords policy={policy} withDate />
        </dd>
        <dt>Notice period</dt>
        <dd>{durationInWords(noticePeriodOf(policy))}</dd>
        {policy.publishedAt ? (
          <>
            <dt>Published</dt>
            <dd>
              <When at={policy.publishedAt} />
            </dd>
          </>
        ) : null}
        {policy.cancelReason ? (
          <>
            <dt>Cancelled because</dt>
            <dd>{policy.cancelReason}</dd>
          </>
        ) : null}
        <dt>Last changed</dt>
        <dd>
          <When at={policy.updatedAt} />
        </dd>
      </dl>
      {editable ? (
        <div className="actions">
          <button type="button" onClick={onEdit}>
            Edit draft
          </button>
        </div>
      ) : null}
      {currentVersion !== undefined && currentVersion !== policy.version ? (
        <VersionDiff from={currentVersion} to={policy.version} />
      ) : null}
      {policy.status === 'draft' || policy.status === 'scheduled' ? <ImpactPreview policy={policy} /> : null}
      {policy.status === 'scheduled' || policy.status === 'effective' ? <NoticeProgress policy={policy} /> : null}
      <PublishPanel key={policy.version} policy={policy} />
    </section>
  );
}
