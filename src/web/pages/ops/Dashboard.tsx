import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { ErrorNotice, Loading } from '../../ui/notices';
import { When } from '../../ui/time';
import { BreachesPerTier, ConflictRate, Fairness } from './dashboard/ConflictCharts';
import { KeyFigures } from './dashboard/KeyFigures';
import { MaturityMatrix } from './dashboard/MaturityMatrix';
import { Revenue } from './dashboard/Revenue';
import { RegistrationsOverTime } from './dashboard/RegistrationsOverTime';
import { TimeToDecision, TimeToResolve } from './dashboard/TimeCharts';
import './ops.css';

/** The program at a glance for ops: its KPIs as charts with their numbers, and the maturity scorecard. */
export default function Dashboard() {
  const metrics = useQuery({ queryKey: ['metrics'], queryFn: () => call(api.GET('/api/metrics')) });
  return (
    <>
      <h1>Dashboard</h1>
      {metrics.error ? <ErrorNotice error={metrics.error} /> : null}
      {!metrics.data && !metrics.error ? <Loading what="the program's figures" /> : null}
      {metrics.data ? (
        <>
          <p className="ops-intro">
            Figures as of <When at={metrics.data.generatedAt} />; they refresh as the program changes.
          </p>
          <KeyFigures metrics={metrics.data} />
          <div className="chart-grid">
            <RegistrationsOverTime />
            <TimeToDecision metrics={metrics.data} />
            <TimeToResolve metrics={metrics.data} />
            <ConflictRate metrics={metrics.data} />
            <BreachesPerTier metrics={metrics.data} />
            <Fairness metrics={metrics.data} />
          </div>
          <Revenue />
          <MaturityMatrix scorecard={metrics.data.maturity} />
        </>
      ) : null}
    </>
  );
}
