import type { Metrics } from './format';

// The seed's "Partner Rules of Engagement Maturity Matrix", word for word: five dimensions × three
// stages. The API scores each dimension (src/domain/maturity.ts); this page draws where it stands.

type Dimension = Metrics['maturity'][number]['dimension'];

export const STAGES = [
  'Stage 1 — Unwritten & Reactive',
  'Stage 2 — Documented but Inconsistent',
  'Stage 3 — Embedded & Data-Driven',
] as const;

export const MATRIX: readonly { dimension: Dimension; stages: readonly [string, string, string] }[] = [
  {
    dimension: 'Clarity',
    stages: [
      'Rules live in emails and tribal knowledge.',
      'RoE documents exist but are not widely used.',
      'Simple RoE are understood and referenced by field and partners.',
    ],
  },
  {
    dimension: 'Systems & Process',
    stages: [
      'CRM and PRM don’t reflect any formal rules.',
      'Some processes support RoE; many workarounds.',
      'Systems and workflows consistently enforce rules and guardrails.',
    ],
  },
  {
    dimension: 'Conflict Management',
    stages: [
      'Conflicts resolved case-by-case, often by escalation.',
      'Basic escalation paths exist; criteria still fuzzy.',
      'Clear criteria and playbooks; fewer conflicts and faster resolution.',
    ],
  },
  {
    dimension: 'Partner & Field Trust',
    stages: [
      'Perceived as unpredictable or unfair.',
      'Improving, but exceptions create confusion.',
      'High trust in the system; partners see RoE as an asset, not a threat.',
    ],
  },
  {
    dimension: 'Measurement & Improvement',
    stages: [
      'No visibility into RoE impact.',
      'Some tracking of conflicts and performance.',
      'RoE regularly tuned based on revenue, conflict, and satisfaction data.',
    ],
  },
];

export function MaturityMatrix({ scorecard }: { scorecard: Metrics['maturity'] }) {
  const summary = MATRIX.map(({ dimension }) => {
    const score = scorecard.find((s) => s.dimension === dimension);
    return score ? `${dimension} stage ${score.stage}` : `${dimension} not scored`;
  }).join(', ');
  return (
    <section aria-labelledby="maturity-heading" className="card">
      <h2 id="maturity-heading" className="ops-card-heading">
        Maturity
      </h2>
      <p className="chart-summary">
        Where the program stands on the seed’s maturity matrix, scored from the last 90 days under the version in
        effect: {summary}.
      </p>
      <div className="table-wrap maturity-wide" tabIndex={0} role="group" aria-label="The maturity matrix">
        <table className="matrix maturity-table">
          <caption className="visually-hidden">Maturity matrix: five dimensions by three stages</caption>
          <thead>
            <tr>
              <th scope="col">Dimension</th>
              {STAGES.map((stage) => (
                <th key={stage} scope="col">
                  {stage}
                </th>
              ))}
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {MATRIX.map(({ dimension, stages }) => {
              const score = scorecard.find((s) => s.dimension === dimension);
              return (
                <tr key={dimension}>
                  <th scope="row">{dimension}</th>
                  {stages.map((description, index) => {
                    const current = score?.stage === index + 1;
                    return (
                      <td key={index} className={current ? 'current' : undefined}>
                        {description}
                        {current ? <strong className="current-mark">Current stage</strong> : null}
                      </td>
                    );
                  })}
                  <td className="evidence">{score?.evidence ?? 'Not scored.'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <MaturityStacked scorecard={scorecard} />
    </section>
  );
}

/** The same matrix for a phone: one dimension after another, its three stages in order (the table hides). */
function MaturityStacked({ scorecard }: { scorecard: Metrics['maturity'] }) {
  return (
    <div className="maturity-narrow">
      {MATRIX.map(({ dimension, stages }) => {
        const score = scorecard.find((s) => s.dimension === dimension);
        return (
          <div key={dimension} className="maturity-dimension">
            <h3>{dimension}</h3>
            <ol className="maturity-stages">
              {stages.map((description, index) => {
                const current = score?.stage === index + 1;
                return (
                  <li key={index} className={current ? 'current' : undefined}>
                    <span className="maturity-stage-name">{STAGES[index]}</span> {description}
                    {current ? <strong className="current-mark">Current stage</strong> : null}
                  </li>
                );
              })}
            </ol>
            <p className="field-hint">Evidence: {score?.evidence ?? 'Not scored.'}</p>
          </div>
        );
      })}
    </div>
  );
}
