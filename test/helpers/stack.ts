import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { createActivities } from '../../activities';
import { createMailer } from '../../src/notify/mailer';
import { createRoeWorker, stopWorker } from '../../src/temporal/worker';
import { seedDevelopment } from '../../src/store/seed';
import type { WebhookSettings } from '../../src/config';
import { webhookDispatcher } from '../../src/webhooks/dispatcher';
import type { Store } from '../../src/store';
import type { TestTemporal } from './temporal';
import type { TestStore } from './store';
import { startTemporalAndStore } from './environment';
import { startTestApi, type TestApi } from './api';

export interface Outbox {
  dir: string;
  /** Every email written so far, parsed. */
  read(): Promise<ParsedMail[]>;
}

export function outboxIn(dir: string): Outbox {
  return {
    dir,
    read: async () => {
      let files: string[] = [];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
      } catch {
        return [];
      }
      return Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
    },
  };
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/**
 * The product's own worker (all workflows, real activities) on a task queue of its own. Managers get
 * every email at once unless `managerDigestWindowMs` is given: tests about the digest rule set it.
 */
export async function startProductWorker(options: {
  connection: NativeConnection;
  client: Client;
  store: Store;
  outboxDir: string;
  taskQueue: string;
  namespace?: string;
  managerDigestWindowMs?: number;
  /** Sends over SMTP instead of writing the outbox. */
  smtpUrl?: string;
  maxCachedWorkflows?: number;
  webhookAllowedTargets?: string[];
}): Promise<RunningWorker> {
  const mailer = createMailer({
    smtpUrl: options.smtpUrl,
    outboxDir: options.outboxDir,
    from: 'RoE Test <roe@test.example>',
  });
  const worker = await createRoeWorker({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities: createActivities({
      store: options.store,
      mailer,
      temporal: options.client,
      taskQueue: options.taskQueue,
      publicUrl: 'http://roe.test',
      managerDigestWindowMs: options.managerDigestWindowMs ?? 0,
      webhookAllowedTargets: options.webhookAllowedTargets,
    }),
    maxCachedWorkflows: options.maxCachedWorkflows,
  });
  const running = worker.run();
  return {
    worker,
    stop: async () => {
      await stopWorker(worker, running);
      mailer.close();
    },
  };
}

export interface TestStack {
  temporal: TestTemporal;
  db: TestStore;
  api: TestApi;
  outbox: Outbox;
  taskQueue: string;
  close(): Promise<void>;
}

/**
 * Everything `npm start` runs, in-process: a real dev server, a real store seeded with the
 * development directory and policy v1, the product worker writing emails to an outbox, the API.
 */
export interface StackOptions {
  /** Fan the event feed out to webhook subscriptions, with these settings. */
  webhooks?: WebhookSettings;
}

export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const { temporal, db } = await startTemporalAndStore();
  await seedDevelopment(db.store, new Date());
  const outboxDir = mkdtempSync(join(tmpdir(), 'roe-outbox-'));
  const taskQueue = `roe-test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await startProductWorker({
    connection,
    client: temporal.client,
    store: db.store,
    outboxDir,
    taskQueue,
    webhookAllowedTargets: options.webhooks?.allowedTargets,
  });
  // As in a product worker process: the feed fanned out to webhook subscriptions.
  const dispatcher = options.webhooks
    ? webhookDispatcher({
        db: db.store.db,
        temporal: temporal.client,
        taskQueue,
        settings: options.webhooks,
        logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      })
    : undefined;
  const api = await startTestApi(
    { store: db.store, temporal: temporal.client },
    { taskQueue, ...(options.webhooks ? { webhooks: options.webhooks } : {}) },
  );
  return {
    temporal,
    db,
    api,
    outbox: outboxIn(outboxDir),
    taskQueue,
    close: async () => {
      await api.close();
      await dispatcher?.stop();
      await worker.stop();
      await connection.close();
      await db.close();
      await temporal.stop();
      rmSync(outboxDir, { recursive: true, force: true });
    },
  };
}
