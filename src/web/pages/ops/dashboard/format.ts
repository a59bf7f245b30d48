import type { ResponseOf } from '../../../api/types';

export type Metrics = ResponseOf<'/api/metrics', 'get'>;
export type RegistrationStatus = keyof Metrics['registrationsByStatus'];
export type KpiRating = Metrics['conflictRate']['rating'];

/** The registration statuses in the lifecycle's order, each with its words and its colour in the charts. */
export const STATUSES: readonly { status: RegistrationStatus; words: string; colour: string }[] = [
  { status: 'pending_review', words: 'pending review', colour: '#c77c02' },
  { status: 'info_requested', words: 'info requested', colour: '#8e5fc0' },
  { status: 'in_conflict', words: 'in conflict', colour: '#d1495b' },
  { status: 'approved', words: 'approved', colour: '#2e8b57' },
  { status: 'rejected', words: 'rejected', colour: '#7a1f1f' },
  { status: 'won', words: 'won', colour: '#1f4fd1' },
  { status: 'lost', words: 'lost', colour: '#4a5568' },
  { status: 'expired', words: 'expired', colour: '#8a96a8' },
  { status: 'withdrawn', words: 'withdrawn', colour: '#c2c9d3' },
];

export const ACTIVE_STATUSES: readonly RegistrationStatus[] = [
  'pending_review',
  'info_requested',
  'in_conflict',
  'approved',
];

/** 0.0833 → "8.3 %". */
export const percent = (share: number | null): string =>
  share === null ? 'no data' : `${(Math.round(share * 1000) / 10).toLocaleString('en-GB')} %`;

export const count = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** 90 → "1 min 30 s", 200000 → "2 d 7 h"; null → "none counted". */
export function duration(seconds: number | null): string {
  if (seconds === null) return 'none counted';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  const units: [number, string][] = [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let left = Math.round(seconds);
  for (const [size, unit] of units) {
    const n = Math.floor(left / size);
    if (n > 0 && parts.length < 2) parts.push(`${n} ${unit}`);
    if (parts.length > 0) left -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ') || '0 s';
}

/** The unit a set of durations reads best in on a chart axis. */
export function durationUnit(maxSeconds: number): { divisor: number; unit: string } {
  if (maxSeconds >= 2 * 86400) return { divisor: 86400, unit: 'days' };
  if (maxSeconds >= 2 * 3600) return { divisor: 3600, unit: 'hours' };
  if (maxSeconds >= 120) return { divisor: 60, unit: 'minutes' };
  return { divisor: 1, unit: 'seconds' };
}

export const RATING_WORDS: Record<KpiRating, string> = {
  excellent: 'Excellent',
  good: 'Good',
  needs_attention: 'Needs attention',
  no_data: 'No data yet',
};

export const TIER_WORDS: Record<string, string> = {
  registered: 'Registered',
  silver: 'Silver',
  gold: 'Gold',
  platinum: 'Platinum',
};

/** "channel_manager" → "channel manager". */
export const roleWords = (role: string): string => role.replace(/_/g, ' ');
