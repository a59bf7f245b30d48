import type { ConflictCase } from '../../../api/types';

// A conflict case as its partner reads it. The API has already redacted it: another party is only
// "another party" with the time it registered, and these words never add anything to that.

export const ROLE_WORDS: Record<string, string> = {
  channel_manager: 'channel manager',
  regional_director: 'regional director',
  vp_partnerships: 'VP partnerships',
};
export const roleWords = (role: string): string => ROLE_WORDS[role] ?? role.replace(/_/g, ' ');

const DEFAULT_RULES: Record<string, string> = {
  first_to_register: 'the first to register is awarded',
  direct: 'the deal goes to the direct team',
  reject_all: 'every registration is rejected',
};

/** The decision in words: who the deal went to, from the partner's side. */
export function awardWords(resolution: NonNullable<ConflictCase['resolution']>): string {
  switch (resolution.award) {
    case 'your_registration':
      return 'Decided in your favour: your registration is approved.';
    case 'another_party':
      return 'Decided for another party: your registration is rejected.';
    case 'direct':
      return 'Awarded to our direct team: every partner registration in the case is rejected.';
    case 'co_sell':
      return 'Co-sell: every registration in the case is approved, to be sold together.';
    case 'none':
      return 'No one is awarded: every registration in the case is rejected and the account is free.';
    default:
      return `Awarded: ${resolution.award}.`;
  }
}

export function decidedByWords(resolution: NonNullable<ConflictCase['resolution']>): string {
  if (resolution.by === 'default') {
    const rule = resolution.ruleId?.replace(/^ON-FINAL-BREACH:/, '') ?? '';
    return `the rules' default, after the last deadline passed${DEFAULT_RULES[rule] ? ` (${DEFAULT_RULES[rule]})` : ''}`;
  }
  return resolution.decidedBy;
}

/** Whether the decision went against the partner, so that it may appeal. */
export const lostBy = (resolution: ConflictCase['resolution']): boolean =>
  !!resolution && resolution.award !== 'your_registration' && resolution.award !== 'co_sell';

export const STATUS_WORDS: Record<string, string> = {
  open: 'open',
  resolved: 'decided',
  defaulted: 'decided by default',
};

/** Wall-clock milliseconds of a policy duration (W, D, H, M, S), as the appeal window counts. */
export function durationMillis(iso: string): number | undefined {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!match) return undefined;
  const [w, d, h, m, s] = match.slice(1).map((n) => Number(n ?? 0));
  return ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000;
}
