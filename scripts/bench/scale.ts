import { EXAMPLE_POLICY, type PolicyDocumentInput } from '../../src/domain/policy';
import type { Store } from '../../src/store';
import { createPolicyDraft, registrationBody, submitRegistration } from './intake';
import { runClients } from './load';
import { percentile, round1, type LatencySummary } from './stats';

// Scale: many approved registrations with live expiry timers, then a batch whose protection runs
// out together, and how long after its deadline each expiry took effect.

export interface ScaleFill {
  approved: number;
  submitted: number;
  /** Answered before their first decision (the API waits 10 s for it): a sign of overload. */
  undecided: number;
  intake?: LatencySummary;
}

/** Tops the store up to `target` approved registrations (policy v1: P90D timers) through the API. */
export async function fillToScale(options: {
  apiUrl: string;
  store: Store;
  target: number;
  clients: number;
  progress: (line: string) => void;
}): Promise<ScaleFill> {
  const already = await approvedCount(options.store);
  const missing = Math.max(0, options.target - already);
  if (missing === 0) return { approved: already, submitted: 0, undecided: 0 };
  let undecided = 0;
  const load = await runClients({
    label: `scale fill to ${options.target}`,
    clients: options.clients,
    total: missing,
    progress: options.progress,
    progressEveryMs: 15_000,
    request: async (index) => {
      const answer = await submitRegistration(options.apiUrl, registrationBody(index, 'scale'));
      if (answer.status !== 'approved') undecided++;
      return answer.id;
    },
  });
  return { approved: await approvedCount(options.store), submitted: missing, undecided, intake: load.summary };
}

export interface ExpiryResult {
  registrations: number;
  /** Validity of the short policy: long enough for the whole batch to be submitted first. */
  validityS: number;
  /** First to last expiresAt of the batch. */
  dueWindowS: number;
  /** Deadline (or the worker back, when held) → the workflow recorded `expired` (audit event time). */
  lagP50Ms: number;
  lagMaxMs: number;
  /** The same deadline → `expired` visible in the read model (polled every POLL_MS). */
  visibleLagP50Ms: number;
  visibleLagMaxMs: number;
  /** Still not expired when the bench stopped waiting. */
  missed: number;
  /** Answered before their first decision (slower than the API's wait), so without a deadline to measure. */
  undecided: number;
  /** With the worker held over the deadlines: from the worker being back to the last expiry (ms). */
  drainMs?: number;
}

const POLL_MS = 200;

/**
 * Puts a policy with a short validity in effect (in the store, as the real-time tests do), submits
 * `count` registrations under it as fast as `clients` allow, and watches them expire.
 */
