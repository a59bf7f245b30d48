// Submission latency of POST /api/registrations on the full embedded stack (dev server, store,
// product worker, API), as the test helper starts it; PostgreSQL when DATABASE_URL is set.
//
//   node --import tsx scripts/bench-registrations.ts [count]
//
// Submits `count` (default 200) registrations one after another, each on an account of its own,
// prints progress every 50 and ends with one line of JSON: median and p99 latency in ms.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startTestStack } from '../test/helpers/stack';

const PARTNER_TOKEN = 'dev-partner-northwind'; // gold: auto-approved, so every POST takes a claim
const PROGRESS_EVERY = 50;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`count must be a positive integer, got ${process.argv[2]}`);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const startedAt = performance.now();
  const stack = await startTestStack();
  const startupMs = performance.now() - startedAt;
  const run = randomBytes(3).toString('hex');
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  try {
    for (let i = 1; i <= count; i++) {
      const before = performance.now();
      const res = await stack.api.call<{ status: string }>('POST', '/api/registrations', {
        token: PARTNER_TOKEN,
        body: registrationOn(`bench-${run}-${i}.example`),
      });
      latencies.push(performance.now() - before);
      if (res.status !== 201) throw new Error(`submission ${i} answered ${res.status}: ${res.text}`);
      statuses[res.body.status] = (statuses[res.body.status] ?? 0) + 1;
      if (i % PROGRESS_EVERY === 0 || i === count) {
        const recent = latencies.slice(-PROGRESS_EVERY);
        console.log(`${i}/${count} submitted; last ${recent.length}: median ${round(percentile(recent, 50))} ms`);
      }
    }
  } finally {
    await stack.close();
  }
  console.log(
    JSON.stringify({
      submissions: count,
      engine: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      medianMs: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      minMs: round(Math.min(...latencies)),
      maxMs: round(Math.max(...latencies)),
      statuses,
      startupMs: Math.round(startupMs),
    }),
  );
}

function registrationOn(domain: string) {
  return {
    // Random company names: near-identical ones would all be flagged as possible duplicates of each other.
    account: { name: `Company ${randomBytes(5).toString('hex')}`, domain, region: 'emea' },
    opportunity: {
      title: 'Benchmark deal',
      productLine: 'analytics',
      amount: { value: 20_000, currency: 'EUR' },
      expectedCloseDate: '2027-06-30',
    },
  };
}

/** Percentile by linear interpolation between closest ranks (the median of an even count is the mean of the middle two). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

const round = (ms: number) => Math.round(ms * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
