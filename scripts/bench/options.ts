// What to run and how big, from arguments and the environment; the defaults are the sizes.
//
//   npm run bench                       full sizes: about an hour on two cores, mostly the 20,000
//   npm run bench -- --quick            small sizes, for development (a few minutes)
//   BENCH_SCALE=2000 npm run bench      one size changed: BENCH_CONCURRENCY (1,8,32), BENCH_REQUESTS,
//                                       BENCH_READS, BENCH_READ_CLIENTS, BENCH_SCALE, BENCH_EXPIRIES
//   BENCH_EXPIRIES_LIVE=1               keep the worker running over the expiry deadlines
//   BENCH_CPU_PROF=<dir>                V8 CPU profiles of the worker and the API (stack.ts)
//   DATABASE_URL                        the PostgreSQL server the bench creates its database on

export interface BenchOptions {
  /** Concurrent clients of the intake and ceiling phases. */
  concurrency: number[];
  /** Requests per concurrency level; undefined: max(200, 50 × clients). */
  requestsPerLevel?: number;
  /** GET /api/registrations/{id} requests, and their clients. */
  reads: number;
  readClients: number;
  /** Approved registrations with live expiry timers before the expiry test. */
  scale: number;
  /** Registrations that expire together at the end. */
  expiries: number;
  /** Hold the worker over the expiry deadlines so that they fall due together (BENCH_EXPIRIES_LIVE=1: don't). */
  expiriesTogether: boolean;
  /** Keep the database and the data directory for a look afterwards. */
  keep: boolean;
}

export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.includes('--quick');
  const int = (name: string, full: number, small: number): number => {
    const raw = env[name];
    const value = raw === undefined || raw === '' ? (quick ? small : full) : Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${raw}`);
    return value;
  };
  const levels = (env.BENCH_CONCURRENCY ?? (quick ? '1,8' : '1,8,32')).split(',').map(Number);
  if (levels.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`BENCH_CONCURRENCY must be a comma-separated list of positive integers`);
  return {
    concurrency: levels,
    requestsPerLevel: env.BENCH_REQUESTS ? int('BENCH_REQUESTS', 0, 0) : quick ? 40 : undefined,
    reads: int('BENCH_READS', 2_000, 200),
    readClients: int('BENCH_READ_CLIENTS', 32, 8),
    scale: int('BENCH_SCALE', 20_000, 300),
    expiries: int('BENCH_EXPIRIES', 2_000, 100),
    expiriesTogether: env.BENCH_EXPIRIES_LIVE !== '1',
    keep: argv.includes('--keep'),
  };
}

export const requestsAt = (options: BenchOptions, clients: number): number =>
  options.requestsPerLevel ?? Math.max(200, 50 * clients);
