// A policy document in a partner's words: the API hands the document over as it was written
// (durations in ISO 8601, tiers and routes as ids); this turns each rule into a sentence.

/** The parts of a policy document this page reads (the API serves the whole document untyped). */
export interface PolicyDocument {
  title: string;
  noticePeriod: string;
  currency?: string;
  exchangeRates?: Record<string, number>;
  calendar: { timezone: string; workdays: string[]; hours: { start: string; end: string }; holidays?: string[] };
  routes: {
    id: string;
    when: { segments?: string[]; regions?: string[]; productLines?: string[] };
    route: string;
    partnerRegistration: string;
    eligibleTiers?: string[];
    eligibleTypes?: string[];
  }[];
  registration: {
    validity: string;
    reminders: string[];
    extensions: { max: number; length: string };
    review: {
      sla: string;
      clock: string;
      onBreach: string;
      autoApprove?: { maxAmount: number; tiers: string[] };
    };
    staleAfter?: string;
  };
  conflicts: {
    escalation: { role: string; sla: string }[];
    clock: string;
    onFinalBreach: string;
    appealWindow: string;
  };
  playbook?: { id: string; if: string; then: string }[];
}

export const asPolicyDocument = (document: unknown): PolicyDocument => document as PolicyDocument;

// ---------------------------------------------------------------- words

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** "A gold partner…" inside a sentence, but "SMB accounts" stays as written. */
const lowerFirst = (text: string) =>
  /^[A-Z](?![A-Z0-9-])/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;

export function listOf(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

const SEGMENTS: Record<string, string> = {
  smb: 'small-business',
  mid_market: 'mid-market',
  enterprise: 'enterprise',
  strategic: 'strategic',
  public_sector: 'public-sector',
};
const TYPES: Record<string, string> = {
  reseller: 'resellers',
  system_integrator: 'system integrators',
  distributor: 'distributors',
  msp: 'managed service providers',
  referral: 'referral partners',
  isv: 'software vendors (ISVs)',
};
const ROLES: Record<string, string> = {
  channel_manager: 'channel manager',
  regional_director: 'regional director',
  vp_partnerships: 'VP partnerships',
};
const DAYS: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export const roleWords = (role: string): string => ROLES[role] ?? role.replace(/_/g, ' ');
export const tierWords = (tier: string): string => capitalized(tier);
const tiersWords = (tiers: readonly string[]) => listOf(tiers.map(tierWords));
const regionWords = (region: string) => region.toUpperCase();

/** "PT48H" → "48 hours", "P90D" → "90 days", "P1DT12H" → "1 day 12 hours". */
export function durationWords(iso: string, clock?: string): string {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    iso,
  );
  if (!match) return iso;
  const units = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  const working = clock === 'business';
  const parts = match
    .slice(1)
    .map((value, index) => [Number(value ?? 0), units[index]] as const)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => {
      const word = working && ['day', 'hour', 'minute'].includes(unit) ? `working ${unit}` : unit;
      return `${n} ${word}${n === 1 ? '' : 's'}`;
    });
  return parts.length ? parts.join(' ') : 'no time';
}

export const baseCurrency = (policy: PolicyDocument): string => policy.currency ?? 'EUR';

export function moneyWords(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: 2,
    }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

const isCatchAll = (route: PolicyDocument['routes'][number]) =>
  !route.when.segments && !route.when.regions && !route.when.productLines;

/** Which deals a route covers: "Strategic accounts", "Enterprise accounts in EMEA", "All other deals". */
function routeScope(route: PolicyDocument['routes'][number], first: boolean): string {
  if (isCatchAll(route)) return first ? 'Every deal' : 'All other deals';
  const { segments, regions, productLines } = route.when;
  let scope = segments
    ? `${capitalized(
        listOf(
          segments.map((s) => SEGMENTS[s] ?? s),
          'or',
        ),
      )} accounts`
    : 'Deals';
  if (regions) scope += ` in ${listOf(regions.map(regionWords), 'or')}`;
  if (productLines) scope += ` for ${listOf(productLines, 'or')}`;
  return scope;
}

