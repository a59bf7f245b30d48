import fc from 'fast-check';
import { z } from 'zod';
import {
  type Duration,
  MAX_POLICY_DURATION_MILLIS,
  durationProblem,
  durationToMillis,
  formatDuration,
  isoDurationToMillis,
  parseDuration,
} from '../../src/domain/duration';
import { durationSchema } from '../../src/domain/schemas/duration';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const aDuration = (parts: Partial<Duration>): Duration => ({
  weeks: 0,
  days: 0,
  hours: 0,
  minutes: 0,
  seconds: 0,
  ...parts,
});

const durationArbitrary = fc.record({
  weeks: fc.nat(600),
  days: fc.nat(5000),
  hours: fc.nat(100_000),
  minutes: fc.nat(1_000_000),
  seconds: fc.nat(10_000_000),
});

function schemaMessages(text: unknown): string[] {
  const result = durationSchema.safeParse(text);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('parseDuration', () => {
  it.each([
    ['P2W', aDuration({ weeks: 2 })],
    ['P90D', aDuration({ days: 90 })],
    ['PT48H', aDuration({ hours: 48 })],
    ['PT30M', aDuration({ minutes: 30 })],
    ['PT5S', aDuration({ seconds: 5 })],
    ['P1DT12H', aDuration({ days: 1, hours: 12 })],
    ['PT1H30M', aDuration({ hours: 1, minutes: 30 })],
    ['P1W2DT3H4M5S', aDuration({ weeks: 1, days: 2, hours: 3, minutes: 4, seconds: 5 })],
    ['PT0S', aDuration({})],
  ])('reads %s', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    'P1Y',
    'P1M',
    'P1Y2D',
    '-P1D',
    'P-1D',
    'PT1.5S',
    'PT0,5H',
    'p1d',
    ' P1D',
    'P1D ',
    '1D',
    'PT1D',
    'P1H',
    'P1D2W',
    'PT5S1M',
  ])('does not read %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('does not read a number too large to count exactly', () => {
    expect(parseDuration('PT99999999999999999999S')).toBeUndefined();
  });
});

describe('durationToMillis', () => {
  it('counts a day as 24 hours and a week as 7 days', () => {
    expect(durationToMillis(aDuration({ weeks: 1 }))).toBe(7 * DAY);
    expect(durationToMillis(aDuration({ days: 1, hours: 12 }))).toBe(36 * HOUR);
  });

  it('counts seconds, so PT5S is five seconds', () => {
    expect(durationToMillis(aDuration({ seconds: 5 }))).toBe(5 * SECOND);
  });

  it('adds up every unit', () => {
    fc.assert(
      fc.property(durationArbitrary, (d) => {
        const expected = d.weeks * 7 * DAY + d.days * DAY + d.hours * HOUR + d.minutes * MINUTE + d.seconds * SECOND;
        expect(durationToMillis(d)).toBe(expected);
      }),
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [aDuration({ days: 1, hours: 12 }), 'P1DT12H'],
    [aDuration({ hours: 1, minutes: 30 }), 'PT1H30M'],
    [aDuration({ weeks: 2, days: 3 }), 'P2W3D'],
    [aDuration({ seconds: 5 }), 'PT5S'],
    [aDuration({}), 'PT0S'],
  ])('writes %j as %s', (d, text) => {
    expect(formatDuration(d)).toBe(text);
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(durationArbitrary, (d) => {
        expect(parseDuration(formatDuration(d))).toEqual(d);
      }),
    );
  });
});

describe('parseDuration against the grammar', () => {
  // A component is absent or a number, possibly zero-padded (ISO 8601 allows "P07D").
  const component = fc.option(fc.tuple(fc.nat(9999), fc.nat(2)), { nil: undefined });
  const written = (part: [number, number] | undefined, designator: string) =>
    part ? `${'0'.repeat(part[1])}${part[0]}${designator}` : '';

  it('reads exactly the texts the grammar allows, with their numbers', () => {
    fc.assert(
      fc.property(component, component, fc.option(fc.tuple(component, component, component)), (w, d, timeParts) => {
        const [h, m, s] = timeParts ?? [];
        const time = timeParts ? `T${written(h, 'H')}${written(m, 'M')}${written(s, 'S')}` : '';
        const text = `P${written(w, 'W')}${written(d, 'D')}${time}`;
        const readable = timeParts ? timeParts.some(Boolean) : w !== undefined || d !== undefined;
        const expected = { weeks: w, days: d, hours: h, minutes: m, seconds: s };
        const numbers = Object.fromEntries(Object.entries(expected).map(([unit, part]) => [unit, part?.[0] ?? 0]));
        expect(parseDuration(text)).toEqual(readable ? numbers : undefined);
      }),
    );
  });
});

