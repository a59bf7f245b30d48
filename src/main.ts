import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { loadConfigOrExit, stopOnSignals } from './lifecycle';
import { createLogger } from './logger';
import { startDevServer, type DevServer } from './temporal/devServer';
import { connectClient } from './temporal/connection';
import { ensureSearchAttributes } from './temporal/registerSearchAttributes';
import { installWorkerRuntime } from './temporal/runtime';
import { openStore } from './store';
import { seedDevelopment } from './store/seed';
import { createConfiguredApp, startConfiguredWorker } from './processes';
import { DEV_TOKENS } from './devDirectory';
import { closeServer } from './httpServer';

/** `npm start`: the whole product in one process on embedded defaults (dev server, PGlite, outbox). */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfigOrExit('embedded');
  const logger = createLogger(config.logLevel);
  const progress = (message: string) => process.stdout.write(`[roe] ${message}\n`);
  mkdirSync(config.dataDir, { recursive: true });
  installWorkerRuntime(logger, `127.0.0.1:${config.workerMetricsPort}`);

  let devServer: DevServer | undefined;
  if (!config.temporal.address) {
    devServer = await startDevServer({
      cliPath: config.temporal.cliPath,
      port: config.temporal.devPort,
      uiPort: config.temporal.devUiPort,
      namespace: config.temporal.namespace,
      dbFilename: join(config.dataDir, 'temporal', 'dev.sqlite'),
      onProgress: progress,
    });
  }
  const address = config.temporal.address ?? devServer!.address;
  const client = await connectClient(config.temporal, address);
  progress(`connected to Temporal at ${address}, namespace ${config.temporal.namespace}`);
  if (!devServer) await registerAttributes(client, config.temporal.namespace, progress);

  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  progress(
    `store ready (${store.db.engine === 'postgres' ? 'PostgreSQL' : `PGlite in ${join(config.dataDir, 'pglite')}`})`,
  );
  const seeded = await seedDevelopment(store, new Date());
  progress(
    `seed: development directory ${seeded.directory ? 'created' : 'already present'}, policy v1 ${seeded.policy ? 'created' : 'already present'}`,
  );

  const worker = await startConfiguredWorker(config, address, client, store);
  progress(`worker polling task queue "${config.temporal.taskQueue}"`);

  const metricsUrl = `http://127.0.0.1:${config.workerMetricsPort}/metrics`;
  const app = createConfiguredApp(config, store, client, logger, metricsUrl);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.port, () => resolve(listening));
  });

  const fail = stopOnSignals(
    [
      { name: 'API', run: () => closeServer(server) },
      { name: 'worker', run: () => worker.stop() },
      { name: 'Temporal connection', run: () => client.connection.close() },
      { name: 'store', run: () => store.db.close() },
      ...(devServer ? [{ name: 'Temporal dev server', run: () => devServer!.stop(4_000) }] : []),
    ],
    progress,
  );
  worker.running.catch((error: Error) => {
    logger.error({ err: error }, 'worker stopped unexpectedly');
    void fail();
  });

  printBanner(config.port, config.publicUrl, devServer?.uiUrl, config.auth.devTokens, Date.now() - startedAt);
}

async function registerAttributes(
  client: Parameters<typeof ensureSearchAttributes>[0],
  namespace: string,
  progress: (m: string) => void,
) {
  try {
    const added = await ensureSearchAttributes(client, namespace);
    progress(
      added.length ? `registered search attributes ${added.join(', ')}` : 'search attributes already registered',
    );
  } catch (error) {
    progress(
      `could not register search attributes (${(error as Error).message.split('\n')[0]}); see infra/register-search-attributes.sh`,
    );
  }
}

function printBanner(port: number, publicUrl: string, uiUrl: string | undefined, devTokens: boolean, tookMs: number) {
  const lines = [
    '',
    `RoE Orchestrator is ready (${(tookMs / 1000).toFixed(1)} s)`,
    `  API:          ${publicUrl}/api   (listening on port ${port})`,
    `  API docs:     ${publicUrl}/docs`,
    `  Temporal UI:  ${uiUrl ?? 'external cluster (see your Temporal UI)'}`,
  ];
  if (devTokens) {
    lines.push('  Dev tokens (Authorization: Bearer <token>):');
    for (const [token, principal] of Object.entries(DEV_TOKENS)) {
      const who =
        principal.role === 'partner'
          ? `partner ${principal.partnerId}`
          : principal.role === 'manager'
            ? `manager ${principal.escalationRoles.join(',')} ${principal.regions.join(',')}`
            : principal.role;
      lines.push(`    ${token.padEnd(24)} ${who}`);
    }
  }
  lines.push(`  Try: curl -s -H 'Authorization: Bearer dev-ops' ${publicUrl}/api/policies/current`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`start-up failed: ${error.message}\n`);
  process.exit(1);
});
