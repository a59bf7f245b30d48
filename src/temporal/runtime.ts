import { Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Logger } from '../logger';
import type { RuntimeMetrics } from './runtimeMetrics';

let installed = false;

/** Where the worker's Core metrics go: a Prometheus endpoint of their own, or a buffer this process serves. */
export type WorkerMetricsSink = { prometheusBindAddress: string } | { buffered: RuntimeMetrics };

/**
 * Installs the Temporal Core runtime once per process, before any worker connection: SDK logs go
 * to our JSON logger and the worker's metrics to `sink`. Signals are left to our own ordered
 * shutdown (src/lifecycle.ts): the SDK's default handlers would stop the worker out of turn.
 */
export function installWorkerRuntime(logger: Logger, sink: WorkerMetricsSink): void {
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
    telemetryOptions: {
      metrics:
        'buffered' in sink
          ? { buffer: sink.buffered.buffer }
          : { prometheus: { bindAddress: sink.prometheusBindAddress } },
    },
    shutdownSignals: [],
  });
}

function pinoLevel(level: LogLevel): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  return level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
}
