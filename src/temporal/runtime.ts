import { Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Logger } from '../logger';

let installed = false;

/**
 * Installs the Temporal Core runtime once per process, before any worker connection: SDK logs go
 * to our JSON logger and the worker's metrics to a Prometheus endpoint on loopback.
 */
export function installWorkerRuntime(logger: Logger, metricsBindAddress: string): void {
  if (installed) return;
  installed = true;
  const temporalLog = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: {
      log: (level: LogLevel, message: string, meta?: LogMetadata) => temporalLog[pinoLevel(level)](meta ?? {}, message),
      trace: (message, meta) => temporalLog.trace(meta ?? {}, message),
      debug: (message, meta) => temporalLog.debug(meta ?? {}, message),
      info: (message, meta) => temporalLog.info(meta ?? {}, message),
      warn: (message, meta) => temporalLog.warn(meta ?? {}, message),
      error: (message, meta) => temporalLog.error(meta ?? {}, message),
    },
    telemetryOptions: { metrics: { prometheus: { bindAddress: metricsBindAddress } } },
  });
}

function pinoLevel(level: LogLevel): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  return level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
}
