import { loadConfigOrExit, stopOnSignals } from './lifecycle';
import { createLogger } from './logger';
import { connectClient } from './temporal/connection';
import { ensureSearchAttributes } from './temporal/registerSearchAttributes';
import { installWorkerRuntime } from './temporal/runtime';
import { openStore } from './store';
import { startConfiguredWorker } from './processes';
import { closeServer, startHealthServer } from './httpServer';

/** `npm run worker`: runs RoE workflows and activities against a cluster; scale it out freely. */
async function main(): Promise<void> {
  const config = loadConfigOrExit('worker');
  const logger = createLogger(config.logLevel, { process: 'worker' });
  installWorkerRuntime(logger, { prometheusBindAddress: `0.0.0.0:${config.workerMetricsPort}` });
  const address = config.temporal.address!;
  const client = await connectClient(config.temporal, address);
  try {
    const added = await ensureSearchAttributes(client, config.temporal.namespace);
    if (added.length) logger.info({ added }, 'registered search attributes');
  } catch (error) {
    logger.warn(
      { err: error },
      'could not check search attributes; register them with infra/register-search-attributes.sh',
    );
  }
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { worker, running, stop } = await startConfiguredWorker(config, address, client, store, logger);
  const health = await startHealthServer(config.workerHealthPort, () => worker.getState() === 'RUNNING');
  const fail = stopOnSignals(
    [
      { name: 'worker', run: stop },
      { name: 'health endpoint', run: () => closeServer(health) },
      { name: 'Temporal connection', run: () => client.connection.close() },
      { name: 'store', run: () => store.db.close() },
    ],
    (message) => logger.info(message),
  );
  running.catch((error: Error) => {
    logger.error({ err: error }, 'worker stopped unexpectedly');
    void fail();
  });
  logger.info(
    {
      temporal: address,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      healthPort: config.workerHealthPort,
    },
    'worker polling',
  );
}

main().catch((error: Error) => {
  process.stderr.write(`worker start-up failed: ${error.message}\n`);
  process.exit(1);
});
