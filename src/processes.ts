import type { Express } from 'express';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Store } from './store';
import { createActivities } from '../activities';
import { createApp } from './api/app';
import { builtWebAppDir, type WebAppOptions } from './api/webApp';
import { createMailer, type Mailer } from './notify/mailer';
import { connectWorker } from './temporal/connection';
import { createRoeWorker, stopWorker } from './temporal/worker';
import { webhookDispatcher } from './webhooks/dispatcher';

// The worker and the API as configured, shared by the embedded start and the production entry points.

export interface RunningWorker {
  worker: Worker;
  running: Promise<void>;
  connection: NativeConnection;
  mailer: Mailer;
  stop(): Promise<void>;
}

export async function startConfiguredWorker(
  config: Config,
  address: string,
  client: Client,
  store: Store,
  logger: Logger,
): Promise<RunningWorker> {
  const mailer = createMailer({
    smtpUrl: config.mail.smtpUrl,
    outboxDir: config.mail.outboxDir,
    from: config.mail.from,
  });
  const connection = await connectWorker(config.temporal, address);
  const worker = await createRoeWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: createActivities({
      store,
      mailer,
      temporal: client,
      taskQueue: config.temporal.taskQueue,
      publicUrl: config.publicUrl,
      managerDigestWindowMs: config.managerDigestWindowMs,
      webhookAllowedTargets: config.webhooks.allowedTargets,
      emailActionTtlMs: config.emailLinkTtlMs,
    }),
    maxCachedWorkflows: config.workerCachedWorkflows,
  });
  const running = worker.run();
  // Beside the worker, in every worker process: the dispatch lock lets one of them work at a time.
  const dispatcher = webhookDispatcher({
    db: store.db,
    temporal: client,
    taskQueue: config.temporal.taskQueue,
    settings: config.webhooks,
    logger,
  });
  return {
    worker,
    running,
    connection,
    mailer,
    stop: async () => {
      await dispatcher.stop();
      await stopWorker(worker, running);
      await connection.close();
      mailer.close();
    },
  };
}

export function createConfiguredApp(
  config: Config,
  store: Store,
  client: Client,
  logger: Logger,
  workerMetrics?: () => string,
  stopping?: AbortSignal,
): Express {
  return createApp({
    store,
    temporal: client,
    taskQueue: config.temporal.taskQueue,
    logger,
    auth: config.auth,
    rateLimitPerMinute: config.rateLimitPerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
    trustedProxies: config.trustedProxies,
    webhooks: config.webhooks,
    workerMetrics,
    stopping,
    webApp: webAppOf(config),
    session: {
      temporalUiUrl: config.temporal.uiUrl,
      temporalNamespace: config.temporal.namespace,
      oidc:
        config.auth.jwt && config.auth.clientId
          ? { issuer: config.auth.jwt.issuer, clientId: config.auth.clientId, audience: config.auth.jwt.audience }
          : undefined,
    },
  });
}

/** The web page at `/` when the app is built (`npm start` builds it), signing in at the API's issuer. */
function webAppOf(config: Config): WebAppOptions | undefined {
  const dir = builtWebAppDir();
  if (!dir) return undefined;
  return { dir, ...(config.auth.jwt ? { oidcIssuer: config.auth.jwt.issuer } : {}) };
}
