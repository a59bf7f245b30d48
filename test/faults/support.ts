import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { EXAMPLE_POLICY, type PolicyDocumentInput } from '../../src/domain/policy';
import type { Mailer } from '../../src/notify/mailer';
import { openStore, type Store } from '../../src/store';
import { seedDevelopment } from '../../src/store/seed';
import { createRoeWorker, stopWorker } from '../../src/temporal/worker';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { startTestTemporal, type TestTemporal } from '../helpers/temporal';
import type { RegistrationView } from '../../workflows/registration/contract';

export const ADMIN = 'dev-admin';
export const OPS = 'dev-ops';
export const NORTHWIND = 'dev-partner-northwind'; // gold: auto-approved
export const CONTOSO = 'dev-partner-contoso'; // silver: reviewed by the channel manager

/** Durations in seconds, so that every timer of a registration fires within a test. */
export const SECONDS_POLICY: PolicyDocumentInput = {
  ...structuredClone(EXAMPLE_POLICY),
  title: 'RoE in seconds (faults)',
  registration: {
    validity: 'PT8S',
    reminders: ['PT4S'],
    extensions: { max: 1, length: 'PT4S' },
    review: {
      sla: 'PT3S',
      clock: 'wall',
      onBreach: 'escalate',
      autoApprove: { maxAmount: 50_000, tiers: ['gold', 'platinum'] },
    },
  },
};

/** Bounded waits for real timers and retries: generous for a slow machine, never a fixed sleep. */
export const TIMER_WAIT = { timeoutMs: 45_000, intervalMs: 200 };

type Call = <T = unknown>(method: string, path: string, token: string, body?: unknown) => Promise<ApiResponse<T>>;

/** Makes the seconds policy the one in effect, the way the real-time API tests do (directly in the store). */
export async function putSecondsPolicyInEffect(
  call: Call,
  query: (sql: string, params?: unknown[]) => Promise<unknown>,
) {
  const draft = await call<{ version: number }>('POST', '/api/policies', ADMIN, SECONDS_POLICY);
  if (draft.status !== 201) throw new Error(`policy draft answered ${draft.status}: ${draft.text}`);
  await query(`UPDATE policies SET status = 'superseded', superseded_at = now() WHERE status = 'effective'`);
  await query(`UPDATE policies SET status = 'effective', effective_at = now() WHERE version = $1`, [
    draft.body.version,
  ]);
  return draft.body.version;
}

export function registrationOn(domain = `faults-${randomBytes(4).toString('hex')}.example`) {
  return {
    account: { name: 'Faulty Towers', domain, region: 'emea' },
    opportunity: {
      title: 'Resilience',
      productLine: 'analytics',
      amount: { value: 20_000, currency: 'EUR' },
      expectedCloseDate: '2027-06-30',
    },
  };
}

export async function register(call: Call, token: string): Promise<RegistrationView> {
  const res = await call<RegistrationView>('POST', '/api/registrations', token, registrationOn());
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
  return res.body;
}

/** Polls a registration until `accept` holds. */
export function registrationUntil(
  call: Call,
  token: string,
  id: string,
  accept: (view: RegistrationView) => boolean,
  wait = TIMER_WAIT,
): Promise<RegistrationView> {
  return eventually(
    async () => (await call<RegistrationView>('GET', `/api/registrations/${id}`, token)).body,
    (view) => view?.id === id && accept(view),
    wait,
  );
}

export const hasEvent = (view: RegistrationView, event: string) => view.timeline.some((t) => t.event === event);

/** The actions of a subject's audit trail, in order. */
export async function auditActions(call: Call, subject: string): Promise<string[]> {
  const res = await call<{ items: { action: string; at: string; detail: unknown }[] }>(
    'GET',
    `/api/audit?subject=${encodeURIComponent(subject)}&limit=500`,
    OPS,
  );
  if (res.status !== 200) throw new Error(`audit answered ${res.status}: ${res.text}`);
  return res.body.items.map((e) => `${e.action} ${JSON.stringify(e.detail)}`);
}

/** The entries that occur more than once. */
export const repeated = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);

export interface InProcessStack {
  temporal: TestTemporal;
  store: Store;
  api: TestApi;
  call: Call;
  close(): Promise<void>;
}

/** A dev server, the store at `databaseUrl`, the product worker sending through `mailer`, the API. */
export async function startInProcessStack(options: { databaseUrl: string; mailer: Mailer }): Promise<InProcessStack> {
  const temporal = await startTestTemporal();
  const store = await openStore({ databaseUrl: options.databaseUrl, dataDir: tmpdir() });
  await seedDevelopment(store, new Date());
  const taskQueue = `roe-faults-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createRoeWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({
      store,
      mailer: options.mailer,
      temporal: temporal.client,
      taskQueue,
      publicUrl: 'http://roe.test',
      managerDigestWindowMs: 0,
    }),
  });
  const running = worker.run();
  const api = await startTestApi({ store, temporal: temporal.client }, { taskQueue });
  const call: Call = (method, path, token, body) => api.call(method, path, { token, body });
  return {
    temporal,
    store,
    api,
    call,
    close: async () => {
      await api.close();
      await stopWorker(worker, running);
      await connection.close();
      options.mailer.close();
      await store.db.close();
      await temporal.stop();
    },
  };
}
