import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartCard, Rating, legendInInk } from './ChartCard';
import { count, duration, durationUnit, type Metrics } from './format';

type Percentiles = { count: number; medianSeconds: number | null; p90Seconds: number | null };

const MEDIAN = '#1f4fd1';
const P90 = '#8fb0ff';

function PercentileTable({ rows, caption }: { rows: { label: string; figures: Percentiles }[]; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Counted</th>
          <th scope="col" className="num">
            How many
          </th>
          <th scope="col" className="num">
            Median
          </th>
          <th scope="col" className="num">
            90th percentile
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ label, figures }) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="num">{figures.count}</td>
            <td className="num">{duration(figures.medianSeconds)}</td>
            <td className="num">{duration(figures.p90Seconds)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PercentileChart({
  rows,
  targets,
}: {
  rows: { label: string; figures: Percentiles }[];
  targets?: { good: number; excellent: number };
}) {
  const max = Math.max(
    1,
    ...rows.flatMap(({ figures }) => [figures.medianSeconds ?? 0, figures.p90Seconds ?? 0]),
    ...(targets ? [targets.good] : []),
  );
  const { divisor, unit } = durationUnit(max);
  const data = rows.map(({ label, figures }) => ({
    label,
    median: figures.medianSeconds === null ? null : figures.medianSeconds / divisor,
    p90: figures.p90Seconds === null ? null : figures.p90Seconds / divisor,
  }));
  const round = (n: number) => Math.round(n * 10) / 10;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} accessibilityLayer={false} margin={{ top: 16, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 12 }} />
        <YAxis
          tick={{ fontSize: 12 }}
          width={56}
          tickFormatter={(value: number) => String(round(value))}
          label={{ value: unit, angle: -90, position: 'insideLeft', offset: 4, fontSize: 12 }}
          domain={[0, (dataMax: number) => Math.max(dataMax, targets ? targets.good / divisor : 0)]}
        />
        <Tooltip formatter={(value) => `${round(Number(value))} ${unit}`} />
        <Legend wrapperStyle={{ fontSize: 13 }} formatter={legendInInk} />
        {targets ? (
          <ReferenceLine
            y={targets.good / divisor}
            stroke="#b3261e"
            strokeDasharray="4 4"
            label={{ value: 'good under', position: 'insideTopRight', fontSize: 11 }}
          />
        ) : null}
        {targets ? (
          <ReferenceLine
            y={targets.excellent / divisor}
            stroke="#176b3a"
            strokeDasharray="4 4"
            label={{ value: 'excellent under', position: 'insideTopRight', fontSize: 11 }}
          />
        ) : null}
        <Bar dataKey="median" name="median" fill={MEDIAN} isAnimationActive={false} />
        <Bar dataKey="p90" name="90th percentile" fill={P90} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Registrations: submission to an approve/reject decision, all of them and those a person (or an SLA) decided. */
export function TimeToDecision({ metrics }: { metrics: Metrics }) {
  const { all, manual } = metrics.timeToDecision;
  const rows = [
    { label: 'All decisions', figures: all },
    { label: 'Not by the rules engine', figures: manual },
  ];
  return (
    <ChartCard
      title="Time to decision"
      summary={
        all.count === 0
          ? 'No registration has been approved or rejected yet.'
          : `${count(all.count, 'decision')}: median ${duration(all.medianSeconds)}, 90th percentile ${duration(all.p90Seconds)} from submission. ` +
            (manual.count === 0
              ? 'The rules engine took every decision at submission.'
              : `${count(manual.count, 'decision')} not taken by the rules engine at submission: median ${duration(manual.medianSeconds)}, 90th percentile ${duration(manual.p90Seconds)}.`)
      }
      hasData={all.count > 0}
      chart={<PercentileChart rows={rows} />}
      numbers={<PercentileTable rows={rows} caption="Submission to approve or reject" />}
    />
  );
}

/** Conflict cases: opening to decision, against the field's 24 h / 48 h targets. */
export function TimeToResolve({ metrics }: { metrics: Metrics }) {
  const resolve = metrics.timeToResolve;
  const rows = [{ label: 'Decided cases', figures: resolve }];
  return (
    <ChartCard
      title="Time to resolve conflict cases"
      rating={
        <Rating
          rating={resolve.rating}
          target={`median under ${duration(resolve.targets.good)} is good, under ${duration(resolve.targets.excellent)} excellent`}
        />
      }
      summary={
        resolve.count === 0
          ? 'No conflict case has been decided yet.'
          : `${count(resolve.count, 'decided case')}: median ${duration(resolve.medianSeconds)}, 90th percentile ${duration(resolve.p90Seconds)} from opening to decision.`
      }
      hasData={resolve.count > 0}
      chart={<PercentileChart rows={rows} targets={resolve.targets} />}
      numbers={<PercentileTable rows={rows} caption="Case opened to resolved or defaulted" />}
    />
  );
}
