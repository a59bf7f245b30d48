import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ErrorNotice, Loading } from '../../../ui/notices';
import { money, outcomeWords, type PolicyVersion } from './policyWords';

/** What the version would decide differently among recent deals: same facts, the candidate's rules. */
export function ImpactPreview({ policy }: { policy: PolicyVersion }) {
  const impact = useQuery({
    queryKey: ['policies', policy.version, 'impact'],
    queryFn: () => call(api.GET('/api/policies/{version}/impact', { params: { path: { version: policy.version } } })),
  });
  return (
    <section aria-labelledby="impact-heading">
      <h3 id="impact-heading">Impact preview</h3>
      {impact.isPending ? <Loading what="the impact preview" /> : null}
      <ErrorNotice error={impact.error} />
      {impact.data ? (
        <>
          <p>
            Of {impact.data.evaluated} {impact.data.evaluated === 1 ? 'registration' : 'registrations'} active now or
            submitted in the last 90 days,{' '}
            <strong>
              {impact.data.changed.length === 0
                ? 'none would be decided differently'
                : `${impact.data.changed.length} would be decided differently`}
            </strong>
            {impact.data.changed.length > 0 ? (
              <>
                {' '}
                ({money(impact.data.changedAmount.value, impact.data.changedAmount.currency)}
                {impact.data.changedAmount.unconverted.map((m) => ` + ${money(m.value, m.currency)}`).join('')}, for{' '}
                {impact.data.partnersTouched.length} {impact.data.partnersTouched.length === 1 ? 'partner' : 'partners'}
                ).
              </>
            ) : (
              '.'
            )}
          </p>
          {impact.data.changed.length > 0 ? (
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Registrations decided differently">
              <table>
                <caption className="visually-hidden">Registrations decided differently</caption>
                <thead>
                  <tr>
                    <th scope="col">Registration</th>
                    <th scope="col">Partner</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Now</th>
                    <th scope="col">Would be</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.data.changed.map((change) => (
                    <tr key={change.registrationId}>
                      <td>{change.registrationId}</td>
                      <td>{change.partnerId}</td>
                      <td>{money(change.amount.value, change.amount.currency)}</td>
                      <td>{outcomeWords[change.currentOutcome]}</td>
                      <td>
                        {outcomeWords[change.newOutcome]}
                        <div className="field-hint">{change.newReason}</div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
