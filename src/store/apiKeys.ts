import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './db';
import { principalSchema, type Principal } from '../domain/principal';

export interface ApiKeyRecord {
  id: string;
  name: string;
  principal: Principal;
  createdAt: string;
  revokedAt?: string;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const PREFIX = 'roe_';
const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

function toRecord(r: Record<string, unknown>): ApiKeyRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    principal: principalSchema.parse(r.principal),
    createdAt: new Date(r.created_at as string).toISOString(),
    ...(r.revoked_at ? { revokedAt: new Date(r.revoked_at as string).toISOString() } : {}),
  };
}

/** Service API keys `roe_<id>_<secret>`: only a SHA-256 of the secret is stored, the key is shown once. */
export function apiKeyStore(db: Db) {
  return {
    /** The key acts as `apikey:<id>`, so the audit trail names the key, not a person. */
    async create(
      name: string,
      grant: DistributiveOmit<Principal, 'subject'>,
    ): Promise<{ record: ApiKeyRecord; key: string }> {
      const id = randomBytes(6).toString('hex');
      const principal = principalSchema.parse({ ...grant, subject: `apikey:${id}` });
      const secret = randomBytes(24).toString('base64url');
      const rows = await db.query(
        'INSERT INTO api_keys (id, name, key_hash, principal) VALUES ($1,$2,$3,$4) RETURNING *',
        [id, name, hashSecret(secret), JSON.stringify(principal)],
      );
      return { record: toRecord(rows[0]), key: `${PREFIX}${id}_${secret}` };
    },

    /** The principal of a live key, or undefined for an unknown, malformed or revoked one. */
    async authenticate(key: string): Promise<Principal | undefined> {
      const match = /^roe_([0-9a-f]{12})_([A-Za-z0-9_-]{20,64})$/.exec(key);
      if (!match) return undefined;
      const rows = await db.query('SELECT * FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [match[1]]);
      if (!rows[0]) return undefined;
      const expected = Buffer.from(rows[0].key_hash as string, 'hex');
      const actual = Buffer.from(hashSecret(match[2]), 'hex');
      return timingSafeEqual(expected, actual) ? toRecord(rows[0]).principal : undefined;
    },

    async list(): Promise<ApiKeyRecord[]> {
      return (await db.query('SELECT * FROM api_keys ORDER BY created_at, id')).map(toRecord);
    },

    async revoke(id: string): Promise<ApiKeyRecord | undefined> {
      const rows = await db.query(
        'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *',
        [id],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },
  };
}

export type ApiKeyStore = ReturnType<typeof apiKeyStore>;
