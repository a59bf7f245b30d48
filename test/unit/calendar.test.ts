import fc from 'fast-check';
import {
  addBusinessMillis,
  businessMillisBetween,
  deadlineAfter,
  isWithinWorkingHours,
} from '../../src/domain/calendar';
import type { Duration } from '../../src/domain/duration';
import type { PolicyCalendar, Weekday } from '../../src/domain/policy';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Berlin, Monday to Friday 09:00–17:00, Christmas Day off, as in the example policy. */
const aCalendar = (changes: Partial<PolicyCalendar> = {}): PolicyCalendar => ({
  timezone: 'Europe/Berlin',
  workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  hours: { start: '09:00', end: '17:00' },
  holidays: ['2026-12-25'],
  ...changes,
});

/** An instant written as local time with its offset: `at('2026-12-24T13:00+01:00')`. */
const at = (text: string): number => {
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) throw new Error(`bad instant ${text}`);
  return instant;
};
const iso = (instant: number): string => new Date(instant).toISOString();

const business = (start: string, duration: string, calendar = aCalendar()): string =>
  iso(deadlineAfter(at(start), duration, calendar, 'business'));
const wall = (start: string, duration: string, calendar = aCalendar()): string =>
  iso(deadlineAfter(at(start), duration, calendar, 'wall'));

describe('deadlineAfter on the business clock', () => {
  it('counts from the start of the day when started before working hours', () => {
    expect(business('2026-06-01T08:00+02:00', 'PT1H')).toBe(iso(at('2026-06-01T10:00+02:00')));
  });

  it('counts from Monday morning when started after hours on a Friday', () => {
    expect(business('2026-06-05T18:00+02:00', 'PT2H')).toBe(iso(at('2026-06-08T11:00+02:00')));
  });

  it('skips the weekend of a Monday-to-Friday calendar', () => {
    expect(business('2026-06-05T16:00+02:00', 'PT2H')).toBe(iso(at('2026-06-08T10:00+02:00')));
  });

  it('skips a holiday inside the span', () => {
    // Thursday 13:00: 4 h on Thursday, Friday 25 December off, weekend, 8 h Monday, 4 h Tuesday.
    expect(business('2026-12-24T13:00+01:00', 'PT16H')).toBe(iso(at('2026-12-29T13:00+01:00')));
  });

  it('treats P1D as the next business day at the same time, not 24 working hours', () => {
    expect(business('2026-06-05T15:00+02:00', 'P1D')).toBe(iso(at('2026-06-08T15:00+02:00')));
  });

  it('skips a holiday when counting business days', () => {
    expect(business('2026-12-24T15:00+01:00', 'P1D')).toBe(iso(at('2026-12-28T15:00+01:00')));
  });

  it('counts a week as as many business days as the calendar has workdays', () => {
    expect(business('2026-06-01T10:00+02:00', 'P1W')).toBe(iso(at('2026-06-08T10:00+02:00')));
    const sixDayWeek = aCalendar({ workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] });
    expect(business('2026-06-01T10:00+02:00', 'P1W', sixDayWeek)).toBe(iso(at('2026-06-08T10:00+02:00')));
    expect(business('2026-06-01T10:00+02:00', 'P5D', sixDayWeek)).toBe(iso(at('2026-06-06T10:00+02:00')));
  });

  it('adds business days first and working time after them', () => {
    expect(business('2026-06-05T15:00+02:00', 'P1DT3H')).toBe(iso(at('2026-06-09T10:00+02:00')));
  });

  it('starts P1D from the next morning when started after hours', () => {
    expect(business('2026-06-05T18:00+02:00', 'P1D')).toBe(iso(at('2026-06-09T09:00+02:00')));
  });

  it('takes PT48H as six working days of eight hours, ending at the close of the sixth', () => {
    expect(business('2026-06-01T09:00+02:00', 'PT48H')).toBe(iso(at('2026-06-08T17:00+02:00')));
  });

  it('keeps a deadline that lands at the end of the working day there', () => {
    expect(business('2026-06-01T16:00+02:00', 'PT1H')).toBe(iso(at('2026-06-01T17:00+02:00')));
    expect(business('2026-06-01T17:00+02:00', 'PT0S')).toBe(iso(at('2026-06-01T17:00+02:00')));
  });

  it('continues the next morning when started at the end of the working day', () => {
    expect(business('2026-06-01T17:00+02:00', 'PT1H')).toBe(iso(at('2026-06-02T10:00+02:00')));
  });

  it('gives 5 real seconds for PT5S inside working hours', () => {
    const start = at('2026-06-01T10:00:00+02:00');
    expect(deadlineAfter(start, 'PT5S', aCalendar(), 'business')).toBe(start + 5 * SECOND);
  });

  it('accepts a parsed duration as well as its text', () => {
    const duration: Duration = { weeks: 0, days: 1, hours: 2, minutes: 0, seconds: 0 };
    const start = at('2026-06-05T15:00+02:00');
    expect(deadlineAfter(start, duration, aCalendar(), 'business')).toBe(
      deadlineAfter(start, 'P1DT2H', aCalendar(), 'business'),
    );
  });

  it('keeps 15:00 local for P1D across the spring DST change in Berlin', () => {
    expect(business('2026-03-27T15:00+01:00', 'P1D')).toBe(iso(at('2026-03-30T15:00+02:00')));
  });

  it('keeps 15:00 local for P1D across the autumn DST change in Berlin', () => {
    expect(business('2026-10-23T15:00+02:00', 'P1D')).toBe(iso(at('2026-10-26T15:00+01:00')));
  });

  it('counts working hours in New York local time across its DST change', () => {
    const newYork = aCalendar({ timezone: 'America/New_York', holidays: [] });
    expect(business('2026-03-06T16:00-05:00', 'PT2H', newYork)).toBe(iso(at('2026-03-09T10:00-04:00')));
  });

  it('counts working hours in a zone with a half-hour offset', () => {
    const kolkata = aCalendar({ timezone: 'Asia/Kolkata', holidays: [] });
    expect(business('2026-06-01T16:30+05:30', 'PT1H', kolkata)).toBe(iso(at('2026-06-02T09:30+05:30')));
  });

  it('starts at the first instant after the gap when the working day starts in a spring-forward gap', () => {
    const nightShift = aCalendar({ workdays: ['sun'], hours: { start: '02:30', end: '05:00' }, holidays: [] });
    expect(business('2026-03-28T12:00+01:00', 'PT0S', nightShift)).toBe(iso(at('2026-03-29T03:00+02:00')));
  });

  it('takes the earlier instant when the working day starts in the repeated hour of a fall-back change', () => {
    const nightShift = aCalendar({ workdays: ['sun'], hours: { start: '02:30', end: '05:00' }, holidays: [] });
    expect(business('2026-10-24T12:00+02:00', 'PT0S', nightShift)).toBe(iso(at('2026-10-25T02:30+02:00')));
  });

  it('clamps the same time of day into the working period when DST pushed it out', () => {
    // 02:30–02:45 is inside the gap on 29 March, so that day's work is the single instant 03:00;
    // a week later the same 03:00 is after hours and is clamped to 02:45.
    const nightShift = aCalendar({ workdays: ['sun'], hours: { start: '02:30', end: '02:45' }, holidays: [] });
    expect(business('2026-03-28T12:00+01:00', 'P1D', nightShift)).toBe(iso(at('2026-04-05T02:45+02:00')));
  });

  it('fails with a clear message when the calendar has no working day for years', () => {
    const mondays = Array.from({ length: 4 * 53 }, (_, week) => iso(at('2026-01-05T00:00Z') + week * 7 * DAY));
    const noWork = aCalendar({ workdays: ['mon'], holidays: mondays.map((instant) => instant.slice(0, 10)) });
    expect(() => business('2026-01-01T10:00+01:00', 'PT1H', noWork)).toThrow(/no working day in the \d+ days/);
  });

  it('rejects a duration text that does not parse', () => {
    expect(() => business('2026-06-01T10:00+02:00', 'P1M')).toThrow('invalid duration "P1M"');
  });
});

