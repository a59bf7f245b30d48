import type { Express } from 'express';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Store } from './store';
import { createActivities } from '../activities';
import { createApp } from './api/app';
import { createMailer, type Mailer } from './notify/mailer';
import { connectWorker } from './temporal/connection';
import { createRoeWorker, stopWorker } from './temporal/worker';

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
    }),
    maxCachedWorkflows: config.workerCachedWorkflows,
  });
  const running = worker.run();
  return {
    worker,
    running,
    connection,
    mailer,
    stop: async () => {
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
  workerMetricsUrl?: string,
): Express {
  return createApp({
    store,
    temporal: client,
    taskQueue: config.temporal.taskQueue,
    logger,
    auth: config.auth,
    rateLimitPerMinute: config.rateLimitPerMinute,
    workerMetricsUrl,
  });
}
