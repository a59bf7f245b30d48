import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';

/** One SQL dialect over two engines: PGlite embedded, PostgreSQL in production and CI. */
export interface Db {
  readonly engine: 'pglite' | 'postgres';
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction; rolls back if it throws. */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The database did not answer (connection refused, dropped or timed out): the caller may retry later. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the store is unreachable: ${(cause as Error).message}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
// pg reports a lost or never-made connection as plain Errors with these messages.
const LOST_CONNECTION =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error/i;

/** True for failures of the connection rather than of the statement (SQLSTATE class 08, shutdowns). */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code)))
    return true;
  return error instanceof Error && LOST_CONNECTION.test(error.message);
}

async function reachable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw isConnectionFailure(error) ? new StoreUnavailableError(error) : error;
  }
}

export async function openDb(options: { databaseUrl?: string; pgliteDir?: string }): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  if (!options.pgliteDir) throw new Error('openDb: either databaseUrl or pgliteDir is required');
  mkdirSync(options.pgliteDir, { recursive: true });
  const pglite = await PGlite.create(options.pgliteDir);
  return pgliteDb(pglite);
}

function pgliteDb(pglite: PGlite): Db {
  // PGlite queues statements itself and holds a lock for the length of a transaction.
  const within = (runner: Pick<PGlite, 'query'>): Db => ({
    engine: 'pglite',
    query: async <Row>(sql: string, params?: unknown[]) => (await runner.query<Row>(sql, params)).rows,
    transaction: (work) => work(within(runner)),
    close: async () => undefined,
  });
  return {
    ...within(pglite),
    transaction: (work) => pglite.transaction((tx) => work(within(tx))),
    close: () => pglite.close(),
  };
}

async function openPostgres(databaseUrl: string): Promise<Db> {
  // Bounded waits, so that an unreachable server gives callers an error to act on, never a hang.
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: 5_000,
    query_timeout: 15_000,
    keepAlive: true,
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const onClient = (client: PoolClient): Db => ({
    engine: 'postgres',
    query: async <Row>(sql: string, params?: unknown[]) => (await reachable(client.query(sql, params))).rows as Row[],
    transaction: (work) => work(onClient(client)),
    close: async () => undefined,
  });
  return {
    engine: 'postgres',
    query: async <Row>(sql: string, params?: unknown[]) => (await reachable(pool.query(sql, params))).rows as Row[],
    transaction: async (work) => {
      const client = await reachable(pool.connect());
      let broken: Error | undefined;
      try {
        await reachable(client.query('BEGIN'));
        const result = await work(onClient(client));
        await reachable(client.query('COMMIT'));
        return result;
      } catch (error) {
        // A connection that failed is dropped from the pool instead of being handed out again.
        if (error instanceof StoreUnavailableError) broken = error;
        else await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