const ROUTE_KINDS: Record<string, string> = {
  direct: 'sold by our direct team',
  partner_led: 'partner-led',
  co_sell: 'co-sell (partners sell together with our direct team)',
  marketplace: 'sold through the marketplace',
};

/** One sentence per route, in the order the rules try them (the first that matches decides). */
export function routeSentences(policy: PolicyDocument): { id: string; text: string }[] {
  return policy.routes.map((route, index) => {
    const scope = routeScope(route, index === 0);
    const kind = ROUTE_KINDS[route.route] ?? route.route.replace(/_/g, ' ');
    const who = [
      route.eligibleTiers ? `${tiersWords(route.eligibleTiers)} partners` : undefined,
      route.eligibleTypes ? listOf(route.eligibleTypes.map((t) => TYPES[t] ?? t)) : undefined,
    ].filter(Boolean);
    const from = who.length ? `only ${who.join(' that are ')} may register them` : 'every partner may register them';
    const registration =
      route.partnerRegistration === 'reject'
        ? 'partner registrations are not accepted'
        : route.partnerRegistration === 'review'
          ? `${from}, and each registration is reviewed by a person before it is approved`
          : from;
    return { id: route.id, text: `${scope} ${scope.startsWith('Every') ? 'is' : 'are'} ${kind}: ${registration}.` };
  });
}

/** Thresholds: what is approved at once, what waits for review, and how other currencies count. */
export function thresholdSentences(policy: PolicyDocument): string[] {
  const base = baseCurrency(policy);
  const auto = policy.registration.review.autoApprove;
  const reviewed = `within ${durationWords(policy.registration.review.sla, policy.registration.review.clock)}`;
  const sentences = auto
    ? [
        `Deals up to ${moneyWords(auto.maxAmount, base)} from ${tiersWords(auto.tiers)} partners are approved at once.`,
        `Larger deals, and deals from other tiers, are reviewed by a ${roleWords(policy.conflicts.escalation[0]?.role ?? 'channel_manager')} ${reviewed}.`,
      ]
    : ['A registration that its rule accepts is approved at once, whatever the amount.'];
  const rates = Object.entries(policy.exchangeRates ?? {}).filter(([code]) => code !== base);
  sentences.push(
    rates.length
      ? `Amounts count in ${base}: ${listOf(rates.map(([code, rate]) => `1 ${code} = ${moneyWords(rate, base)}`))}; a deal in any other currency is always reviewed by a person.`
      : `Amounts count in ${base}; a deal in another currency is always reviewed by a person.`,
  );
  return sentences;
}

const BREACH: Record<string, string> = {
  escalate: 'it goes to the next manager up',
  approve: 'it is approved',
  reject: 'it is rejected',
};

export function reviewSentences(policy: PolicyDocument): string[] {
  const review = policy.registration.review;
  return [
    `A review is decided within ${durationWords(review.sla, review.clock)}; if it is not, ${BREACH[review.onBreach] ?? review.onBreach}.`,
    'While a reviewer waits on your answer to a question, the clock stops.',
  ];
}

export function validitySentences(policy: PolicyDocument): string[] {
  const r = policy.registration;
  const sentences = [`An approved registration protects your deal for ${durationWords(r.validity)}.`];
  if (r.reminders.length) {
    sentences.push(`You get a reminder ${listOf(r.reminders.map((d) => durationWords(d)))} before it expires.`);
  }
  const { max, length } = r.extensions;
  sentences.push(
    max === 0
      ? 'A registration cannot be extended.'
      : `You may extend it ${max === 1 ? 'once' : `up to ${max} times`}, by ${durationWords(length)}${max === 1 ? '' : ' each time'}.`,
  );
  if (r.staleAfter) {
    const period = durationWords(r.staleAfter);
    sentences.push(
      `Post a progress update at least every ${period}: after ${period} without one you get a reminder, and after the same time again the protection is released.`,
    );
  }
  return sentences;
}

const FINAL: Record<string, string> = {
  first_to_register: 'the partner who registered first is awarded the deal',
  direct: 'the deal goes to our direct team',
  reject_all: 'every registration in the case is rejected',
};