describe('isoDurationToMillis', () => {
  it('converts a valid text', () => {
    expect(isoDurationToMillis('PT48H')).toBe(48 * HOUR);
    expect(isoDurationToMillis('PT0S')).toBe(0);
  });

  it('throws an error naming the text and the reason', () => {
    expect(() => isoDurationToMillis('P1M')).toThrow(
      'invalid duration "P1M": years and months have no fixed length; use days or weeks',
    );
  });
});

describe('durationSchema', () => {
  it('accepts the durations policies use', () => {
    for (const text of ['P30D', 'P90D', 'P14D', 'PT48H', 'PT5S', 'P1DT12H', 'P2W']) {
      expect(durationSchema.parse(text)).toBe(text);
    }
  });

  it('rejects years and months, saying they have no fixed length', () => {
    expect(schemaMessages('P1Y')).toEqual(['years and months have no fixed length; use days or weeks']);
    expect(schemaMessages('P1M')).toEqual(['years and months have no fixed length; use days or weeks']);
  });

  it('rejects a zero-length duration', () => {
    expect(schemaMessages('PT0S')).toEqual(['a duration must be longer than zero']);
    expect(schemaMessages('P0D')).toEqual(['a duration must be longer than zero']);
  });

  it('rejects a negative duration', () => {
    expect(schemaMessages('-P1D')).toEqual(['a duration cannot be negative']);
  });

  it('rejects a bare "P" or "PT" with a hint', () => {
    expect(schemaMessages('P')[0]).toMatch(/at least one number and unit/);
    expect(schemaMessages('PT')[0]).toMatch(/at least one number and unit/);
    expect(schemaMessages('P1DT')[0]).toMatch(/at least one number and unit/);
  });

  it('rejects fractions, suggesting a smaller unit', () => {
    expect(schemaMessages('PT1.5H')[0]).toMatch(/fractions are not supported/);
  });

  it('rejects free text and the empty string with an example of the format', () => {
    expect(schemaMessages('90 days')[0]).toMatch(/ISO 8601 duration such as "P90D"/);
    expect(schemaMessages('')[0]).toMatch(/ISO 8601 duration such as "P90D"/);
  });

  it('rejects a duration longer than the policy cap', () => {
    const capDays = MAX_POLICY_DURATION_MILLIS / DAY;
    expect(schemaMessages(`P${capDays}D`)).toEqual([]);
    expect(schemaMessages(`P${capDays + 1}D`)[0]).toMatch(/at most/);
  });

  it('rejects a value that is not a string', () => {
    expect(schemaMessages(90)).toHaveLength(1);
  });

  it('accepts every positive formatted duration up to the cap, and durationProblem agrees', () => {
    fc.assert(
      fc.property(durationArbitrary, (d) => {
        const millis = durationToMillis(d);
        const acceptable = millis > 0 && millis <= MAX_POLICY_DURATION_MILLIS;
        expect(durationSchema.safeParse(formatDuration(d)).success).toBe(acceptable);
        expect(durationProblem(formatDuration(d)) === undefined).toBe(acceptable);
      }),
    );
  });
});

describe('the pattern the OpenAPI document gives durations', () => {
  const documented = new RegExp(z.toJSONSchema(durationSchema, { io: 'input' }).pattern as string, 'u');
  const shortDurationText = fc.stringMatching(/^-?[PTWDHMSYpt0-9.,]{0,12}$/);

  it('takes every text the schema takes that is within the cap, and refuses every text it refuses', () => {
    fc.assert(
      fc.property(fc.oneof(shortDurationText, durationArbitrary.map(formatDuration)), (text) => {
        const duration = parseDuration(text);
        const overCap = duration !== undefined && durationToMillis(duration) > MAX_POLICY_DURATION_MILLIS;
        if (!overCap) expect(documented.test(text)).toBe(durationSchema.safeParse(text).success);
      }),
      { numRuns: 2_000 },
    );
  });
});
