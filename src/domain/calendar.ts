import { durationToMillis, parseDuration, type Duration } from './duration';
import type { Clock, PolicyCalendar, Weekday } from './policy';

/*
 * Deadlines on a policy's clock. Pure: it runs inside Temporal workflow sandboxes, so instants are
 * epoch milliseconds, "now" is always passed in, and time zones are read from Intl only.
 *
 * Rules for the edges (the shapes other engines got wrong):
 * - A working period is [hours.start, hours.end] in local time on a workday that is not a holiday.
 *   Both ends count as inside, so a deadline can land exactly at the end of the day and stay there.
 * - Business clock: a start outside working time first moves to the start of the next working period.
 *   Days (weeks count as `workdays.length` days each) then move to the same local time of day on
 *   the Nth next working day: P1D is one business day, not 24 working hours. Hours, minutes and
 *   seconds are then consumed as working time, skipping nights, weekends and holidays.
 * - Local times in a spring-forward gap become the first instant after the gap (02:30 → 03:00);
 *   local times that happen twice in a fall-back hour take the earlier instant. The same-time-of-day
 *   step is clamped into the target day's working period if DST pushes it out.
 * - A calendar without any working day for three years is an error, not an endless search.
 */

const MILLIS_PER_SECOND = 1000;
const MILLIS_PER_MINUTE = 60 * MILLIS_PER_SECOND;
const MILLIS_PER_DAY = 24 * 60 * MILLIS_PER_MINUTE;
// Every day a holiday for years is a typo in the calendar; searching on would hang the workflow.
const MAX_DAYS_WITHOUT_WORK = 3 * 366;
// Day numbers count local dates from 1970-01-01, a Thursday.
const WEEKDAYS_FROM_MONDAY: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEKDAY_INDEX_OF_DAY_ZERO = 3;

/** The calendar read once per call: minutes of the day, holidays as day numbers. */
type WorkingCalendar = {
  timezone: string;
  workdays: ReadonlySet<Weekday>;
  holidays: ReadonlySet<number>;
  startMinute: number;
  endMinute: number;
};

/** One day's working time as instants, both ends inside. */
type WorkingPeriod = { day: number; start: number; end: number };

/**
 * When a notice period or SLA of `duration` that starts at `start` is due.
 * `wall` adds real time; `business` counts working days and working time of the calendar.
 */
export function deadlineAfter(
  start: number,
  duration: Duration | string,
  calendar: PolicyCalendar,
  clock: Clock,
): number {
  const parts = typeof duration === 'string' ? parsedDuration(duration) : duration;
  if (clock === 'wall') return start + durationToMillis(parts);
  const working = workingCalendar(calendar);
  const period = periodAtOrAfter(start, working);
  const businessDays = parts.weeks * working.workdays.size + parts.days;
  const afterDays = sameTimeOnWorkingDayAfter(Math.max(start, period.start), period, businessDays, working);
  const time = ((parts.hours * 60 + parts.minutes) * 60 + parts.seconds) * MILLIS_PER_SECOND;
  return consumeWorkingTime(afterDays, time, working);
}

/** Working time between two instants, 0 when `to` is not after `from`; what a paused SLA clock has used. */
export function businessMillisBetween(from: number, to: number, calendar: PolicyCalendar): number {
  if (!(to > from)) return 0;
  const working = workingCalendar(calendar);
  let total = 0;
  // One day either side: around a midnight DST change an instant's local date is the neighbour's.
  for (let day = localDayOf(from, working) - 1; day <= localDayOf(to, working) + 1; day++) {
    if (!isWorkingDay(day, working)) continue;
    const period = periodOn(day, working);
    total += Math.max(0, Math.min(to, period.end) - Math.max(from, period.start));
  }
  return total;
}

/** The instant when `millis` of working time have passed after `start`; resumes a paused SLA clock. */
export function addBusinessMillis(start: number, millis: number, calendar: PolicyCalendar): number {
  if (!(millis >= 0)) throw new Error(`working time to add must be zero or more milliseconds, got ${millis}`);
  return consumeWorkingTime(start, millis, workingCalendar(calendar));
}

/** Whether an instant lies in a working period; its start and its end both count as inside. */
export function isWithinWorkingHours(instant: number, calendar: PolicyCalendar): boolean {
  const working = workingCalendar(calendar);
  const day = localDayOf(instant, working);
  return [day - 1, day, day + 1].some((candidate) => {
    if (!isWorkingDay(candidate, working)) return false;
    const period = periodOn(candidate, working);
    return period.start <= instant && instant <= period.end;
  });
}

// ---------------------------------------------------------------- working time

function consumeWorkingTime(from: number, millis: number, working: WorkingCalendar): number {
  let period = periodAtOrAfter(from, working);
  let at = Math.max(from, period.start);
  let remaining = millis;
  while (remaining > period.end - at) {
    remaining -= period.end - at;
    period = periodOn(firstWorkingDayFrom(period.day + 1, working), working);
    at = period.start;
  }
  return at + remaining;
}

/** The working period that contains `instant` (ends included), else the next one. */
function periodAtOrAfter(instant: number, working: WorkingCalendar): WorkingPeriod {
  for (let day = firstWorkingDayFrom(localDayOf(instant, working) - 1, working); ;) {
    const period = periodOn(day, working);
    if (period.end >= instant) return period;
    day = firstWorkingDayFrom(day + 1, working);
  }
}

