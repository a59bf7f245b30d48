import type { Store } from '.';
import { DEV_ACCOUNTS, DEV_PARTNERS, DEV_PEOPLE } from '../devDirectory';
import { validatePolicyDocument, EXAMPLE_POLICY } from '../domain/policy';

export interface SeedReport {
  directory: boolean;
  policy: boolean;
}

/**
 * Seeds the development directory and an effective policy version 1 exactly once: a marker row
 * makes a restart seed nothing twice, even after an admin edited or removed what was seeded.
 */
export async function seedDevelopment(store: Store, now: Date): Promise<SeedReport> {
  const directory = await once(store, 'dev-directory', async () => {
    for (const partner of DEV_PARTNERS) await store.directory.upsertPartner(partner);
    for (const person of DEV_PEOPLE) await store.directory.upsertPerson(person);
    for (const account of DEV_ACCOUNTS) await store.directory.upsertAccount(account);
  });
  const policy = await once(store, 'policy-v1', async () => {
    const validated = validatePolicyDocument(EXAMPLE_POLICY);
    if (!validated.ok) throw new Error(`the example policy is invalid: ${JSON.stringify(validated.errors)}`);
    // In effect from the start of the second of the first start: an instant written to the second
    // (as `date -u +%FT%TZ` writes it) in that same second still finds version 1.
    const effectiveAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    if (await store.policies.seedFirstEffective(validated.policy, effectiveAt)) {
      await store.audit.append('seed:policy-v1', {
        subject: 'policy:1',
        at: now.toISOString(),
        actor: 'system:seed',
        action: 'policy.seeded_effective',
        detail: { title: validated.policy.title },
      });
    }
  });
  return { directory, policy };
}

async function once(store: Store, name: string, work: () => Promise<void>): Promise<boolean> {
  // The marker is written after the work: an interrupted seed is redone (its upserts are idempotent).
  if ((await store.db.query('SELECT 1 FROM seed_runs WHERE name = $1', [name])).length > 0) return false;
  await work();
  await store.db.query('INSERT INTO seed_runs (name) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
  return true;
}
