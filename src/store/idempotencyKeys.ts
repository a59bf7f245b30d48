import type { Db } from './db';

/** The resource an `Idempotency-Key` of one caller stands for, and the request that first used it. */
export interface IdempotencyRecord {
  resourceId: string;
  /** A digest of the first request's body; a repeat must match it. */
  fingerprint: string;
}

/** `Idempotency-Key` → resource id per caller, so ids are random and no one can compute them from a key. */
export function idempotencyKeyStore(db: Db) {
  return {
    /**
     * Records `proposed` for (caller, key) unless the pair is already taken, and returns what the
     * pair stands for: the first of concurrent requests wins, the others read its record.
     */
    async claim(caller: string, key: string, proposed: IdempotencyRecord): Promise<IdempotencyRecord> {
      const inserted = await db.query<{ resource_id: string; fingerprint: string }>(
        `INSERT INTO idempotency_keys (caller, key, resource_id, fingerprint) VALUES ($1,$2,$3,$4)
         ON CONFLICT (caller, key) DO NOTHING RETURNING resource_id, fingerprint`,
        [caller, key, proposed.resourceId, proposed.fingerprint],
      );
      const row =
        inserted[0] ??
        (
          await db.query<{ resource_id: string; fingerprint: string | null }>(
            'SELECT resource_id, fingerprint FROM idempotency_keys WHERE caller = $1 AND key = $2',
            [caller, key],
          )
        )[0];
      return { resourceId: row.resource_id, fingerprint: row.fingerprint ?? proposed.fingerprint };
    },
  };
}

export type IdempotencyKeyStore = ReturnType<typeof idempotencyKeyStore>;
