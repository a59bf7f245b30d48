import type { Db } from './db';

interface Migration {
  id: string;
  sql: string;
}

// Append only: a released migration is never edited, a change is a new migration.
const MIGRATIONS: Migration[] = [
  {
    id: '001_directory_policies_audit',
    sql: `
      CREATE TABLE partners (
        id text PRIMARY KEY,
        name text NOT NULL,
        type text NOT NULL,
        tier text NOT NULL,
        regions jsonb NOT NULL,
        contacts jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE accounts (
        domain text PRIMARY KEY,
        name text NOT NULL,
        segment text,
        region text NOT NULL,
        direct_owner jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE people (
        id text PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        escalation_roles jsonb NOT NULL,
        regions jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE policies (
        version integer PRIMARY KEY,
        title text NOT NULL,
        document jsonb NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        effective_at timestamptz,
        superseded_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text,
        frozen boolean NOT NULL DEFAULT false
      );
      CREATE TABLE audit_events (
        seq bigserial PRIMARY KEY,
        event_key text NOT NULL UNIQUE,
        subject text NOT NULL,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        detail jsonb NOT NULL
      );
      CREATE INDEX audit_events_subject ON audit_events (subject, at, seq);
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        key_hash text NOT NULL,
        principal jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE TABLE idempotency_keys (
        caller text NOT NULL,
        key text NOT NULL,
        resource_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller, key)
      );
    `,
  },
  {
    id: '002_read_models',
    sql: `
      CREATE TABLE registrations (
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        account_key text NOT NULL,
        product_line text NOT NULL,
        status text NOT NULL,
        policy_version integer NOT NULL,
        submitted_at timestamptz NOT NULL,
        due_at timestamptz,
        assignee_role text,
        view jsonb NOT NULL,
        view_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX registrations_partner ON registrations (partner_id, submitted_at);
      CREATE INDEX registrations_account ON registrations (account_key, product_line);
      CREATE INDEX registrations_status ON registrations (status);
      CREATE TABLE conflicts (
        id text PRIMARY KEY,
        account_key text NOT NULL,
        product_line text NOT NULL,
        status text NOT NULL,
        tier integer NOT NULL,
        assignee_role text,
        due_at timestamptz,
        view jsonb NOT NULL,
        view_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX conflicts_status ON conflicts (status, assignee_role);
      CREATE TABLE rollouts (
        id text PRIMARY KEY,
        policy_version integer NOT NULL,
        status text NOT NULL,
        current_stage text,
        view jsonb NOT NULL,
        view_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    id: '003_seed_runs',
    sql: `
      CREATE TABLE seed_runs (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    id: '004_policy_acknowledgements',
    sql: `
      CREATE TABLE policy_acknowledgements (
        version integer NOT NULL REFERENCES policies (version),
        partner_id text NOT NULL,
        acknowledged_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_by text NOT NULL,
        PRIMARY KEY (version, partner_id)
      );
    `,
  },
  {
    id: '005_email_deliveries',
    sql: `
      CREATE TABLE email_deliveries (
        email_key text PRIMARY KEY,
        message_id text NOT NULL,
        delivery text NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];

/** Applies pending migrations; concurrent starters (worker and API) wait on one advisory lock. */
export async function migrate(db: Db): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7271001)');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
    const applied: string[] = [];
    for (const migration of MIGRATIONS.filter((m) => !done.has(m.id))) {
      await execMany(tx, migration.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      applied.push(migration.id);
    }
    return applied;
  });
}

// Parameterless statements one by one: the extended protocol takes a single statement per call.
async function execMany(db: Db, sql: string): Promise<void> {
  for (const statement of sql
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean))
    await db.query(statement);
}
