import type { ResponseOf } from '../../../api/types';

// The inbox's words for what the API names in ids: roles, money, partners.

export type InboxItem = ResponseOf<'/api/inbox', 'get'>['items'][number];
export type Registration = ResponseOf<'/api/registrations/{id}', 'get'>;
export type ConflictCase = ResponseOf<'/api/conflicts/{id}', 'get'>;

const ROLE_WORDS: Record<string, string> = {
  channel_manager: 'channel manager',
  regional_director: 'regional director',
  vp_partnerships: 'VP partnerships',
};

/** "channel manager" for `channel_manager`. */
export const roleInWords = (role: string): string => ROLE_WORDS[role] ?? role.replace(/_/g, ' ');

/** "€75,000.00" — the amount in its own currency, as the partner registered it. */
export function moneyInWords(amount: { value: number; currency: string }): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: amount.currency }).format(amount.value);
  } catch {
    return `${amount.value.toLocaleString()} ${amount.currency}`;
  }
}

/** The words for who holds the ball: the caller when it is one of their roles. */
export function holderInWords(role: string, myRoles: readonly string[] | undefined): string {
  return myRoles?.includes(role) ? `you (${roleInWords(role)})` : roleInWords(role);
}

/** Event names such as `review_escalated` as words. */
export const eventInWords = (event: string): string => {
  const words = event.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The escalation ladder of a policy document (the API leaves the document untyped). */
export function ladderOf(document: unknown): string[] {
  const escalation = (document as { conflicts?: { escalation?: unknown } } | undefined)?.conflicts?.escalation;
  if (!Array.isArray(escalation)) return [];
  return escalation.flatMap((tier: unknown) =>
    tier && typeof tier === 'object' && typeof (tier as { role?: unknown }).role === 'string'
      ? [(tier as { role: string }).role]
      : [],
  );
}
