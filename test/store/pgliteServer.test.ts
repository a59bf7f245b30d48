import { Client, Pool } from 'pg';
import { servePglite, type PgliteServer } from '../helpers/pgliteServer';

// The PGlite server that stands in for PostgreSQL when DATABASE_URL is unset: several processes'
// pools share its one session, so one client's transaction must never see or take another's work.

let server: PgliteServer;
let pools: Pool[];

beforeAll(async () => {
  server = await servePglite();
  pools = [1, 2].map(() => new Pool({ connectionString: server.databaseUrl, max: 5 }));
  await pools[0].query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
});

afterAll(async () => {
  await Promise.all((pools ?? []).map((pool) => pool.end()));
  await server?.close();
});

it('keeps concurrent transactions of two pools apart: rolled-back rows vanish, committed ones stay', async () => {
  await Promise.all(
    Array.from({ length: 30 }, async (_, id) => {
      const client = await pools[id % 2].connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO notes VALUES ($1, $2)', [id, `note ${id}`]);
        const seen = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM notes WHERE id = $1', [id]);
        expect(seen.rows[0].n).toBe(1);
        await client.query(id % 3 === 0 ? 'ROLLBACK' : 'COMMIT');
      } finally {
        client.release();
      }
    }),
  );
  const kept = await pools[1].query<{ id: number }>('SELECT id FROM notes ORDER BY id');
  expect(kept.rows.map((row) => row.id)).toEqual(Array.from({ length: 30 }, (_, id) => id).filter((id) => id % 3));
});

it('rolls back the open transaction of a client that disconnects, so the next client is not inside it', async () => {
  const leaving = new Client({ connectionString: server.databaseUrl });
  await leaving.connect();
  await leaving.query('BEGIN');
  await leaving.query("INSERT INTO notes VALUES (1000, 'abandoned')");
  await leaving.end();
  // Were the transaction still open in PGlite's one session, this query would see the row (or wait forever).
  const rows = await pools[0].query('SELECT id FROM notes WHERE id = 1000');
  expect(rows.rows).toEqual([]);
});

it('answers an error as PostgreSQL does and goes on serving that client', async () => {
  await expect(pools[0].query('SELECT missing_column FROM notes')).rejects.toThrow(
    'column "missing_column" does not exist',
  );
  await expect(pools[0].query<{ answer: string }>('SELECT $1::text AS answer', ['still here'])).resolves.toMatchObject({
    rows: [{ answer: 'still here' }],
  });
});
