// `npm run bench`: the registration intake against the ceiling of the SDK, reads, and scale, on the
// product in production shape (dev server, worker, API as separate processes, PostgreSQL).
// Progress lines go to stdout as they happen; the last line is one JSON summary.
//
//   npm run bench                 the sizes
//   npm run bench -- --quick      small sizes (see options.ts for every BENCH_* variable)
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { benchOptions, requestsAt } from './options';
import { cpuMs, machine, rssMiB } from './machine';
import { startBenchStack, type BenchStack } from './stack';
import { readRegistration, registrationBody, submitRegistration } from './intake';
import { runClients } from './load';
import { runCeiling, startCeilingWorker } from './ceiling';
import { registrationCosts } from './costs';
import { runTimerCeiling } from './timerCeiling';
import { fillToScale, runExpiries } from './scale';
import { round1, type LatencySummary } from './stats';

const startedAt = performance.now();
const progress = (line: string) =>
  console.log(`[bench +${((performance.now() - startedAt) / 1000).toFixed(1)}s] ${line}`);

/** One concurrency level of a phase, with the CPU each process spent per request. */
type Measured = { clients: number; cpuMsPerRequest: Record<string, number> } & LatencySummary;

async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2), process.env);
  // ERROR: the no-op worker's "no activities registered" warning is expected.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  progress(`options ${JSON.stringify(options)}`);
  const stack = await startBenchStack({ keep: options.keep, progress });
  const ceilingWorker = await startCeilingWorker(stack.temporalAddress);
  try {
    const memoryAtStart = memoryOf(stack);
    progress(`memory at start (MiB): ${JSON.stringify(memoryAtStart)}`);
    await warmUp(stack);

    const intake: (Measured & { undecided: number })[] = [];
    const ceiling: Measured[] = [];
    const registered: string[] = [];
    for (const clients of options.concurrency) {
      const total = requestsAt(options, clients);
      const cpuBefore = cpuOf(stack);
      let undecided = 0;
      const posts = await runClients({
        label: `intake ×${clients}`,
        clients,
        total,
        progress,
        request: async (index) => {
          const answer = await submitRegistration(stack.apiUrl, registrationBody(index, `c${clients}`));
          // The API answers as is after waiting 10 s for the first decision: a sign of overload.
          if (answer.status !== 'approved') undecided++;
          return answer.id;
        },
      });
      const cpuMsPerRequest = cpuPerRequest(stack, cpuBefore, posts.summary.requests);
      progress(`intake ×${clients}: CPU ms per registration ${JSON.stringify(cpuMsPerRequest)}`);
      intake.push({ clients, ...posts.summary, undecided, cpuMsPerRequest });
      registered.push(...posts.results);
      const ceilingCpuBefore = { ...cpuOf(stack), bench: benchCpuMs() };
      const bare = await runCeiling({
        client: stack.client,
        taskQueue: ceilingWorker.taskQueue,
        clients,
        total,
        progress,
      });
      const ceilingCpu = {
        devServer: cpuPerRequest(stack, ceilingCpuBefore, bare.summary.requests).devServer,
        // The bench process runs the no-op worker and the client of this phase.
        bench: round1((benchCpuMs() - ceilingCpuBefore.bench) / Math.max(1, bare.summary.requests)),
      };
      progress(`ceiling ×${clients}: CPU ms per update-with-start ${JSON.stringify(ceilingCpu)}`);
      ceiling.push({ clients, ...bare.summary, cpuMsPerRequest: ceilingCpu });
    }
    const ratios = intake.map((measured, i) => ({
      clients: measured.clients,
      throughput: round2(measured.perSecond / ceiling[i].perSecond),
      p50: round2(measured.p50Ms / ceiling[i].p50Ms),
    }));
    progress(`intake / ceiling: ${JSON.stringify(ratios)}`);
    // p99 beside throughput: the target holds intake p99 within twice the bare call's.
    const p99Ratios = intake.map((measured, i) => ({
      clients: measured.clients,
      p99: round2(measured.p99Ms / ceiling[i].p99Ms),
    }));
    progress(`intake p99 / ceiling p99: ${JSON.stringify(p99Ratios)}`);
    const sample = await Promise.all(
      registered.slice(0, 20).map(async (id) => {
        const view = await readRegistration(stack.apiUrl, id);
        return { id, accountDomain: view.account?.domain ?? '' };
      }),
    );
    const costs = await registrationCosts(stack.temporalAddress, sample);
    progress(`per registration (mean of ${costs.sampled}): ${JSON.stringify(costs)}`);

    const reads = await runClients({
      label: `GET ×${options.readClients}`,
      clients: options.readClients,
      total: options.reads,
      progress,
      request: async (index) => (await readRegistration(stack.apiUrl, registered[index % registered.length])).id,
    });

    const topClients = Math.max(...options.concurrency);
    const fill = await fillToScale({
      apiUrl: stack.apiUrl,
      store: stack.store,
      target: options.scale,
      clients: topClients,
      progress,
    });
    const memoryAtScale = memoryOf(stack);
    progress(`${fill.approved} approved registrations; memory (MiB): ${JSON.stringify(memoryAtScale)}`);

    const expiries =
      options.expiries > 0
        ? await runExpiries({
            apiUrl: stack.apiUrl,
            store: stack.store,
            count: options.expiries,
            clients: topClients,
            expectedPerSecond: fill.intake?.perSecond ?? intake[intake.length - 1].perSecond,
            stopWorker: options.expiriesTogether ? stack.stopWorker : undefined,
            progress,
          })
        : undefined;
    const memoryAtEnd = memoryOf(stack);
    // The same number of bare timers, due together after their worker's restart, on the same server.
    const timerCeiling =
      expiries?.drainMs !== undefined
        ? await runTimerCeiling({
            client: stack.client,
            address: stack.temporalAddress,
            count: options.expiries,
            clients: topClients,
            progress,
          })
        : undefined;
    const expiriesToCeiling =
      expiries?.drainMs !== undefined && timerCeiling
        ? {
            inWorkflow: round2(expiries.lagMaxMs / Math.max(1, timerCeiling.drainMs)),
            inReadModel: round2(expiries.drainMs / Math.max(1, timerCeiling.drainMs)),
          }
        : undefined;
    if (timerCeiling)
      progress(
        `timer ceiling: ${JSON.stringify(timerCeiling)}; expiries / ceiling: ${JSON.stringify(expiriesToCeiling)}`,
      );

    console.log(
      JSON.stringify({
        bench: 'registrations',
        machine: machine(),
        engine: stack.store.db.engine,
        shape: 'dev server + worker + API processes',
        intake,
        ceiling,
        intakeToCeiling: ratios,
        intakeToCeilingP99: p99Ratios,
        perRegistration: costs,
        reads: { clients: options.readClients, ...reads.summary },
        scale: { ...fill, memoryMiB: memoryAtScale, expiries, memoryMiBAfterExpiries: memoryAtEnd },
        timerCeiling,
        expiriesToCeiling,
        memoryMiBAtStart: memoryAtStart,
        tookS: round1((performance.now() - startedAt) / 1000),
      }),
    );
  } finally {
    await ceilingWorker.stop();
    await stack.close();
  }
}

/** A few registrations first, so that the first measured ones do not pay for cold caches and JIT. */
async function warmUp(stack: BenchStack): Promise<void> {
  await runClients({
    label: 'warm-up',
    clients: 4,
    total: 40,
    progress,
    request: async (index) => (await submitRegistration(stack.apiUrl, registrationBody(index, 'warmup'))).id,
  });
}

function cpuOf(stack: BenchStack): Record<string, number> {
  return Object.fromEntries(stack.processes().map((p) => [p.name, cpuMs(p.pid)]));
}

/** CPU each process spent per request since `before` (the dev server's includes its SQLite work). */
function cpuPerRequest(stack: BenchStack, before: Record<string, number>, requests: number): Record<string, number> {
  const now = cpuOf(stack);
  return Object.fromEntries(
    Object.entries(now).map(([name, ms]) => [name, round1((ms - before[name]) / Math.max(1, requests))]),
  );
}

function benchCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function memoryOf(stack: BenchStack): Record<string, number | undefined> {
  return Object.fromEntries(stack.processes().map((p) => [p.name, rssMiB(p.pid)]));
}

const round2 = (value: number) => Math.round(value * 100) / 100;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
