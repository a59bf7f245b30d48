import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { Policy } from '../../api/types';
import { Empty, ErrorNotice, Loading } from '../../ui/notices';
import { When } from '../../ui/time';
import { UpcomingVersion } from './rules/UpcomingVersion';
import {
  asPolicyDocument,
  calendarSentence,
  ladderSentences,
  reviewSentences,
  routeSentences,
  scenarioSentence,
  thresholdSentences,
  validitySentences,
} from '../../policy/inWords';
import './rules/rules.css';

/** The rules in effect for the partner, in plain language, and any version announced to replace them. */
export default function RulesOfEngagement() {
  const current = useQuery({
    queryKey: ['policy', 'current'],
    queryFn: () =>
      call(api.GET('/api/policies/current')).catch((error: unknown) => {
        if (error instanceof ApiProblem && error.status === 404) return null;
        throw error;
      }),
  });
  const scheduled = useQuery({
    queryKey: ['policies', 'scheduled'],
    queryFn: () => call(api.GET('/api/policies', { params: { query: { status: 'scheduled', limit: 50 } } })),
  });
  const upcoming = [...(scheduled.data?.items ?? [])].sort(
    (a, b) => Date.parse(a.effectiveAt ?? '') - Date.parse(b.effectiveAt ?? ''),
  );

  return (
    <>
      <h1>Rules of engagement</h1>
      <ErrorNotice error={current.error ?? scheduled.error} />
      {upcoming.map((version, index) => (
        <UpcomingVersion
          key={version.version}
          version={version}
          replaces={index === 0 ? (current.data?.version ?? undefined) : upcoming[index - 1].version}
        />
      ))}
      {current.isPending ? (
        <Loading what="the rules in effect" />
      ) : current.data ? (
        <RulesInEffect policy={current.data} />
      ) : current.data === null ? (
        <Empty>No rules are in effect yet.</Empty>
      ) : null}
    </>
  );
}

function RulesInEffect({ policy }: { policy: Policy }) {
  const document = asPolicyDocument(policy.document);
  const ladder = ladderSentences(document);
  const playbook = document.playbook ?? [];
  return (
    <div className="rules">
      <p className="lead">
        The rules in effect now: version {policy.version}, “{policy.title}”
        {policy.effectiveAt ? (
          <>
            , since <When at={policy.effectiveAt} />
          </>
        ) : null}
        . A deal keeps the rules of the version it was registered under.
      </p>

      <section className="card" aria-labelledby="rules-routes">
        <h2 id="rules-routes">Which deals you may register</h2>
        <p>The first rule that fits the account decides:</p>
        <ul className="sentences">
          {routeSentences(document).map((route) => (
            <li key={route.id}>
              {route.text} <span className="rule-id">(rule {route.id})</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="rules-thresholds">
        <h2 id="rules-thresholds">Approval at once, or review</h2>
        <ul className="sentences">
          {[...thresholdSentences(document), ...reviewSentences(document)].map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="rules-validity">
        <h2 id="rules-validity">How long your registration protects you</h2>
        <ul className="sentences">
          {validitySentences(document).map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="rules-ladder">
        <h2 id="rules-ladder">When two registrations collide</h2>
        <p>{ladder.intro}</p>
        <ol className="ladder-steps">
          {ladder.steps.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ol>
        <ul className="sentences">
          {ladder.after.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="rules-clock">
        <h2 id="rules-clock">Deadlines and working hours</h2>
        <p>
          {calendarSentence(document)} Deadlines counted in working hours or days pause outside them; days of validity
          are calendar days.
        </p>
      </section>

      <section className="card" aria-labelledby="rules-playbook">
        <h2 id="rules-playbook">If this happens, then that</h2>
        {playbook.length === 0 ? (
          <Empty>This version has no worked examples.</Empty>
        ) : (
          <ul className="scenarios">
            {playbook.map((scenario) => {
              const words = scenarioSentence(scenario);
              return (
                <li key={scenario.id}>
                  <strong>If</strong> {words.if}, <strong>then</strong> {words.then}.
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
