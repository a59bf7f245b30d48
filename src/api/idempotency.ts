import { createHash } from 'node:crypto';
import type { IdempotencyKeyStore } from '../store/idempotencyKeys';
import { Problem } from './problem';

const KEY_HEADER = 'Idempotency-Key';

/** JSON with object keys sorted, so that two bodies differing only in key order are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestFingerprint = (body: unknown): string =>
  createHash('sha256').update(canonicalJson(body)).digest('hex');

/**
 * The id of the resource a creating request names: a new one without a key; with a key, the one
 * the caller's first request with that key got (the key → id mapping is stored, never derived).
 * The same key with another body is the caller's mistake: 422, as the IETF idempotency-key draft says.
 */
export async function idempotentResourceId(
  keys: IdempotencyKeyStore,
  request: { caller: string; key: string | undefined; body: unknown },
  newId: () => string,
): Promise<string> {
  if (request.key === undefined) return newId();
  const fingerprint = requestFingerprint(request.body);
  const held = await keys.claim(request.caller, request.key, { resourceId: newId(), fingerprint });
  if (held.fingerprint !== fingerprint) {
    const message = 'already used with a different request body; send a new key for a new request';
    throw new Problem(422, 'idempotency-key-reused', `${KEY_HEADER}: ${message}`, {
      errors: [{ path: KEY_HEADER, message }],
    });
  }
  return held.resourceId;
}
