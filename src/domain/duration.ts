/** An ISO 8601 duration as policies use it: fixed-length units only, whole numbers only. */
export type Duration = { weeks: number; days: number; hours: number; minutes: number; seconds: number };

const DURATION_PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const MILLIS_PER_SECOND = 1000;
const MILLIS_PER_DAY = 24 * 60 * 60 * MILLIS_PER_SECOND;
export const MAX_POLICY_DAYS = 3660;
// A longer policy duration is a typo (P900W for P90D); the cap also keeps every deadline a valid Date.
export const MAX_POLICY_DURATION_MILLIS = MAX_POLICY_DAYS * MILLIS_PER_DAY;

/**
 * Reads `PnW`, `PnD`, `PTnH`, `PTnM`, `PTnS` and their combinations (`P1DT12H`, `PT1H30M`).
 * Returns undefined for anything else, including years and months, fractions, signs, `P` and `PT`.
 * Zero (`PT0S`) parses; whether zero is acceptable is the caller's rule.
 */
export function parseDuration(text: string): Duration | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((digits) => (digits ? Number(digits) : 0));
  const duration = { weeks, days, hours, minutes, seconds };
  return Object.values(duration).every(Number.isSafeInteger) ? duration : undefined;
}

/** Wall-clock length: a day is 24 hours and a week is 7 days, whatever the calendar says. */
export function durationToMillis(d: Duration): number {
  const days = d.weeks * 7 + d.days;
  const seconds = ((days * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds;
  return seconds * MILLIS_PER_SECOND;
}

/** The ISO 8601 text of a duration, units kept as given (`P1W2D` stays `P1W2D`); zero is `PT0S`. */
export function formatDuration(d: Duration): string {
  const date = unit(d.weeks, 'W') + unit(d.days, 'D');
  const time = unit(d.hours, 'H') + unit(d.minutes, 'M') + unit(d.seconds, 'S');
  if (!date && !time) return 'PT0S';
  return `P${date}${time ? `T${time}` : ''}`;
}

function unit(amount: number, designator: string): string {
  return amount === 0 ? '' : `${amount}${designator}`;
}

/**
 * Milliseconds of an ISO 8601 duration text, for code holding an already validated policy.
 * Throws a plain Error naming the text and the reason when it does not parse; zero is allowed.
 */
export function isoDurationToMillis(text: string): number {
  const duration = parseDuration(text);
  if (!duration) throw new Error(`invalid duration "${text}": ${whyUnparseable(text)}`);
  return durationToMillis(duration);
}

/** Why a text is not a positive policy duration, or undefined when it is one. */
export function durationProblem(text: string): string | undefined {
  const duration = parseDuration(text);
  if (!duration) return whyUnparseable(text);
  const millis = durationToMillis(duration);
  if (millis === 0) return 'a duration must be longer than zero';
  if (millis > MAX_POLICY_DURATION_MILLIS)
    return `a duration may be at most ${MAX_POLICY_DAYS} days (P${MAX_POLICY_DAYS}D)`;
  return undefined;
}

function whyUnparseable(text: string): string {
  if (text.startsWith('-')) return 'a duration cannot be negative';
  if (/^P[^T]*[YM]/.test(text)) return 'years and months have no fixed length; use days or weeks';
  if (/[.,]/.test(text)) return 'fractions are not supported; use a smaller unit, such as "PT90M" for 1.5 hours';
  if (text === 'P' || /^P.*T$/.test(text)) {
    return 'a duration needs at least one number and unit after "P" (and after "T"), such as "P1D" or "PT5S"';
  }
  return 'expected an ISO 8601 duration such as "P90D", "P2W", "PT48H", "PT30M" or "PT5S"';
}
