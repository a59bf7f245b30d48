import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { usePartnerNames } from '../../../api/usePartnerNames';
import { ErrorNotice, Loading } from '../../../ui/notices';
import type { PolicyVersion } from './policyWords';

/**
 * A published version's notice: who has acknowledged it, who the program still waits on, and how
 * many deals keep their older rules. Enable's sign-off waits on this share.
 */
export function NoticeProgress({ policy }: { policy: PolicyVersion }) {
  const partnerName = usePartnerNames();
  const notice = useQuery({
    queryKey: ['policies', policy.version, 'notice'],
    queryFn: () => call(api.GET('/api/policies/{version}/notice', { params: { path: { version: policy.version } } })),
  });
  if (notice.isPending) return <Loading what="the acknowledgements" />;
  if (notice.error) return <ErrorNotice error={notice.error} />;
  const { acknowledged, pending, grandfathered } = notice.data;
  const partners = acknowledged.length + pending.length;
  const share = partners === 0 ? 0 : Math.round((acknowledged.length / partners) * 100);
  return (
    <section aria-labelledby={`notice-${policy.version}`}>
      <h3 id={`notice-${policy.version}`}>Acknowledgements</h3>
      <p>
        {acknowledged.length} of {partners} partners ({share} %) have acknowledged version {policy.version}.{' '}
        {pending.length > 0
          ? `Waiting on: ${pending.map(partnerName).join(', ')} — reminders go out at 50 % and 90 % of the notice period.`
          : 'Nobody is left to acknowledge.'}
      </p>
      <p>
        {grandfathered === 1
          ? '1 active registration keeps the rules of an older version (grandfathered).'
          : `${grandfathered} active registrations keep the rules of older versions (grandfathered).`}
      </p>
    </section>
  );
}
