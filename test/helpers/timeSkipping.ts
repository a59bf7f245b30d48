import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol, type InternalConnectionOptions } from '@temporalio/client/lib/connection';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { MISSING_BINARY_HINT, resolveTemporalBinary } from '../../src/temporal/binaries';
import { ROE_SEARCH_ATTRIBUTES } from '../../src/temporal/searchAttributes';
import { seedDevelopment } from '../../src/store/seed';
import { openTestStore, type TestStore } from './store';
import { outboxIn, startProductWorker, type Outbox, type RunningWorker } from './stack';

/** The time-skipping test server (the pinned binary, never the SDK's download) with the RoE search attributes. */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const binary = resolveTemporalBinary('temporal-test-server', process.env.TEMPORAL_TEST_SERVER_PATH);
  if (!binary) throw new Error(`no temporal-test-server binary: ${MISSING_BINARY_HINT}`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: binary.path } },
  });
  try {
    await addRoeSearchAttributes(env);
  } catch (error) {
    await env.teardown();
    throw error;
  }
  return env;
}

/** The test server's clock: time moves only when a test sleeps. */
export interface TimeSkippingClock {
  /** Lets the server skip `ms` ahead; timers due on the way fire in order. */
  sleep(ms: number): Promise<void>;
  currentTimeMs(): Promise<number>;
}

export interface TimeSkippingStack {
  env: TimeSkippingClock;
  /**
   * A client that never unlocks time skipping. `env.client` unlocks it while it awaits a result,
   * and between that workflow's end and the re-lock the server jumps to the next timer it knows:
   * with only idle workflows left (account claims), that is their 10-year execution timeout,
   * which ends them. Tests move time with `env.sleep` only, and await results with this client.
   */
  client: Client;
  db: TestStore;
  outbox: Outbox;
  taskQueue: string;
  worker: RunningWorker;
  /** Stops the worker and starts another on the same task queue, as a deploy or a crash would. */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One time-skipping server (time moves only through `env.sleep`), a seeded store (directory and
 * policy v1) and the product worker writing emails to an outbox. The server has one clock: a file
 * that uses it runs its tests serially.
 */
export async function startTimeSkippingStack(
  workerOptions: { managerDigestWindowMs?: number; smtpUrl?: string; maxCachedWorkflows?: number } = {},
): Promise<TimeSkippingStack> {
  const [started, opened] = await Promise.allSettled([startTimeSkippingEnv(), openTestStore()]);
  if (started.status === 'rejected' || opened.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.teardown();
    if (opened.status === 'fulfilled') await opened.value.close();
    throw started.status === 'rejected' ? started.reason : (opened as PromiseRejectedResult).reason;
  }
  const [env, db] = [started.value, opened.value];
  let connection: Connection;
  try {
    connection = await connectWithoutIdlePings(env.address);
  } catch (error) {
    await env.teardown();
    await db.close();
    throw error;
  }
  const client = new Client({ connection, namespace: 'default' });
  const outboxDir = mkdtempSync(join(tmpdir(), 'roe-outbox-'));
  const taskQueue = `roe-ts-${randomUUID()}`;
  let worker: RunningWorker;
  const startWorker = () =>
    startProductWorker({
      connection: env.nativeConnection,
      client,
      store: db.store,
      outboxDir,
      taskQueue,
      ...workerOptions,
    });
  try {
    await seedDevelopment(db.store, new Date());
    worker = await startWorker();
  } catch (error) {
    await connection.close();
    await env.teardown();
    await db.close();
    rmSync(outboxDir, { recursive: true, force: true });
    throw error;
  }
  return {
    env: clockOf(connection),
    client,
    db,
    outbox: outboxIn(outboxDir),
    taskQueue,
    get worker() {
      return worker;
    },
    restartWorker: async () => {
      await worker.stop();
      worker = await startWorker();
    },
    close: async () => {
      await worker.stop();
      await connection.close();
      await env.teardown();
      await db.close();
      rmSync(outboxDir, { recursive: true, force: true });
    },
  };
}

/**
 * The SDK's connection pings every 30 s, also while idle; the test server counts that as abuse and
 * closes the connection ("excess pings"), failing whatever call is in flight then. The clock and
 * the client use a connection that pings only during calls, and rarely.
 */
async function connectWithoutIdlePings(address: string): Promise<Connection> {
  const options: InternalConnectionOptions = {
    address,
    channelArgs: { 'grpc.keepalive_permit_without_calls': 0, 'grpc.keepalive_time_ms': 10 * 60_000 },
    [InternalConnectionOptionsSymbol]: { supportsTestService: true },
  };
  return Connection.connect(options);
}

function clockOf(connection: Connection): TimeSkippingClock {
  const testService = connection.testService;
  if (!testService) throw new Error('the connection was made without the test service');
  return {
    sleep: async (ms) => {
      await testService.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
    },
    currentTimeMs: async () => tsToMs((await testService.getCurrentTime({})).time),
  };
}

// The test server implements operatorService.addSearchAttributes but not listSearchAttributes, so
// ensureSearchAttributes (list, then add the missing) cannot run here: a fresh server lacks them all.
async function addRoeSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const types = temporal.api.enums.v1.IndexedValueType;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      ROE_SEARCH_ATTRIBUTES.map((key) => [key.name, types[`INDEXED_VALUE_TYPE_${key.type}` as keyof typeof types]]),
    ),
  });
}
