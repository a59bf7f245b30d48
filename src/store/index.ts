import { join } from 'node:path';
import { openDb, type Db } from './db';
import { migrate } from './migrations';
import { directoryStore } from './directory';
import { policyStore } from './policies';
import { auditStore } from './audit';
import { apiKeyStore } from './apiKeys';
import { registrationStore } from './registrations';
import { rolloutStore } from './rollouts';
import { conflictStore } from './conflicts';
import { metricsStore } from './metrics';
import { emailDeliveryStore } from './deliveries';
import { managerDigestStore } from './managerDigests';
import { idempotencyKeyStore } from './idempotencyKeys';
import { webhookStore } from './webhooks';
import { feedbackStore } from './feedback';
import { emailActionStore } from './emailActions';

export type { Db };

/** Every repository of the store over one database. */
export function storeOver(db: Db) {
  return {
    db,
    directory: directoryStore(db),
    policies: policyStore(db),
    audit: auditStore(db),
    apiKeys: apiKeyStore(db),
    registrations: registrationStore(db),
    rollouts: rolloutStore(db),
    conflicts: conflictStore(db),
    metrics: metricsStore(db),
    emailDeliveries: emailDeliveryStore(db),
    managerDigests: managerDigestStore(db),
    idempotencyKeys: idempotencyKeyStore(db),
    webhooks: webhookStore(db),
    feedback: feedbackStore(db),
    emailActions: emailActionStore(db),
  };
}

export type Store = ReturnType<typeof storeOver>;

/** Opens PostgreSQL (DATABASE_URL) or PGlite under the data dir, and brings the schema up to date. */
export async function openStore(options: { databaseUrl?: string; dataDir: string }): Promise<Store> {
  const db = await openDb({ databaseUrl: options.databaseUrl, pgliteDir: join(options.dataDir, 'pglite') });
  await migrate(db);
  return storeOver(db);
}
