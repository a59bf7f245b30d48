import { ConfigError, loadConfig, type Config, type ProcessRole } from './config';

/** Loads the configuration or stops the process with one line per bad variable and exit code 1. */
export function loadConfigOrExit(role: ProcessRole): Config {
  try {
    return loadConfig(process.env, role);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `Configuration error (nothing was started):\n${error.lines.map((l) => `  ${l}\n`).join('')}`,
      );
      process.exit(1);
    }
    throw error;
  }
}

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

export interface Shutdown {
  /** A part that has started; parts stop in the reverse of the order they were added. */
  add(step: ShutdownStep): void;
  /** A start-up in progress: a stop waits for it to settle, so that what it starts is stopped too. */
  starting(startUp: Promise<unknown>): void;
  /** True once a signal or a failure asked for the stop. */
  readonly requested: boolean;
  /** Aborted when the stop begins, for start-up steps that wait. */
  readonly signal: AbortSignal;
  /** Stops every part and exits with `exitCode`, or 1 if a part failed to stop. */
  stop(exitCode?: number): Promise<void>;
}

/** How long a stop waits for a start-up step in progress to settle before the parts are stopped. */
const START_UP_SETTLE_MS = 30_000;

/**
 * Stops everything on SIGINT/SIGTERM/SIGHUP within `budgetMs` once start-up has settled, then
 * exits. Further signals during the stop are the same request: a process group signal reaches
 * `npm` too, which forwards it. Only a stop that overruns the budget ends the process at once
 * (exit code 1).
 */
export function orderedShutdown(log: (message: string) => void, budgetMs = 9_000): Shutdown {
  const steps: ShutdownStep[] = [];
  let startUp: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  const requested = new AbortController();
  const stop = (exitCode = 0): Promise<void> => {
    if (stopping) return stopping;
    requested.abort();
    stopping = (async () => {
      // The budget is for stopping the parts: a start-up step still running when the signal came
      // (bundling, migrations) settles first, within a bound of its own.
      const settling = setTimeout(() => {
        log('start-up did not settle; exiting');
        process.exit(1);
      }, START_UP_SETTLE_MS);
      settling.unref();
      await startUp.catch(() => undefined);
      clearTimeout(settling);
      const deadline = setTimeout(() => {
        log('shutdown took too long; exiting');
        process.exit(1);
      }, budgetMs);
      deadline.unref();
      let code = exitCode;
      for (const step of steps) {
        try {
          await step.run();
          log(`stopped ${step.name}`);
        } catch (error) {
          code = 1;
          log(`stopping ${step.name} failed: ${(error as Error).message}`);
        }
      }
      clearTimeout(deadline);
      process.exit(code);
    })();
    return stopping;
  };
  // SIGHUP: the terminal was closed, which would otherwise leave npm start's dev server running.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(stopping ? `${signal} received again; already shutting down` : `${signal} received, shutting down`);
      void stop();
    });
  }
  return {
    add: (step) => steps.unshift(step),
    starting: (promise) => (startUp = promise),
    get requested() {
      return stopping !== undefined;
    },
    signal: requested.signal,
    stop,
  };
}

/** `orderedShutdown` of parts already running, stopped in the order given; returns a stop for failures. */
export function stopOnSignals(
  steps: ShutdownStep[],
  log: (message: string) => void,
  budgetMs = 9_000,
): () => Promise<void> {
  const shutdown = orderedShutdown(log, budgetMs);
  for (const step of [...steps].reverse()) shutdown.add(step);
  return () => shutdown.stop(1);
}