export function ladderSentences(policy: PolicyDocument): { intro: string; steps: string[]; after: string[] } {
  const c = policy.conflicts;
  return {
    intro:
      'When registrations collide on one account and product line, a conflict case opens. It is decided by these people in turn; each has until their deadline before the case moves up:',
    steps: c.escalation.map((step, index) => {
      const who = capitalized(roleWords(step.role));
      return `${who} — decides within ${durationWords(step.sla, c.clock)}${index === 0 ? '' : ' of taking the case over'}.`;
    }),
    after: [
      `If no one has decided by the last deadline, ${FINAL[c.onFinalBreach] ?? c.onFinalBreach}.`,
      `If a case is decided against you, you may appeal once within ${durationWords(c.appealWindow)}; the case then goes one level up.`,
    ],
  };
}

export function calendarSentence(policy: PolicyDocument): string {
  const cal = policy.calendar;
  const days = cal.workdays.map((d) => DAYS[d] ?? d);
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
  const dayWords =
    cal.workdays.length === 5 && weekdays.every((d) => cal.workdays.includes(d)) ? 'Monday to Friday' : listOf(days);
  const holidays = cal.holidays?.length
    ? `, except holidays (${listOf(cal.holidays.map((h) => new Date(`${h}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })))})`
    : '';
  return `Working hours are ${dayWords}, ${cal.hours.start}–${cal.hours.end} ${cal.timezone} time${holidays}.`;
}

/** "If a gold partner registers…, then auto-approved under R-DEFAULT." */
export function scenarioSentence(scenario: { if: string; then: string }): { if: string; then: string } {
  return { if: lowerFirst(scenario.if.replace(/^if\s+/i, '')), then: lowerFirst(scenario.then.replace(/\.$/, '')) };
}

// ---------------------------------------------------------------- changes

export interface PolicyChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  old?: unknown;
  new?: unknown;
  summary: string;
}

type Reader = (value: unknown) => string;
const duration: Reader = (v) => (typeof v === 'string' ? durationWords(v) : String(v));
const tiers: Reader = (v) => (Array.isArray(v) ? `${tiersWords(v as string[])} partners` : 'every tier');

/** A change of the diff as a partner reads it; the API's own summary where no plainer words are known. */
export function changeWords(change: PolicyChange, policy: PolicyDocument): string {
  const money: Reader = (v) => (typeof v === 'number' ? moneyWords(v, baseCurrency(policy)) : String(v));
  const known: [RegExp, string, Reader][] = [
    [/^registration\.review\.autoApprove\.maxAmount$/, 'Deals approved at once', (v) => `up to ${money(v)}`],
    [/^registration\.review\.autoApprove\.tiers$/, 'Who is approved at once', tiers],
    [/^registration\.validity$/, 'How long an approved registration protects your deal', duration],
    [/^registration\.extensions\.max$/, 'Extensions allowed', (v) => String(v)],
    [/^registration\.extensions\.length$/, 'Length of an extension', duration],
    [/^registration\.review\.sla$/, 'Time to decide a review', duration],
    [/^registration\.staleAfter$/, 'Longest time between progress updates', duration],
    [/^conflicts\.appealWindow$/, 'Time to appeal a decision', duration],
    [/^conflicts\.escalation\[\d+\]\.sla$/, `Deadline at conflict tier ${tierOf(change.path)}`, duration],
    [/^noticePeriod$/, 'Notice before a new version takes effect', duration],
    [/^routes\[[^\]]+\]\.eligibleTiers$/, `Who may register under rule ${ruleOf(change.path)}`, tiers],
  ];
  const match = known.find(([pattern]) => pattern.test(change.path));
  if (!match || change.kind !== 'changed') return change.summary;
  const [, label, read] = match;
  return `${label}: now ${read(change.new)} (before: ${read(change.old)}).`;
}

function tierOf(path: string): number {
  return Number(/\[(\d+)\]/.exec(path)?.[1] ?? 0) + 1;
}
function ruleOf(path: string): string {
  return /^routes\[([^\]]+)\]/.exec(path)?.[1] ?? '';
}
