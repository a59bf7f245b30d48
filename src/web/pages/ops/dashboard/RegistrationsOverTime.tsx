import { useQuery } from '@tanstack/react-query';
import { addDays, format, startOfDay, startOfWeek, subDays } from 'date-fns';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, call } from '../../../api/client';
import type { ResponseOf } from '../../../api/types';
import { ErrorNotice, Loading } from '../../../ui/notices';
import { ChartCard, legendInInk } from './ChartCard';
import { STATUSES, count, type RegistrationStatus } from './format';

// Registrations by status over time: the registrations list (submittedAt, status) bucketed by the
// day each was submitted, in the viewer's zone, stacked by the status each has now. The event feed
// could replay every status change, but it is an unbounded read for a chart; the list is one page
// per 500 registrations.

type RegistrationSummary = Pick<ResponseOf<'/api/registrations', 'get'>['items'][number], 'submittedAt' | 'status'>;

const PAGE = 500;
/** Enough for a dashboard; beyond it the chart says it shows the newest ones only. */
const MAX_PAGES = 20;
const MIN_DAYS = 14;
const MAX_DAILY_DAYS = 45;

async function allRegistrations(): Promise<{ items: RegistrationSummary[]; complete: boolean }> {
  const items: RegistrationSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await call(
      api.GET('/api/registrations', { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } } }),
    );
    items.push(...answer.items.map(({ submittedAt, status }) => ({ submittedAt, status })));
    cursor = answer.nextCursor ?? undefined;
    if (!cursor) return { items, complete: true };
  }
  return { items, complete: false };
}

type Bucket = { label: string; start: Date; total: number } & Partial<Record<RegistrationStatus, number>>;

/** Every day (or week, for a long history) from the first submission to today, empty ones included. */
export function bucketsOf(items: RegistrationSummary[], today: Date): { buckets: Bucket[]; weekly: boolean } {
  const end = startOfDay(today);
  const first = items.reduce((min, r) => Math.min(min, Date.parse(r.submittedAt)), end.getTime());
  const start = Math.min(startOfDay(first).getTime(), subDays(end, MIN_DAYS - 1).getTime());
  const weekly = (end.getTime() - start) / 86_400_000 > MAX_DAILY_DAYS;
  const bucketStart = (at: Date) => (weekly ? startOfWeek(at, { weekStartsOn: 1 }) : startOfDay(at));
  const buckets = new Map<number, Bucket>();
  for (let at = bucketStart(new Date(start)); at <= end; at = addDays(at, weekly ? 7 : 1)) {
    buckets.set(at.getTime(), {
      label: weekly ? `w/c ${format(at, 'd MMM')}` : format(at, 'd MMM'),
      start: at,
      total: 0,
    });
  }
  for (const r of items) {
    const bucket = buckets.get(bucketStart(new Date(r.submittedAt)).getTime());
    if (!bucket) continue;
    bucket[r.status] = (bucket[r.status] ?? 0) + 1;
    bucket.total += 1;
  }
  return { buckets: [...buckets.values()], weekly };
}

export function RegistrationsOverTime() {
  const registrations = useQuery({ queryKey: ['registrations', 'all-for-dashboard'], queryFn: allRegistrations });
  if (registrations.error) return <ErrorNotice error={registrations.error} />;
  if (!registrations.data) return <Loading what="registrations over time" />;
  const { items, complete } = registrations.data;
  const { buckets, weekly } = bucketsOf(items, new Date());
  const shown = STATUSES.filter(({ status }) => items.some((r) => r.status === status));
  const withSubmissions = buckets.filter((b) => b.total > 0);
  const totals = shown.map(({ status, words }) => `${items.filter((r) => r.status === status).length} ${words}`);
  const period = `${format(buckets[0].start, 'd MMM yyyy')} to ${format(new Date(), 'd MMM yyyy')}`;
  return (
    <ChartCard
      wide
      title="Registrations by status over time"
      summary={
        items.length === 0 ? (
          `No registrations submitted from ${period}.`
        ) : (
          <>
            {count(items.length, 'registration')} submitted from {period}, by the {weekly ? 'week' : 'day'} they were
            submitted and the status each has now: {totals.join(', ')}.
            {complete ? '' : ` Only the newest ${items.length} are shown.`}
          </>
        )
      }
      hasData={items.length > 0}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={buckets} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" minTickGap={12} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 13 }} formatter={legendInInk} />
            {shown.map(({ status, words, colour }) => (
              <Bar
                key={status}
                dataKey={status}
                name={words}
                stackId="status"
                fill={colour}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      numbers={
        withSubmissions.length === 0 ? null : (
          <table>
            <caption>Submissions by {weekly ? 'week' : 'day'} (days without any are left out)</caption>
            <thead>
              <tr>
                <th scope="col">{weekly ? 'Week' : 'Day'}</th>
                {shown.map(({ status, words }) => (
                  <th key={status} scope="col" className="num">
                    {words}
                  </th>
                ))}
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {withSubmissions.map((b) => (
                <tr key={b.label}>
                  <th scope="row">{b.label}</th>
                  {shown.map(({ status }) => (
                    <td key={status} className="num">
                      {b[status] ?? 0}
                    </td>
                  ))}
                  <td className="num">{b.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    />
  );
}