/** `at`'s local time of day on the `count`th working day after `period`'s, kept inside that day's hours. */
function sameTimeOnWorkingDayAfter(at: number, period: WorkingPeriod, count: number, working: WorkingCalendar): number {
  if (count === 0) return at;
  let day = period.day;
  for (let step = 0; step < count; step++) day = firstWorkingDayFrom(day + 1, working);
  const timeOfDay = localMillisOf(at, working.timezone) - period.day * MILLIS_PER_DAY;
  const target = periodOn(day, working);
  const sameTime = instantOfLocal(day * MILLIS_PER_DAY + timeOfDay, working.timezone);
  return Math.min(target.end, Math.max(target.start, sameTime));
}

function periodOn(day: number, working: WorkingCalendar): WorkingPeriod {
  const midnight = day * MILLIS_PER_DAY;
  return {
    day,
    start: instantOfLocal(midnight + working.startMinute * MILLIS_PER_MINUTE, working.timezone),
    end: instantOfLocal(midnight + working.endMinute * MILLIS_PER_MINUTE, working.timezone),
  };
}

function firstWorkingDayFrom(day: number, working: WorkingCalendar): number {
  for (let candidate = day; candidate <= day + MAX_DAYS_WITHOUT_WORK; candidate++) {
    if (isWorkingDay(candidate, working)) return candidate;
  }
  throw new Error(
    `the calendar has no working day in the ${MAX_DAYS_WITHOUT_WORK} days from ${isoDateOf(day)} ` +
      `(workdays ${[...working.workdays].join(', ')}); check its workdays and holidays`,
  );
}

function isWorkingDay(day: number, working: WorkingCalendar): boolean {
  return working.workdays.has(weekdayOf(day)) && !working.holidays.has(day);
}

function weekdayOf(day: number): Weekday {
  return WEEKDAYS_FROM_MONDAY[(((day + WEEKDAY_INDEX_OF_DAY_ZERO) % 7) + 7) % 7];
}

function workingCalendar(calendar: PolicyCalendar): WorkingCalendar {
  const startMinute = minuteOfDay(calendar.hours.start);
  const endMinute = minuteOfDay(calendar.hours.end);
  if (!(startMinute < endMinute)) {
    throw new Error(`working hours must end after they start, got ${calendar.hours.start}–${calendar.hours.end}`);
  }
  if (calendar.workdays.length === 0) throw new Error('a calendar needs at least one workday');
  return {
    timezone: calendar.timezone,
    workdays: new Set(calendar.workdays),
    holidays: new Set(calendar.holidays.map(dayNumberOf)),
    startMinute,
    endMinute,
  };
}

function minuteOfDay(time: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new Error(`expected a time of day "HH:MM", got "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function dayNumberOf(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`expected a holiday "YYYY-MM-DD", got "${date}"`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MILLIS_PER_DAY;
}

function isoDateOf(day: number): string {
  return new Date(day * MILLIS_PER_DAY).toISOString().slice(0, 10);
}

function parsedDuration(text: string): Duration {
  const duration = parseDuration(text);
  if (!duration) throw new Error(`invalid duration "${text}": expected an ISO 8601 duration such as "P1D" or "PT48H"`);
  return duration;
}

// ---------------------------------------------------------------- time zones

/*
 * "Local millis" are a local wall time written as if it were UTC: day number × 24 h + time of day.
 * Intl gives the wall time of an instant; the reverse is searched, because gaps and overlaps exist.
 */

function localDayOf(instant: number, working: WorkingCalendar): number {
  return Math.floor(localMillisOf(instant, working.timezone) / MILLIS_PER_DAY);
}

function localMillisOf(instant: number, timezone: string): number {
  return instant + offsetAt(instant, timezone);
}

/** The zone's offset from UTC at an instant, in milliseconds (+1 h for Berlin in winter). */
function offsetAt(instant: number, timezone: string): number {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  const wallAsUtc = Date.UTC(year, month - 1, day, hour % 24, minute, second);
  return wallAsUtc - Math.floor(instant / MILLIS_PER_SECOND) * MILLIS_PER_SECOND;
}

/**
 * The instant a zone's clocks show `local`. Tries the offsets a day before and a day after (no zone
 * changes twice within two days); when both fit (fall-back overlap) the earlier instant wins, when
 * neither fits (spring-forward gap) the first instant after the gap.
 */
function instantOfLocal(local: number, timezone: string): number {
  const offsetBefore = offsetAt(local - MILLIS_PER_DAY, timezone);
  const offsetAfter = offsetAt(local + MILLIS_PER_DAY, timezone);
  const candidates =
    offsetBefore === offsetAfter ? [local - offsetBefore] : [local - offsetBefore, local - offsetAfter];
  const fitting = candidates.filter((candidate) => offsetAt(candidate, timezone) === local - candidate);
  if (fitting.length > 0) return Math.min(...fitting);
  return firstInstantWithOffset(local - offsetAfter, local - offsetBefore, offsetBefore, timezone);
}

/** Binary search in (before, after] for the first instant whose offset is no longer `oldOffset`. */
function firstInstantWithOffset(before: number, after: number, oldOffset: number, timezone: string): number {
  let low = Math.min(before, after);
  let high = Math.max(before, after);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timezone) === oldOffset) low = middle;
    else high = middle;
  }
  return high;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// One formatter per zone: building one is far slower than formatting with it.
function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}
