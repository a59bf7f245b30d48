import type { Server } from 'node:http';
import { loadConfigOrExit, stopOnSignals } from './lifecycle';
import { createLogger } from './logger';
import { connectClient } from './temporal/connection';
import { openStore } from './store';
import { createConfiguredApp } from './processes';
import { closeServer } from './httpServer';
import { createApiServer } from './api/apiServer';

/** `npm run api`: the HTTP API alone, stateless, against a cluster and PostgreSQL; scale it out freely. */
async function main(): Promise<void> {
  const config = loadConfigOrExit('api');
  const logger = createLogger(config.logLevel, { process: 'api' });
  const address = config.temporal.address!;
  const client = await connectClient(config.temporal, address);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const stopping = new AbortController();
  const app = createConfiguredApp(config, store, client, logger, undefined, stopping.signal);
  const server: Server = await new Promise((resolve) => {
    const listening = createApiServer(app).listen(config.port, config.host, () => resolve(listening));
  });
  const log = (message: string) => logger.info(message);
  stopOnSignals(
    [
      { name: 'API', run: () => (stopping.abort(), closeServer(server)) },
      { name: 'Temporal connection', run: () => client.connection.close() },
      { name: 'store', run: () => store.db.close() },
    ],
    log,
  );
  logger.info(
    { port: config.port, temporal: address, namespace: config.temporal.namespace, devAuth: config.auth.devTokens },
    'API listening',
  );
}

main().catch((error: Error) => {
  process.stderr.write(`API start-up failed: ${error.message}\n`);
  process.exit(1);
});
