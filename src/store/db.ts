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
  const pool = new Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const onClient = (client: PoolClient): Db => ({
    engine: 'postgres',
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    transaction: (work) => work(onClient(client)),
    close: async () => undefined,
  });
  return {
    engine: 'postgres',
    query: async <Row>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as Row[],
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(onClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
