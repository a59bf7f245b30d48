import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartCard, Rating, legendInInk } from './ChartCard';
import { TIER_WORDS, count, percent, roleWords, type Metrics } from './format';

/** Share of registrations that ran into another claim, against the field's 10 % / 5 % targets. */
export function ConflictRate({ metrics }: { metrics: Metrics }) {
  const { registrations, inConflict, rate, targets, rating } = metrics.conflictRate;
  const cases = metrics.conflicts;
  const slices = [
    { name: 'ran into a conflict', value: inConflict, fill: '#d1495b' },
    { name: 'no conflict', value: registrations - inConflict, fill: '#9fb6e8' },
  ];
  return (
    <ChartCard
      title="Conflict rate"
      rating={
        <Rating
          rating={rating}
          target={`under ${percent(targets.good)} is good, under ${percent(targets.excellent)} excellent`}
        />
      }
      summary={
        registrations === 0
          ? 'No registrations yet, so no conflict rate.'
          : `${percent(rate)}: ${inConflict} of ${count(registrations, 'registration')} ran into a conflict. ` +
            `${count(cases.opened, 'conflict case')} opened: ${cases.open} open, ${cases.resolved} resolved, ${cases.defaulted} defaulted.`
      }
      hasData={registrations > 0}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <PieChart accessibilityLayer={false}>
            <Pie
              data={slices}
              dataKey="value"
              nameKey="name"
              innerRadius="55%"
              outerRadius="85%"
              isAnimationActive={false}
              rootTabIndex={-1}
            >
              {slices.map((s) => (
                <Cell key={s.name} fill={s.fill} />
              ))}
            </Pie>
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 13 }} formatter={legendInInk} />
          </PieChart>
        </ResponsiveContainer>
      }
      numbers={
        <table>
          <caption>Registrations and conflict cases</caption>
          <tbody>
            <tr>
              <th scope="row">Registrations</th>
              <td className="num">{registrations}</td>
            </tr>
            <tr>
              <th scope="row">Ran into a conflict</th>
              <td className="num">{inConflict}</td>
            </tr>
            <tr>
              <th scope="row">Conflict rate</th>
              <td className="num">{percent(rate)}</td>
            </tr>
            <tr>
              <th scope="row">Cases open / resolved / defaulted</th>
              <td className="num">
                {cases.open} / {cases.resolved} / {cases.defaulted}
              </td>
            </tr>
          </tbody>
        </table>
      }
    />
  );
}

/** Deadlines that passed without a decision: registration reviews, then each rung of the conflict ladder. */
export function BreachesPerTier({ metrics }: { metrics: Metrics }) {
  const { registrationReviews, conflictsByTier } = metrics.slaBreaches;
  const rows = [
    { label: 'Registration reviews', breaches: registrationReviews },
    ...conflictsByTier.map((t) => ({ label: `Tier ${t.tier}: ${roleWords(t.role)}`, breaches: t.breaches })),
  ];
  const total = rows.reduce((sum, r) => sum + r.breaches, 0);
  return (
    <ChartCard
      title="SLA breaches per tier"
      summary={
        total === 0
          ? 'No deadline has passed without a decision.'
          : `${count(total, 'deadline')} passed without a decision: ` +
            rows.map((r) => `${r.breaches} at ${r.label.toLowerCase()}`).join(', ') +
            '.'
      }
      hasData={total > 0}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} interval={0} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="breaches" name="breaches" fill="#c77c02" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      numbers={
        <table>
          <caption>Missed deadlines</caption>
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col" className="num">
                Breaches
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td className="num">{r.breaches}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

const OUTCOMES = [
  { key: 'won', words: 'won', colour: '#2e8b57' },
  { key: 'coSold', words: 'co-sold', colour: '#8fb0ff' },
  { key: 'lost', words: 'lost', colour: '#b3261e' },
] as const;

/** Whether conflict outcomes favour some partner tiers, or the direct team. */
export function Fairness({ metrics }: { metrics: Metrics }) {
  const { byPartnerTier, awards, awardsWithDirectParty } = metrics.fairness;
  const data = byPartnerTier.map((t) => ({ ...t, label: TIER_WORDS[t.tier] ?? t.tier }));
  const claimed = data.filter((t) => t.parties > 0);
  const awardRows = [
    { label: 'All decided cases', figures: awards },
    { label: 'Cases with the direct team as a party', figures: awardsWithDirectParty },
  ];
  return (
    <ChartCard
      wide
      title="Fairness of conflict outcomes"
      summary={
        awards.decidedCases === 0
          ? 'No conflict case has been decided yet, so there is no outcome to compare.'
          : `${count(awards.decidedCases, 'decided case')}: ${awards.partner} awarded to a partner, ${awards.direct} to the direct team, ${awards.coSell} co-sell, ${awards.none} to nobody. By partner tier: ` +
            claimed
              .map((t) => `${t.label} ${t.won} won, ${t.coSold} co-sold, ${t.lost} lost of ${t.parties}`)
              .join('; ') +
            '.'
      }
      hasData={claimed.length > 0}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 13 }} formatter={legendInInk} />
            {OUTCOMES.map((o) => (
              <Bar
                key={o.key}
                dataKey={o.key}
                name={o.words}
                stackId="outcome"
                fill={o.colour}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      numbers={
        <>
          <table>
            <caption>Partner claims in decided cases, by the tier the partner had when it claimed</caption>
            <thead>
              <tr>
                <th scope="col">Tier</th>
                <th scope="col" className="num">
                  Claims
                </th>
                <th scope="col" className="num">
                  Won
                </th>
                <th scope="col" className="num">
                  Co-sold
                </th>
                <th scope="col" className="num">
                  Lost
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((t) => (
                <tr key={t.tier}>
                  <th scope="row">{t.label}</th>
                  <td className="num">{t.parties}</td>
                  <td className="num">{t.won}</td>
                  <td className="num">{t.coSold}</td>
                  <td className="num">{t.lost}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>What decided cases awarded</caption>
            <thead>
              <tr>
                <th scope="col">Cases</th>
                <th scope="col" className="num">
                  Decided
                </th>
                <th scope="col" className="num">
                  Partner
                </th>
                <th scope="col" className="num">
                  Direct
                </th>
                <th scope="col" className="num">
                  Co-sell
                </th>
                <th scope="col" className="num">
                  Nobody
                </th>
              </tr>
            </thead>
            <tbody>
              {awardRows.map(({ label, figures }) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td className="num">{figures.decidedCases}</td>
                  <td className="num">{figures.partner}</td>
                  <td className="num">{figures.direct}</td>
                  <td className="num">{figures.coSell}</td>
                  <td className="num">{figures.none}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      }
    />
  );
}
