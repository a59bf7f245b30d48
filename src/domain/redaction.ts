/** Who a text must not reveal to a partner: the other parties of a case. */
export interface OtherParty {
  partnerId?: string;
  partnerName?: string;
  registrationId?: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A manager's free text, made fit for one partner: the other parties' ids, names and
 * registrations become "[another party]" (whole words, any case).
 */
export function withoutOtherParties(text: string, others: readonly OtherParty[]): string {
  const words = others
    .flatMap((o) => [o.partnerName, o.partnerId, o.registrationId])
    .filter((w): w is string => Boolean(w && w.trim().length >= 2))
    .sort((a, b) => b.length - a.length);
  return words.reduce((out, word) => out.replace(new RegExp(`\\b${escape(word)}\\b`, 'gi'), '[another party]'), text);
}