describe('deadlineAfter on the wall clock', () => {
  it('adds real time, ignoring hours, weekends and holidays', () => {
    expect(wall('2026-12-24T13:00+01:00', 'P2D')).toBe(iso(at('2026-12-26T13:00+01:00')));
  });

  it('takes PT24H across the spring DST change as 24 real hours', () => {
    expect(wall('2026-03-28T12:00+01:00', 'PT24H')).toBe(iso(at('2026-03-29T13:00+02:00')));
  });

  it('takes PT24H across the autumn DST change as 24 real hours', () => {
    expect(wall('2026-10-24T12:00+02:00', 'PT24H')).toBe(iso(at('2026-10-25T11:00+01:00')));
  });
});

describe('businessMillisBetween', () => {
  it('counts only working time over a weekend', () => {
    const from = at('2026-06-05T16:00+02:00');
    const to = at('2026-06-08T10:30+02:00');
    expect(businessMillisBetween(from, to, aCalendar())).toBe(2 * HOUR + 30 * MINUTE);
  });

  it('is zero when the end is not after the start', () => {
    const instant = at('2026-06-01T10:00+02:00');
    expect(businessMillisBetween(instant, instant, aCalendar())).toBe(0);
    expect(businessMillisBetween(instant, instant - HOUR, aCalendar())).toBe(0);
  });

  it('counts the real length of a working period that contains a DST change', () => {
    const sundayNights = aCalendar({ workdays: ['sun'], hours: { start: '01:00', end: '04:00' }, holidays: [] });
    // 01:00 CET to 04:00 CEST is two real hours; 01:00 CEST to 04:00 CET is four.
    const spring = businessMillisBetween(at('2026-03-28T00:00Z'), at('2026-03-30T00:00Z'), sundayNights);
    const autumn = businessMillisBetween(at('2026-10-24T00:00Z'), at('2026-10-26T00:00Z'), sundayNights);
    expect([spring, autumn]).toEqual([2 * HOUR, 4 * HOUR]);
  });
});

