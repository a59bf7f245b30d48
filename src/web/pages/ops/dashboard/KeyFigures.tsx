import { ACTIVE_STATUSES, RATING_WORDS, count, duration, percent, type Metrics } from './format';

/** The handful of numbers an operator reads first, each with what it counts. */
export function KeyFigures({ metrics }: { metrics: Metrics }) {
  const byStatus = metrics.registrationsByStatus;
  const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
  const active = ACTIVE_STATUSES.reduce((sum, s) => sum + byStatus[s], 0);
  const waiting = byStatus.pending_review + byStatus.info_requested + byStatus.in_conflict;
  const breaches =
    metrics.slaBreaches.registrationReviews + metrics.slaBreaches.conflictsByTier.reduce((s, t) => s + t.breaches, 0);
  const approved = metrics.amounts.byStatus.approved;
  const figures = [
    { label: 'Registrations', value: total.toLocaleString('en-GB'), note: `${active} active now` },
    { label: 'Waiting on a decision', value: String(waiting), note: `${byStatus.in_conflict} in conflict` },
    {
      label: 'Conflict rate',
      value: percent(metrics.conflictRate.rate),
      note: `Rating: ${RATING_WORDS[metrics.conflictRate.rating]}`,
    },
    {
      label: 'Median time to decision',
      value: duration(metrics.timeToDecision.all.medianSeconds),
      note: count(metrics.timeToDecision.all.count, 'decision'),
    },
    { label: 'SLA breaches', value: String(breaches), note: `${metrics.conflicts.open} conflict cases open` },
    {
      label: 'Approved pipeline',
      value: new Intl.NumberFormat('en-GB', {
        style: 'currency',
        currency: metrics.amounts.currency,
        maximumFractionDigits: 0,
      }).format(approved.value),
      note:
        approved.unconverted.length > 0
          ? `plus ${approved.unconverted.length} unconverted currencies`
          : `${metrics.grandfathered.count} grandfathered deals`,
    },
  ];
  return (
    <ul className="kpi-row" aria-label="Key figures">
      {figures.map((f) => (
        <li key={f.label} className="kpi">
          <span className="kpi-label">{f.label}</span>
          <span className="kpi-value">{f.value}</span>
          <span className="kpi-note">{f.note}</span>
        </li>
      ))}
    </ul>
  );
}
