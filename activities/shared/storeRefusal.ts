import { ApplicationFailure } from '@temporalio/common';
import { storeOver, type Store } from '../../src/store';
import { STORE_REFUSED_DATA } from '../../workflows/shared/contract';

/**
 * Runs the writes of a recording activity in one transaction, so a step is recorded whole or not at
 * all. An error of the data itself (SQLSTATE class 22, data exception: text jsonb cannot hold, a
 * number out of range; class 23, integrity constraint) fails for good, since a retry sends the same
 * data: the process refuses or leaves out the step instead of retrying forever. Other failures (an
 * unreachable store, a shutdown) stay retryable, so an outage is waited out.
 */
export async function writingToStore<T>(store: Store, write: (store: Store) => Promise<T>): Promise<T> {
  try {
    return await store.db.transaction((tx) => write(storeOver(tx)));
  } catch (error) {
    const sqlState = sqlStateOf(error);
    if (sqlState === undefined || !/^2[23]/.test(sqlState)) throw error;
    throw ApplicationFailure.create({
      type: STORE_REFUSED_DATA,
      message: `the store refused the data: ${(error as Error).message} (SQLSTATE ${sqlState})`,
      details: [{ sqlState }],
      nonRetryable: true,
      cause: error as Error,
    });
  }
}

/** pg and PGlite both put the SQLSTATE of a server error in `code`. */
function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
