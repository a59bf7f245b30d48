import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { usePrincipal } from '../../../auth/session';
import { ErrorNotice, Loading } from '../../../ui/notices';
import { useNow, When, Due } from '../../../ui/time';
import { ResolveForm, type AwardChoice } from './ResolveForm';
import { Timeline } from './Timeline';
import { DetailCard } from './DetailCard';
import { eventInWords, holderInWords, ladderOf, roleInWords, type ConflictCase } from './words';

// A conflict case opened beside the inbox: the competing claims, where the case stands on the
// escalation ladder, and "Resolve" while it is open.

export function ConflictCaseDetail({ id }: { id: string }) {
  const conflict = useQuery({
    queryKey: ['conflict', id],
    queryFn: () => call(api.GET('/api/conflicts/{id}', { params: { path: { id } } })),
  });
  const [outcome, setOutcome] = useState<string>();
  if (conflict.isPending) return <Loading what="the conflict case" />;
  if (conflict.isError) return <ErrorNotice error={conflict.error} />;
  const c = conflict.data;
  return (
    <DetailCard
      title={`Conflict case on ${c.domain}`}
      status={c.status}
      waitingOn={<WaitingOn conflict={c} />}
      outcome={outcome}
    >
      <dl className="facts">
        <dt>Product line</dt>
        <dd>{c.productLine}</dd>
        <dt>Region</dt>
        <dd>{c.region.toUpperCase()}</dd>
        <dt>Opened</dt>
        <dd>
          <When at={c.openedAt} /> under policy v{c.policyVersion}
        </dd>
      </dl>
      <Ladder conflict={c} />
      <h3>Parties</h3>
      <Parties conflict={c} />
      {c.status === 'open' ? <ResolveForm conflict={c} choices={choicesOf(c)} onResolved={setOutcome} /> : null}
      {c.resolution ? (
        <p>
          Resolution: {awardInWords(c, c.resolution.award)} — “{c.resolution.reason}” (
          {c.resolution.by === 'default' ? 'by the policy default' : c.resolution.decidedBy},{' '}
          <When at={c.resolution.decidedAt} />)
        </p>
      ) : null}
      <h3>History</h3>
      <Timeline entries={c.history} describe={eventInWords} />
    </DetailCard>
  );
}

function WaitingOn({ conflict: c }: { conflict: ConflictCase }) {
  const myRoles = usePrincipal().escalationRoles;
  const now = useNow(1_000);
  if (c.status !== 'open' || !c.dueAt) return null;
  return (
    <span>
      Waiting on: {holderInWords(c.assigneeRole, myRoles)}, <Due at={c.dueAt} now={now} verb="moves up" />
    </span>
  );
}

/** The escalation ladder of the case's policy, the current tier marked, breaches beside it. */
function Ladder({ conflict: c }: { conflict: ConflictCase }) {
  const policy = useQuery({
    queryKey: ['policy', c.policyVersion],
    queryFn: () => call(api.GET('/api/policies/{version}', { params: { path: { version: c.policyVersion } } })),
  });
  const ladder = ladderOf(policy.data?.document);
  return (
    <>
      <h3>Escalation ladder</h3>
      <p>
        Tier {c.tier}
        {ladder.length ? ` of ${ladder.length}` : ''}: {roleInWords(c.assigneeRole)}
      </p>
      {ladder.length ? (
        <ol className="inbox-ladder">
          {ladder.map((role, index) => {
            const breach = c.breaches.find((b) => b.tier === index + 1);
            const isCurrent = index + 1 === c.tier;
            return (
              <li
                key={role}
                aria-current={isCurrent ? 'step' : undefined}
                className={isCurrent ? 'current' : undefined}
              >
                {roleInWords(role)}
                {isCurrent ? ' — now' : ''}
                {breach ? (
                  <>
                    {' '}
                    — missed its deadline <When at={breach.at} />
                  </>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
    </>
  );
}

function Parties({ conflict: c }: { conflict: ConflictCase }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Parties to the case, first to register first</caption>
        <thead>
          <tr>
            <th scope="col">Party</th>
            <th scope="col">Registration</th>
            <th scope="col">Registered</th>
          </tr>
        </thead>
        <tbody>
          {c.parties.map((party, index) => (
            <tr key={party.registrationId ?? `${party.kind}-${index}`}>
              <td>
                {partyName(party)}
                {party.partnerTier ? ` (${party.partnerTier})` : ''}
                {party.holder ? ' — holds the claim' : ''}
              </td>
              <td>
                {party.registrationId ? (
                  <Link to={`/inbox/registration/${party.registrationId}`}>{party.registrationId}</Link>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <When at={party.submittedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Party = ConflictCase['parties'][number];
const partyName = (party: Party): string =>
  party.kind === 'direct' ? 'Direct sales' : (party.partnerName ?? party.partnerId ?? 'A partner');

function choicesOf(c: ConflictCase): AwardChoice[] {
  const partners = c.parties.flatMap((party) =>
    party.registrationId
      ? [{ award: party.registrationId, label: `${partyName(party)} (${party.registrationId})` }]
      : [],
  );
  return [
    ...partners,
    { award: 'direct', label: 'Direct: we sell it ourselves' },
    { award: 'co_sell', label: 'Co-sell: partner and direct together' },
    { award: 'none', label: 'None: no one gets the account' },
  ];
}

function awardInWords(c: ConflictCase, award: string): string {
  const party = c.parties.find((p) => p.registrationId === award);
  if (party) return `awarded to ${partyName(party)}`;
  return choicesOf(c).find((choice) => choice.award === award)?.label ?? award;
}
