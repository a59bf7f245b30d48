import { performance } from 'node:perf_hooks';
import { describe, summarize, type LatencySummary } from './stats';

export interface LoadResult {
  summary: LatencySummary;
  /** What each successful request returned, in completion order. */
  results: string[];
}

/**
 * Runs `total` requests through `clients` concurrent clients, each sending its next request as soon
 * as its last one answered (a closed loop: latency is not inflated by a queue in the driver).
 * `request` resolves with a value to keep (an id) or throws; failures are counted, not retried.
 */
export async function runClients(options: {
  label: string;
  clients: number;
  total: number;
  request: (index: number) => Promise<string>;
  progress: (line: string) => void;
  progressEveryMs?: number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const results: string[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const startedAt = performance.now();
  const ticker = setInterval(() => {
    const recent = summarize(latencies.slice(-500), errors, performance.now() - startedAt);
    options.progress(
      `${options.label}: ${latencies.length + errors}/${options.total}; ` +
        `${round(latencies.length / ((performance.now() - startedAt) / 1000))} req/s so far, recent p50 ${recent.p50Ms} ms`,
    );
  }, options.progressEveryMs ?? 5_000);

  async function client(): Promise<void> {
    while (next < options.total) {
      const index = next++;
      const before = performance.now();
      try {
        results.push(await options.request(index));
        latencies.push(performance.now() - before);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: options.clients }, () => client()));
  } finally {
    clearInterval(ticker);
  }
  const summary = summarize(latencies, errors, performance.now() - startedAt);
  options.progress(`${options.label}: done, ${describe(summary)}`);
  if (firstError) options.progress(`${options.label}: first error: ${firstError}`);
  return { summary, results };
}

const round = (value: number) => Math.round(value * 10) / 10;
