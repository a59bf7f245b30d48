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
  {
    // The body a key was first used with: a repeat with another body is refused (422).
    id: '006_idempotency_fingerprint',
    sql: `ALTER TABLE idempotency_keys ADD COLUMN fingerprint text`,
  },
  {
    // Manager emails held for a digest, so that no restart loses one (see src/store/managerDigests.ts).
    id: '007_manager_digests',
    sql: `
      CREATE TABLE manager_mail_windows (
        address text PRIMARY KEY,
        recipient_key text NOT NULL UNIQUE,
        window_seq integer NOT NULL,
        ends_at timestamptz NOT NULL
      );
      CREATE TABLE manager_mail_items (
        email_key text NOT NULL,
        address text NOT NULL REFERENCES manager_mail_windows (address),
        window_seq integer,
        window_ends_at timestamptz,
        subject text NOT NULL,
        link text NOT NULL,
        added_at timestamptz NOT NULL,
        PRIMARY KEY (email_key, address)
      );
      CREATE INDEX manager_mail_items_by_window ON manager_mail_items (address, window_seq);
    `,
  },
  {
    // The event feed reads in the order transactions settle: a row's writing transaction, then its seq.
    // Sequence values are taken before commit, so reading by seq alone would skip a row that commits late.
    id: '008_audit_event_transactions',
    sql: `
      ALTER TABLE audit_events ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
      CREATE INDEX audit_events_feed ON audit_events (txid, seq);
    `,
  },
  {
    // Webhooks: subscriptions with their signing secrets, one delivery per subscription and event
    // (the body as the subscription's audience may see it), each attempt, and how far the feed was
    // dispatched. The secret is stored to sign with; it leaves the store only in the delivery's HMAC.
    id: '009_webhooks',
    sql: `
      CREATE TABLE webhook_subscriptions (
        id text PRIMARY KEY,
        url text NOT NULL,
        events jsonb NOT NULL,
        partner_id text,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_until timestamptz,
        status text NOT NULL DEFAULT 'enabled',
        disabled_at timestamptz,
        disabled_reason text,
        created_by text NOT NULL,
        owner_email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        start_txid text NOT NULL,
        start_seq text NOT NULL
      );
      CREATE TABLE webhook_deliveries (
        id text PRIMARY KEY,
        subscription_id text NOT NULL REFERENCES webhook_subscriptions (id),
        event_id text NOT NULL,
        event_type text NOT NULL,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        event jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        enqueued boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        failed_at timestamptz,
        last_attempt jsonb,
        seq bigserial
      );
      CREATE INDEX webhook_deliveries_of_subscription ON webhook_deliveries (subscription_id, seq);
      CREATE INDEX webhook_deliveries_not_enqueued ON webhook_deliveries (seq) WHERE NOT enqueued;
      CREATE TABLE webhook_attempts (
        delivery_id text NOT NULL REFERENCES webhook_deliveries (id),
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        status_code integer,
        error text,
        response_excerpt text,
        duration_ms integer NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      );
      CREATE TABLE webhook_dispatch (
        id integer PRIMARY KEY,
        txid text NOT NULL,
        seq text NOT NULL
      )
    `,
  },
  {
    // Partner feedback: one rating per partner and decision (rating it again replaces it).
    id: '010_partner_feedback',
    sql: `
      CREATE TABLE partner_feedback (
        partner_id text NOT NULL,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        decision_key text NOT NULL,
        decision_type text NOT NULL,
        rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_id, subject_kind, subject_id, decision_key)
      );
      CREATE INDEX partner_feedback_by_time ON partner_feedback (created_at)
    `,
  },
  {
    // Action links in emails (approve, reject, request info, acknowledge): single-use, bound to the
    // recipient and the object's state when sent, expiring. The link carries the row's id and an
    // HMAC of the row under a key kept here, generated on first use.
    id: '011_email_action_links',
    sql: `
      CREATE TABLE email_action_links (
        id text PRIMARY KEY,
        action text NOT NULL,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        recipient text NOT NULL,
        state_key text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        outcome text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE signing_keys (
        name text PRIMARY KEY,
        key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )
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
