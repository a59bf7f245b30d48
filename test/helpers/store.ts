import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { openStore, type Store } from '../../src/store';
import { servePglite } from './pgliteServer';

export type Engine = 'pglite' | 'postgres';

export interface TestStore {
  store: Store;
  dataDir: string;
  /** For PostgreSQL: the URL of this test's own database. */
  databaseUrl?: string;
  close(): Promise<void>;
}

/** The engines the store's tests run on: PGlite always, PostgreSQL too when DATABASE_URL is set (CI). */
export function storeEngines(): Engine[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** The engine API tests use: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const defaultEngine = (): Engine => (process.env.DATABASE_URL ? 'postgres' : 'pglite');

/** A fresh, migrated store: a new PGlite directory, or a new database on the PostgreSQL server. */
export async function openTestStore(engine: Engine = defaultEngine()): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'roe-test-'));
  if (engine === 'pglite') {
    const store = await openStore({ dataDir });
    return {
      store,
      dataDir,
      close: async () => {
        await store.db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const databaseUrl = await createDatabase();
  const store = await openStore({ databaseUrl, dataDir });
  return {
    store,
    dataDir,
    databaseUrl,
    close: async () => {
      await store.db.close();
      await dropDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestDatabaseServer {
  engine: Engine;
  /** A postgres:// URL that several processes can share. */
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * A database that separate processes reach over the network: a new database on DATABASE_URL's
 * PostgreSQL server, else an in-memory PGlite served over PostgreSQL's wire protocol (no server needed).
 */
export async function openTestDatabaseServer(): Promise<TestDatabaseServer> {
  if (!process.env.DATABASE_URL) return { engine: 'pglite', ...(await servePglite()) };
  const databaseUrl = await createDatabase();
  return { engine: 'postgres', databaseUrl, close: () => dropDatabase(databaseUrl) };
}

/** PostgreSQL server URL for tests: DATABASE_URL, else the local server of this machine kind. */
export const postgresServerUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createDatabase(): Promise<string> {
  const name = `roe_test_${randomBytes(5).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function withAdmin(work: (admin: PgClient) => Promise<unknown>): Promise<void> {
  const admin = new PgClient({ connectionString: postgresServerUrl() });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
