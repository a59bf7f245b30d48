import { useEffect, useState } from 'react';
import { format } from 'date-fns';

// Times in the viewer's own time zone, relative where a person acts on them ("due in 3 h 20 min",
// "overdue by 2 h"), the exact UTC instant on hover.

/** The current time, ticking every `everyMs` so countdowns stay true without a reload. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(tick);
  }, [everyMs]);
  return now;
}

const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1_000, 's'],
];

/** "3 h 20 min", "2 d 4 h", "45 s": the two largest units, enough to act on (a day is 24 h). */
export function spanInWords(ms: number): string {
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [size, unit] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count} ${unit}`);
  }
  const shown = parts.slice(0, 2).filter((part) => !part.startsWith('0 '));
  return shown.length ? shown.join(' ') : 'less than a second';
}

export const utcInstant = (iso: string): string => `${new Date(iso).toISOString().replace('.000Z', 'Z')} (UTC)`;

export const localTime = (iso: string): string => format(new Date(iso), 'd MMM yyyy, HH:mm');

/** A point in time in the viewer's zone. */
export function When({ at }: { at: string }) {
  return (
    <time dateTime={at} title={utcInstant(at)}>
      {localTime(at)}
    </time>
  );
}

/**
 * A deadline: "due in 3 h 20 min" or "overdue by 2 h", with the local time beside it. It ticks
 * every second (an SLA of seconds must flip on time); pass `now` to share the caller's clock, so a
 * list's "SLA breached" mark and its words flip together.
 */
export function Due({
  at,
  verb = 'due',
  showTime = true,
  now,
}: {
  at: string;
  verb?: string;
  showTime?: boolean;
  now?: number;
}) {
  const ticking = useNow(1_000);
  const left = Date.parse(at) - (now ?? ticking);
  const overdue = left < 0;
  const words = overdue ? `overdue by ${spanInWords(left)}` : `${verb} in ${spanInWords(left)}`;
  return (
    <time dateTime={at} title={utcInstant(at)} className={overdue ? 'due overdue' : 'due'}>
      {words}
      {showTime ? <span className="due-at"> ({localTime(at)})</span> : null}
    </time>
  );
}

/** "3 h ago". */
export function Ago({ at }: { at: string }) {
  const now = useNow();
  return (
    <time dateTime={at} title={utcInstant(at)}>
      {spanInWords(now - Date.parse(at))} ago
    </time>
  );
}