export async function runExpiries(options: {
  apiUrl: string;
  store: Store;
  count: number;
  clients: number;
  /** Submissions per second measured so far at `clients`, to size the validity. */
  expectedPerSecond: number;
  /**
   * Validity runs from each approval, so deadlines are spread over the submission; to make them
   * fall due together the worker is stopped over the deadlines and started after the last one.
   */
  stopWorker?: () => Promise<() => Promise<void>>;
  progress: (line: string) => void;
}): Promise<ExpiryResult> {
  const { store, progress } = options;
  const validityS = Math.ceil((options.count / Math.max(1, options.expectedPerSecond)) * 1.5 + 15);
  const version = await createPolicyDraft(options.apiUrl, shortValidityPolicy(validityS));
  await store.db.query(`UPDATE policies SET status = 'superseded', superseded_at = now() WHERE status = 'effective'`);
  await store.db.query(`UPDATE policies SET status = 'effective', effective_at = now() WHERE version = $1`, [version]);
  progress(`policy v${version} in effect: registrations valid ${validityS} s`);

  const due = new Map<string, number>();
  let undecided = 0;
  await runClients({
    label: `expiry batch`,
    clients: options.clients,
    total: options.count,
    progress,
    request: async (index) => {
      const answer = await submitRegistration(options.apiUrl, registrationBody(index, 'expiry'));
      if (answer.status !== 'approved' || !answer.expiresAt) undecided++;
      else due.set(answer.id, Date.parse(answer.expiresAt));
      return answer.id;
    },
  });
  const deadlines = [...due.values()];
  const first = Math.min(...deadlines);
  const last = Math.max(...deadlines);
  progress(`expiry batch due between +${secondsFromNow(first)} s and +${secondsFromNow(last)} s`);

  let workerBackAt: number | undefined;
  if (options.stopWorker) {
    const startWorker = await options.stopWorker();
    progress(`worker stopped; starting it again once the last deadline has passed`);
    await new Promise((r) => setTimeout(r, Math.max(0, last + 1_000 - Date.now())));
    await startWorker();
    workerBackAt = Date.now();
    progress(`worker back, ${due.size} expiries due`);
  }
  const visibleAt = await watchExpiries(store, due, last + 10 * 60_000, progress);
  const recordedAt = await expiryEventTimes(store, [...due.keys()]);
  // With the worker held, every deadline counts from the moment the worker could act on it again.
  const dueFor = (id: string) => Math.max(due.get(id)!, workerBackAt ?? 0);
  const lag = [...recordedAt].map(([id, at]) => at - dueFor(id));
  const visibleLag = [...visibleAt].map(([id, at]) => at - dueFor(id));
  return {
    registrations: due.size,
    validityS,
    dueWindowS: round1((last - first) / 1000),
    lagP50Ms: Math.round(percentile(lag, 50)),
    lagMaxMs: Math.round(Math.max(...lag)),
    visibleLagP50Ms: Math.round(percentile(visibleLag, 50)),
    visibleLagMaxMs: Math.round(Math.max(...visibleLag)),
    missed: due.size - visibleAt.size,
    undecided,
    ...(workerBackAt === undefined ? {} : { drainMs: Math.max(...visibleAt.values()) - workerBackAt }),
  };
}

function shortValidityPolicy(validityS: number): PolicyDocumentInput {
  const { staleAfter: _noStaleness, ...registration } = structuredClone(EXAMPLE_POLICY.registration);
  return {
    ...structuredClone(EXAMPLE_POLICY),
    title: 'Benchmark: short validity',
    registration: { ...registration, validity: `PT${validityS}S`, reminders: [] },
  };
}

/** Polls the read model until every registration is expired (or `giveUpAt`): when each was first seen so. */
async function watchExpiries(
  store: Store,
  due: Map<string, number>,
  giveUpAt: number,
  progress: (line: string) => void,
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let lastReport = Date.now();
  while (seen.size < due.size && Date.now() < giveUpAt) {
    const waiting = [...due.keys()].filter((id) => !seen.has(id));
    const rows = await store.db.query<{ id: string }>(
      `SELECT id FROM registrations WHERE id = ANY($1::text[]) AND status = 'expired'`,
      [waiting],
    );
    const now = Date.now();
    for (const row of rows) seen.set(row.id, now);
    if (now - lastReport >= 5_000) {
      const overdue = waiting.filter((id) => due.get(id)! < now).length - rows.length;
      progress(`expiries: ${seen.size}/${due.size} expired, ${overdue} past their deadline and not yet`);
      lastReport = now;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return seen;
}

async function expiryEventTimes(store: Store, ids: string[]): Promise<Map<string, number>> {
  const rows = await store.db.query<{ subject: string; at: Date | string }>(
    `SELECT subject, at FROM audit_events WHERE action = 'registration.expired' AND subject = ANY($1::text[])`,
    [ids.map((id) => `registration:${id}`)],
  );
  return new Map(rows.map((r) => [r.subject.slice('registration:'.length), new Date(r.at).getTime()]));
}

async function approvedCount(store: Store): Promise<number> {
  const rows = await store.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM registrations WHERE status = 'approved'`,
  );
  return rows[0].n;
}

const secondsFromNow = (at: number) => round1((at - Date.now()) / 1000);
