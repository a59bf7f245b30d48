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

/**
 * Stops everything on SIGINT/SIGTERM in the order given, within `budgetMs` in all; a second signal
 * or a step that overruns the budget ends the process at once.
 */
export function stopOnSignals(
  steps: ShutdownStep[],
  log: (message: string) => void,
  budgetMs = 9_000,
): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const stop = (exitCode = 0): Promise<void> => {
    if (stopping) return stopping;
    const deadline = setTimeout(() => {
      log('shutdown took too long; exiting');
      process.exit(1);
    }, budgetMs);
    deadline.unref();
    stopping = (async () => {
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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal} received, shutting down`);
      process.once(signal, () => process.exit(1));
      void stop();
    });
  }
  return () => stop(1);
}
