import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { downloadCsv } from '../../../api/download';
import type { ResponseOf } from '../../../api/types';
import { ErrorNotice, Loading } from '../../../ui/notices';
import { count, percent } from './format';

// Revenue and attribution for ops: pipeline and won revenue by route and tier, win rate, sales
// cycle, partner-sourced share and what conflicts cost, with the report's CSV a click away.

type Report = ResponseOf<'/api/reports/revenue', 'get'>;
type Figures = Report['total'];

const ROUTE_WORDS: Record<Report['byRoute'][number]['route'], string> = {
  partner_led: 'Partner-led',
  co_sell: 'Co-sell',
  direct: 'Ceded to direct',
};

function money(currency: string, value: number): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
}

function FiguresRow({ label, figures, currency }: { label: string; figures: Figures; currency: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="number">{figures.deals.toLocaleString('en-GB')}</td>
      <td className="number">{money(currency, figures.pipeline.value)}</td>
      <td className="number">{money(currency, figures.won.value)}</td>
      <td className="number">
        {figures.wonDeals} / {figures.lostDeals}
      </td>
      <td className="number">{percent(figures.winRate)}</td>
    </tr>
  );
}

function FiguresTable({
  caption,
  what,
  rows,
  currency,
}: {
  caption: string;
  what: string;
  rows: { label: string; figures: Figures }[];
  currency: string;
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`Revenue ${caption.toLowerCase()}`}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{what}</th>
            <th scope="col" className="number">
              Deals
            </th>
            <th scope="col" className="number">
              Open pipeline
            </th>
            <th scope="col" className="number">
              Won
            </th>
            <th scope="col" className="number">
              Won / lost
            </th>
            <th scope="col" className="number">
              Win rate
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <FiguresRow key={row.label} label={row.label} figures={row.figures} currency={currency} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Revenue() {
  const report = useQuery({ queryKey: ['reports', 'revenue'], queryFn: () => call(api.GET('/api/reports/revenue')) });
  if (report.error) return <ErrorNotice error={report.error} />;
  if (!report.data) return <Loading what="the revenue report" />;
  const r = report.data;
  const unconverted = r.total.pipeline.unconverted.length + r.total.won.unconverted.length;
  return (
    <section className="revenue" aria-labelledby="revenue-heading">
      <div className="section-head">
        <h2 id="revenue-heading">Revenue and attribution</h2>
        <button type="button" onClick={() => void downloadCsv('/api/reports/revenue/export', 'revenue.csv')}>
          Download the report as CSV
        </button>
      </div>
      <ul className="kpi-row" aria-label="Revenue figures">
        <li className="kpi">
          <span className="kpi-label">Won revenue</span>
          <span className="kpi-value">{money(r.currency, r.total.won.value)}</span>
          <span className="kpi-note">{count(r.total.wonDeals, 'deal')} won</span>
        </li>
        <li className="kpi">
          <span className="kpi-label">Open pipeline</span>
          <span className="kpi-value">{money(r.currency, r.total.pipeline.value)}</span>
          <span className="kpi-note">{count(r.total.openDeals, 'open deal')}</span>
        </li>
        <li className="kpi">
          <span className="kpi-label">Win rate</span>
          <span className="kpi-value">{percent(r.total.winRate)}</span>
          <span className="kpi-note">
            {r.total.wonDeals} won, {r.total.lostDeals} lost
          </span>
        </li>
        <li className="kpi">
          <span className="kpi-label">Median sales cycle</span>
          <span className="kpi-value">
            {r.salesCycleDays.median === null ? 'no data' : `${r.salesCycleDays.median} days`}
          </span>
          <span className="kpi-note">
            90th percentile {r.salesCycleDays.p90 === null ? 'no data' : `${r.salesCycleDays.p90} days`}
          </span>
        </li>
        <li className="kpi">
          <span className="kpi-label">Partner-sourced share</span>
          <span className="kpi-value">{percent(r.partnerSourcedShare)}</span>
          <span className="kpi-note">of registered value</span>
        </li>
        <li className="kpi">
          <span className="kpi-label">Net revenue retention</span>
          <span className="kpi-value">{percent(r.netRevenueRetention.value)}</span>
          <span className="kpi-note">of {count(r.netRevenueRetention.accounts, 'account')} won the year before</span>
        </li>
        <li className="kpi">
          <span className="kpi-label">Through conflict cases</span>
          <span className="kpi-value">{count(r.conflictCost.deals, 'deal')}</span>
          <span className="kpi-note">{money(r.currency, r.conflictCost.cededToDirect.value)} ceded to direct</span>
        </li>
      </ul>
      {unconverted > 0 ? (
        <p className="field-hint">
          Amounts in currencies without an exchange rate in the policy are left out of these sums.
        </p>
      ) : null}
      <FiguresTable
        caption="By route"
        what="Route"
        currency={r.currency}
        rows={r.byRoute.map((row) => ({ label: ROUTE_WORDS[row.route], figures: row }))}
      />
      <FiguresTable
        caption="By tier"
        what="Tier"
        currency={r.currency}
        rows={r.byTier.map((row) => ({ label: row.tier.replace(/^./, (c) => c.toUpperCase()), figures: row }))}
      />
    </section>
  );
}
