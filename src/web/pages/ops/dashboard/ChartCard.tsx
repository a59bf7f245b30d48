import { useId, type ReactNode } from 'react';
import { RATING_WORDS, type KpiRating } from './format';

/** Legend entries in the text colour: recharts tints them like their series, too faint for pale ones. */
export const legendInInk = (value: string) => <span style={{ color: '#1b2330' }}>{value}</span>;

/** A figure's verdict against its field target, in words (the colour only helps). */
export function Rating({ rating, target }: { rating: KpiRating; target: string }) {
  return (
    <p className="chart-rating">
      <span className={`rating rating-${rating}`}>Rating: {RATING_WORDS[rating]}</span>{' '}
      <span className="field-hint">Target: {target}</span>
    </p>
  );
}

/**
 * One chart with its heading, a sentence that says what it shows and the numbers as a table: the
 * drawing is for the eye only (hidden from screen readers), the words and table carry the figures.
 */
export function ChartCard(props: {
  title: string;
  summary: ReactNode;
  rating?: ReactNode;
  chart: ReactNode;
  numbers: ReactNode;
  /** False when every figure is zero or missing: an empty drawing says nothing the sentence does not. */
  hasData?: boolean;
  wide?: boolean;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={`card chart-card${props.wide ? ' chart-wide' : ''}`}>
      <div className="chart-head">
        <h2 id={headingId}>{props.title}</h2>
        {props.rating}
      </div>
      <p className="chart-summary">{props.summary}</p>
      {props.hasData === false ? (
        <p className="chart-empty" aria-hidden="true">
          Nothing to draw yet
        </p>
      ) : (
        <div className="chart" aria-hidden="true">
          {props.chart}
        </div>
      )}
      {/* Focusable so a keyboard can scroll a table wider than a phone. */}
      <div className="chart-numbers table-wrap" tabIndex={0} role="group" aria-label={`${props.title}: the numbers`}>
        {props.numbers}
      </div>
    </section>
  );
}
