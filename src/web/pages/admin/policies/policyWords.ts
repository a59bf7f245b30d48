import type { ResponseOf } from '../../../api/types';

export type PolicyVersion = ResponseOf<'/api/policies/{version}', 'get'>;
export type PolicyPage = ResponseOf<'/api/policies', 'get'>;
export type PolicyImpact = ResponseOf<'/api/policies/{version}/impact', 'get'>;
export type PolicyDiff = ResponseOf<'/api/policies/{a}/diff/{b}', 'get'>;

const UNITS: [RegExp, string][] = [
  [/(\d+)W/, 'week'],
  [/(\d+)D/, 'day'],
  [/T.*?(\d+)H/, 'hour'],
  [/T.*?(\d+)M/, 'minute'],
  [/T.*?(\d+)S/, 'second'],
];

/** "P30D" → "30 days", "P1DT12H" → "1 day 12 hours"; the text itself when it is no duration. */
export function durationInWords(iso: string): string {
  const words = UNITS.flatMap(([pattern, unit]) => {
    const n = Number(pattern.exec(iso)?.[1] ?? 0);
    return n > 0 ? [`${n} ${unit}${n === 1 ? '' : 's'}`] : [];
  });
  return words.length ? words.join(' ') : iso;
}

/** Wall-clock milliseconds of a policy duration (a day is 24 hours), as the API counts the notice. */
export function durationMillis(iso: string): number {
  const n = (pattern: RegExp) => Number(pattern.exec(iso)?.[1] ?? 0);
  const days = n(/(\d+)W/) * 7 + n(/(\d+)D/);
  return (((days * 24 + n(/T.*?(\d+)H/)) * 60 + n(/T.*?(\d+)M/)) * 60 + n(/T.*?(\d+)S/)) * 1000;
}

export const noticePeriodOf = (policy: PolicyVersion): string =>
  String((policy.document as { noticePeriod?: unknown }).noticePeriod ?? '');

export const money = (value: number, currency: string): string =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);

export const outcomeWords: Record<string, string> = {
  approved: 'approved',
  rejected: 'rejected',
  pending_review: 'sent to review',
  in_conflict: 'in conflict',
};
