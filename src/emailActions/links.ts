import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store';
import type { EmailActionLink, EmailActionName } from '../store/emailActions';

// Action links in emails: `<public URL>/act/<id>.<signature>`. The id names the stored link (what
// it does, to what, for whom, in which state, until when); the signature is an HMAC-SHA256 of all
// of that under the store's key, so a link cannot be made up or altered. Opening one changes
// nothing: the web page shows what it would do and does it on a click.

export const DEFAULT_LINK_TTL_MS = 72 * 3600_000;

/** The state a review decision link was made for: the same review step, not decided meanwhile. */
export const reviewStateKey = (view: { status: string; review?: { assigneeRole: string; breaches: number } }) =>
  `${view.status}|${view.review?.assigneeRole ?? ''}|${view.review?.breaches ?? 0}`;

/** The state an acknowledgement link was made for: the version as published. */
export const policyStateKey = (version: number) => `v${version}`;

const canonical = (link: Omit<EmailActionLink, 'usedAt' | 'outcome'>) =>
  [link.id, link.action, link.subject.kind, link.subject.id, link.recipient, link.stateKey, link.expiresAt].join('|');

const signatureOf = (key: Buffer, link: Omit<EmailActionLink, 'usedAt' | 'outcome'>) =>
  createHmac('sha256', key).update(canonical(link)).digest('base64url');

/**
 * The link of one action in one email to one recipient: made once (a retried send gets the same
 * link), valid for `ttlMs` from then.
 */
export async function actionLink(
  store: Store,
  publicUrl: string,
  input: {
    emailKey: string;
    action: EmailActionName;
    subject: EmailActionLink['subject'];
    recipient: string;
    stateKey: string;
    ttlMs?: number;
  },
): Promise<string> {
  const id = `eal_${createHash('sha256').update(`${input.emailKey}|${input.recipient}|${input.action}`).digest('hex').slice(0, 24)}`;
  const link = await store.emailActions.add({
    id,
    action: input.action,
    subject: input.subject,
    recipient: input.recipient,
    stateKey: input.stateKey,
    expiresAt: new Date(Date.now() + (input.ttlMs ?? DEFAULT_LINK_TTL_MS)).toISOString(),
  });
  return `${publicUrl}/act/${link.id}.${signatureOf(await store.emailActions.signingKey(), link)}`;
}

/** The stored link a token names, if its signature holds; undefined for anything made up or altered. */
export async function linkOfToken(store: Store, token: string): Promise<EmailActionLink | undefined> {
  const match = /^(eal_[0-9a-f]{24})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const link = await store.emailActions.get(match[1]);
  if (!link) return undefined;
  const expected = Buffer.from(signatureOf(await store.emailActions.signingKey(), link));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? link : undefined;
}
