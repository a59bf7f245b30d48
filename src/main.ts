import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config';
import { loadConfigOrExit, orderedShutdown, type Shutdown } from './lifecycle';
import { createLogger } from './logger';
import { startDevServer } from './temporal/devServer';
import { connectClient } from './temporal/connection';
import { ensureSearchAttributes } from './temporal/registerSearchAttributes';
import { installWorkerRuntime } from './temporal/runtime';
import { createRuntimeMetrics } from './temporal/runtimeMetrics';
import { openStore } from './store';
import { seedDevelopment } from './store/seed';
import { createConfiguredApp, startConfiguredWorker } from './processes';
import { DEV_TOKENS } from './devDirectory';
import { closeServer } from './httpServer';
import { createApiServer } from './api/apiServer';
import { assertPortFree, listenOn, PortTakenError } from './ports';

type Progress = (message: string) => void;

/** `npm start`: the whole product in one process on embedded defaults (dev server, PGlite, outbox). */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfigOrExit('embedded');
  const progress: Progress = (message) => process.stdout.write(`[roe] ${message}\n`);
  const shutdown = orderedShutdown(progress);
  const startUp = startEverything(config, shutdown, progress);
  shutdown.starting(startUp);
  try {
    const uiUrl = await startUp;
    if (!shutdown.requested) printBanner(config, uiUrl, Date.now() - startedAt);
  } catch (error) {
    // A signal during start-up: the shutdown stops what had started and exits.
    if (shutdown.requested) return progress(`start-up interrupted (${(error as Error).message.split('\n')[0]})`);
    process.stderr.write(`${startUpFailure(error as Error, config)}\n`);
    await shutdown.stop(1);
  }
}

/** Starts each part and hands it to `shutdown` as soon as it runs; resolves with the Temporal UI's URL. */
async function startEverything(config: Config, shutdown: Shutdown, progress: Progress): Promise<string | undefined> {
  const logger = createLogger(config.logLevel);
  const interrupted = () => shutdown.requested;
  mkdirSync(config.dataDir, { recursive: true });
  // Checked first: otherwise a taken API port shows only after Temporal has been started for nothing.
  await assertPortFree(config.port, config.host);
  const runtimeMetrics = createRuntimeMetrics();
  installWorkerRuntime(logger, { buffered: runtimeMetrics });

  let address = config.temporal.address;
  let uiUrl: string | undefined;
  if (!address) {
    const devServer = await startDevServer({
      cliPath: config.temporal.cliPath,
      port: config.temporal.devPort,
      uiPort: config.temporal.devUiPort,
      namespace: config.temporal.namespace,
      dbFilename: join(config.dataDir, 'temporal', 'dev.sqlite'),
      onProgress: progress,
      signal: shutdown.signal,
      // A group signal would otherwise stop it before the worker and the API are done with it.
      ownProcessGroup: true,
    });
    shutdown.add({ name: 'Temporal dev server', run: () => devServer.stop(4_000) });
    address = devServer.address;
    uiUrl = devServer.uiUrl;
  }
  if (interrupted()) return uiUrl;
  const client = await connectClient(config.temporal, address);
  shutdown.add({ name: 'Temporal connection', run: () => client.connection.close() });
  progress(`connected to Temporal at ${address}, namespace ${config.temporal.namespace}`);
  if (!uiUrl) await registerAttributes(client, config.temporal.namespace, progress);

  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  shutdown.add({ name: 'store', run: () => store.db.close() });
  progress(
    `store ready (${store.db.engine === 'postgres' ? 'PostgreSQL' : `PGlite in ${join(config.dataDir, 'pglite')}`})`,
  );
  const seeded = await seedDevelopment(store, new Date());
  progress(
    `seed: development directory ${seeded.directory ? 'created' : 'already present'}, policy v1 ${seeded.policy ? 'created' : 'already present'}`,
  );
  if (interrupted()) return uiUrl;

  const worker = await startConfiguredWorker(config, address, client, store, logger);
  shutdown.add({ name: 'worker', run: () => worker.stop() });
  progress(`worker polling task queue "${config.temporal.taskQueue}"`);
  worker.running.catch((error: Error) => {
    logger.error({ err: error }, 'worker stopped unexpectedly');
    void shutdown.stop(1);
  });
  if (interrupted()) return uiUrl;

  const app = createConfiguredApp(config, store, client, logger, () => runtimeMetrics.render(), shutdown.signal);
  const server = await listenOn(createApiServer(app), config.port, config.host);
  shutdown.add({ name: 'API', run: () => closeServer(server) });
  return uiUrl;
}

/** One line a user can act on: a taken port names the variable that moves it. */
function startUpFailure(error: Error, config: Config): string {
  if (!(error instanceof PortTakenError)) return `start-up failed: ${error.message}`;
  const variable =
    error.port === config.port
      ? 'PORT'
      : error.port === config.temporal.devPort
        ? 'TEMPORAL_DEV_PORT'
        : 'TEMPORAL_DEV_UI_PORT';
  return `port ${error.port} is taken: set ${variable} to another port`;
}

async function registerAttributes(
  client: Parameters<typeof ensureSearchAttributes>[0],
  namespace: string,
  progress: Progress,
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

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function printBanner(config: Config, uiUrl: string | undefined, tookMs: number) {
  const { publicUrl, port, host } = config;
  const reach = LOOPBACK.has(host)
    ? `listening on ${host}:${port} only; HOST=0.0.0.0 opens it to other machines`
    : `listening on ${host}:${port}`;
  const lines = [
    '',
    `RoE Orchestrator is ready (${(tookMs / 1000).toFixed(1)} s)`,
    `  Web app:      ${publicUrl}/   (open it in a browser and sign in)`,
    `  API:          ${publicUrl}/api   (${reach})`,
    `  API docs:     ${publicUrl}/docs`,
    `  Metrics:      ${publicUrl}/metrics   (API and worker)`,
    `  Temporal UI:  ${uiUrl ?? 'external cluster (see your Temporal UI)'}`,
  ];
  if (config.auth.devTokens) {
    if (!LOOPBACK.has(host))
      lines.push(`  Warning:      the dev tokens below work for anyone who can reach ${host}:${port}`);
    lines.push('  Sign in with a dev token (Authorization: Bearer <token>):');
    for (const [token, principal] of Object.entries(DEV_TOKENS)) {
      const who =
        principal.role === 'partner'
          ? `partner ${principal.partnerId}`
          : principal.role === 'manager'
            ? `manager ${principal.escalationRoles.join(',')} ${principal.regions.join(',')}`
            : principal.role;
      lines.push(`    ${token.padEnd(24)} ${who}`);
    }
    lines.push(`  Try: curl -s -H 'Authorization: Bearer dev-ops' ${publicUrl}/api/policies/current`);
  } else if (config.auth.jwt) {
    const { issuer, audience } = config.auth.jwt;
    lines.push(`  Sign in:      Authorization: Bearer <JWT from ${issuer} for audience ${audience}>, or an API key`);
  } else {
    lines.push('  Sign in:      with an API key: npm run api-key -- --name NAME --role admin');
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`start-up failed: ${error.message}\n`);
  process.exit(1);
});