describe('addBusinessMillis', () => {
  it('resumes a paused SLA clock with the remaining working time', () => {
    const resumed = at('2026-12-24T15:00+01:00');
    expect(iso(addBusinessMillis(resumed, 3 * HOUR, aCalendar()))).toBe(iso(at('2026-12-28T10:00+01:00')));
  });

  it('rejects a negative amount', () => {
    expect(() => addBusinessMillis(at('2026-06-01T10:00+02:00'), -1, aCalendar())).toThrow(/zero or more/);
  });
});

describe('isWithinWorkingHours', () => {
  it('counts both the start and the end of the working day as inside', () => {
    const calendar = aCalendar();
    expect(isWithinWorkingHours(at('2026-06-01T09:00+02:00'), calendar)).toBe(true);
    expect(isWithinWorkingHours(at('2026-06-01T17:00+02:00'), calendar)).toBe(true);
    expect(isWithinWorkingHours(at('2026-06-01T08:59:59+02:00'), calendar)).toBe(false);
    expect(isWithinWorkingHours(at('2026-06-01T17:00:01+02:00'), calendar)).toBe(false);
  });

  it('is false on weekends and holidays', () => {
    expect(isWithinWorkingHours(at('2026-06-06T12:00+02:00'), aCalendar())).toBe(false);
    expect(isWithinWorkingHours(at('2026-12-25T12:00+01:00'), aCalendar())).toBe(false);
  });
});

// ---------------------------------------------------------------- properties

const FROM = at('2026-01-01T00:00Z');
const UNTIL = at('2028-01-01T00:00Z');

const calendarArbitrary: fc.Arbitrary<PolicyCalendar> = fc.record({
  timezone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'),
  workdays: fc.subarray(WEEKDAYS, { minLength: 1 }),
  hours: fc.record({
    start: fc.constantFrom('07:00', '08:00', '08:30', '09:00', '10:00'),
    end: fc.constantFrom('15:00', '16:30', '17:00', '18:00'),
  }),
  holidays: fc.uniqueArray(
    fc.integer({ min: FROM, max: UNTIL }).map((instant) => iso(instant).slice(0, 10)),
    { maxLength: 15 },
  ),
});

const durationArbitrary: fc.Arbitrary<Duration> = fc.record({
  weeks: fc.nat(3),
  days: fc.nat(20),
  hours: fc.nat(100),
  minutes: fc.nat(120),
  seconds: fc.nat(120),
});

const instantArbitrary = fc.integer({ min: FROM, max: UNTIL });

const sum = (a: Duration, b: Duration): Duration => ({
  weeks: a.weeks + b.weeks,
  days: a.days + b.days,
  hours: a.hours + b.hours,
  minutes: a.minutes + b.minutes,
  seconds: a.seconds + b.seconds,
});

describe('deadline properties', () => {
  const runs = { numRuns: 200 };

  it('never puts a business deadline inside non-working time, nor before the start', () => {
    fc.assert(
      fc.property(instantArbitrary, durationArbitrary, calendarArbitrary, (start, duration, calendar) => {
        const deadline = deadlineAfter(start, duration, calendar, 'business');
        return deadline >= start && isWithinWorkingHours(deadline, calendar);
      }),
      runs,
    );
  });

  it('never moves a business deadline earlier when the duration grows', () => {
    fc.assert(
      fc.property(
        instantArbitrary,
        durationArbitrary,
        durationArbitrary,
        calendarArbitrary,
        (start, duration, growth, calendar) =>
          deadlineAfter(start, duration, calendar, 'business') <=
          deadlineAfter(start, sum(duration, growth), calendar, 'business'),
      ),
      runs,
    );
  });

  it('measures back exactly the working time it added from inside working hours', () => {
    fc.assert(
      fc.property(
        instantArbitrary,
        fc.integer({ min: 0, max: 8 * HOUR }),
        fc.integer({ min: 0, max: 200 * HOUR }),
        calendarArbitrary,
        (instant, into, millis, calendar) => {
          const start = addBusinessMillis(instant, into, calendar);
          const end = addBusinessMillis(start, millis, calendar);
          return isWithinWorkingHours(start, calendar) && businessMillisBetween(start, end, calendar) === millis;
        },
      ),
      runs,
    );
  });

  it('adds exactly the duration on the wall clock', () => {
    fc.assert(
      fc.property(instantArbitrary, durationArbitrary, calendarArbitrary, (start, duration, calendar) => {
        const millis =
          ((((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes) * 60 +
            duration.seconds) *
          SECOND;
        return deadlineAfter(start, duration, calendar, 'wall') === start + millis;
      }),
      runs,
    );
  });
});
