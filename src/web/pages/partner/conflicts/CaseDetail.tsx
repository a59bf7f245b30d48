import { DecisionFeedback } from '../DecisionFeedback';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import type { ConflictCase } from '../../../api/types';
import { ErrorNotice, Loading, StatusBadge } from '../../../ui/notices';
import { Due, When, useNow } from '../../../ui/time';
import { AppealForm } from './AppealForm';
import { awardWords, decidedByWords, durationMillis, lostBy, roleWords } from './caseWords';
import { useLadder } from './useLadder';

/** One case beside the list: the claims, the ladder and where the case is on it, the decision, the appeal. */
export function CaseDetail({ id }: { id: string }) {
  const conflict = useQuery({
    queryKey: ['conflict', id],
    queryFn: () => call(api.GET('/api/conflicts/{id}', { params: { path: { id } } })),
  });
  if (conflict.isPending) return <Loading what="the case" />;
  if (conflict.error) return <ErrorNotice error={conflict.error} />;
  return <CaseView conflict={conflict.data} />;
}

function CaseView({ conflict }: { conflict: ConflictCase }) {
  const ladder = useLadder(conflict.policyVersion);
  const now = useNow();
  const headingId = `case-${conflict.id}`;
  const resolution = conflict.resolution;
  const myAppeal = conflict.appeals[0];
  const windowMs = ladder.data ? durationMillis(ladder.data.appealWindow) : undefined;
  const appealUntil =
    resolution && windowMs !== undefined
      ? new Date(Date.parse(resolution.decidedAt) + windowMs).toISOString()
      : undefined;
  const mayAppeal =
    conflict.status !== 'open' && lostBy(resolution) && !myAppeal && !!appealUntil && Date.parse(appealUntil) > now;
  const steps = ladder.data?.escalation ?? [];

  return (
    <section className="card case-detail" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {conflict.domain} · {conflict.productLine}
      </h2>
      <p>
        <StatusBadge status={conflict.status} /> Case {conflict.id}
      </p>
      {conflict.status === 'open' ? (
        <p className="notice notice-info waiting">
          Waiting on: {roleWords(conflict.assigneeRole)}
          {conflict.dueAt ? (
            <>
              {' '}
              — <Due at={conflict.dueAt} />
            </>
          ) : null}
        </p>
      ) : null}

      <dl className="facts">
        <dt>Account</dt>
        <dd>{conflict.domain}</dd>
        <dt>Product line</dt>
        <dd>{conflict.productLine}</dd>
        <dt>Region</dt>
        <dd>{conflict.region.toUpperCase()}</dd>
        <dt>Opened</dt>
        <dd>
          <When at={conflict.openedAt} />
        </dd>
        <dt>Rules</dt>
        <dd>Policy version {conflict.policyVersion}</dd>
      </dl>

      <h3>Claims in this case</h3>
      <ul className="parties">
        {conflict.parties.map((party, index) => (
          <li key={party.registrationId ?? `other-${index}`}>
            {party.registrationId ? (
              <>
                Your registration {party.registrationId}
                {party.holder ? ' (held the account when the case opened)' : ''}
              </>
            ) : party.kind === 'direct' ? (
              'Our direct team (the account’s named owner)'
            ) : (
              'Another party'
            )}{' '}
            — registered <When at={party.submittedAt} />
          </li>
        ))}
      </ul>

      <h3>Escalation ladder</h3>
      <p>
        Tier {conflict.tier} of {steps.length || '…'}
        {conflict.status === 'open' ? `: the ${roleWords(conflict.assigneeRole)} decides now.` : '.'}
      </p>
      {ladder.error ? <ErrorNotice error={ladder.error} /> : null}
      <ol className="ladder">
        {steps.map((step, index) => {
          const tier = index + 1;
          const current = tier === conflict.tier;
          const breached = conflict.breaches.some((b) => b.tier === tier);
          return (
            <li
              key={step.role}
              className={current ? 'current' : undefined}
              aria-current={current && conflict.status === 'open' ? 'step' : undefined}
            >
              <span className="ladder-role">{capitalized(roleWords(step.role))}</span>{' '}
              <span className="ladder-note">— {ladderNote(tier, conflict, breached)}</span>
            </li>
          );
        })}
      </ol>

      <h3>Decision</h3>
      {resolution ? (
        <div className="decision">
          <p>
            <strong>{awardWords(resolution)}</strong>
          </p>
          <p>Reason: {resolution.reason}</p>
          <p>
            Decided by {decidedByWords(resolution)} on <When at={resolution.decidedAt} />.
          </p>
        </div>
      ) : (
        <p>Not decided yet.</p>
      )}

      {myAppeal ? (
        <p className="notice notice-info">
          You appealed on <When at={myAppeal.at} />: “{myAppeal.reason}”.{' '}
          {conflict.status === 'open' ? `The case is open again at tier ${conflict.tier}.` : 'Your one appeal is used.'}
        </p>
      ) : null}

      {mayAppeal && appealUntil ? (
        <>
          <h3>Appeal</h3>
          <p>
            You may appeal this decision once, until <When at={appealUntil} /> —{' '}
            <Due at={appealUntil} verb="the window closes" showTime={false} />.
          </p>
          <AppealForm conflict={conflict} />
        </>
      ) : resolution && lostBy(resolution) && !myAppeal && appealUntil && Date.parse(appealUntil) <= now ? (
        <p>
          The appeal window closed on <When at={appealUntil} />.
        </p>
      ) : null}

      {resolution && conflict.status !== 'open' ? (
        <DecisionFeedback kind="conflict" id={conflict.id} decidedAt={resolution.decidedAt} />
      ) : null}

      <h3>History</h3>
      <ol className="timeline">
        {conflict.history.map((entry, index) => (
          <li key={`${entry.at}-${index}`}>
            <span className="when">
              <When at={entry.at} />
            </span>
            <div>{historyWords(entry)}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function ladderNote(tier: number, conflict: ConflictCase, breached: boolean): string {
  const open = conflict.status === 'open';
  if (tier === conflict.tier) return open ? 'deciding now' : 'decided here';
  if (tier < conflict.tier) return breached ? 'deadline passed, moved up' : 'earlier tier';
  return open ? 'next if the deadline passes' : 'not needed';
}

/** A history entry in words: "Resolved — awarded to one party", role ids as role names. */
function historyWords(entry: { event: string; detail: string }): string {
  const event = entry.event.replace(/_/g, ' ');
  const detail = entry.detail
    .replace(new RegExp(`^${event}:\\s*`, 'i'), '')
    .replace(/\b(channel_manager|regional_director|vp_partnerships)\b/g, (role) => roleWords(role));
  return `${capitalized(event)} — ${detail}`;
}
