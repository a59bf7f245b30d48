import { startTestTemporal, type TestTemporal } from './temporal';
import { openTestStore, type TestStore } from './store';

/** A dev server and a store together; if one fails to start, the other is closed before the error. */
export async function startTemporalAndStore(): Promise<{ temporal: TestTemporal; db: TestStore }> {
  const [temporal, db] = await Promise.allSettled([startTestTemporal(), openTestStore()]);
  if (temporal.status === 'fulfilled' && db.status === 'fulfilled') return { temporal: temporal.value, db: db.value };
  if (temporal.status === 'fulfilled') await temporal.value.stop();
  if (db.status === 'fulfilled') await db.value.close();
  throw temporal.status === 'rejected' ? temporal.reason : (db as PromiseRejectedResult).reason;
}
