/**
 * The rules engine: decides a deal registration from its facts and the policy version in effect at
 * submission. Pure and deterministic, because workflows call it: no clock, no I/O, and the same facts
 * under the same version always give the same decision.
 *
 * The steps, in order; the first one that applies decides, so every input yields exactly one decision:
 *  1. Route: the first route whose `when` matches the account and opportunity. An absent filter matches
 *     anything; an account without a segment matches only routes without a segment filter. A valid
 *     policy has a catch-all route, so one always matches.
 *  2. The route rejects partner registrations → rejected [route].
 *  3. The partner's tier, then its type, is not eligible on the route → rejected [route].
 *  4. The account is a named direct account → in_conflict with the direct team [route, NAMED-DIRECT-ACCOUNT].
 *  5. A claim already exists on the account and product line → in_conflict with it [route, EXISTING-CLAIM].
 *  6. The route sends registrations to review → pending_review [route].
 *  7. The route accepts: with no auto-approval rule → approved [route]; otherwise approved
 *     [route, AUTO-APPROVE] when the tier is listed and the amount is at most the threshold, else
 *     pending_review [route, AUTO-APPROVE]. The threshold is in the policy's base currency: another
 *     currency is converted with the policy's rate, and without one the deal goes to review.
 * Rejections come before conflicts because a registration its route refuses opens no conflict case
 * (API.md, Conflicts); conflicts come before review because a contested account needs a case, not a review.
 *
 * Every decision's reason is one sentence a partner understands and never names another partner.
 */
import type { AccountSegment, PartnerTier, PartnerType } from './directory';
import {
  CLAIM_KINDS,
  type DecisionOutcome,
  type PlaybookScenario,
  type PolicyDocument,
  type PolicyRoute,
  type RegistrationRules,
  type ScenarioFacts,
} from './policy';
import { baseCurrencyOf, inBaseCurrency, rateOf, type PolicyMoney } from './money';

/** Rule ids the engine applies on its own, next to the id of the route that matched. */
export const NAMED_DIRECT_ACCOUNT = 'NAMED-DIRECT-ACCOUNT';
export const EXISTING_CLAIM = 'EXISTING-CLAIM';
export const AUTO_APPROVE = 'AUTO-APPROVE';

export type ClaimKind = (typeof CLAIM_KINDS)[number];
export type RouteKind = PolicyRoute['route'];

export type RegistrationFacts = {
  partner: { id: string; tier: PartnerTier; type: PartnerType; regions: string[] };
  account: { domain: string; segment?: AccountSegment; region: string; namedDirect: boolean };
  opportunity: { productLine: string; amount: { value: number; currency: string } };
  existingClaim?: { kind: ClaimKind };
};

type DecisionBasis = {
  /** The matched route's id first, then any built-in rule that took part. */
  ruleIds: string[];
  /** One sentence for the partner; never another partner's identity. */
  reason: string;
  policyVersion: number;
  routeId: string;
  route: RouteKind;
};

export type Decision =
  | ({ outcome: 'approved' | 'rejected' | 'pending_review' } & DecisionBasis)
  | ({ outcome: 'in_conflict'; conflictWith: ClaimKind } & DecisionBasis);

type Verdict =
  | { outcome: 'approved' | 'rejected' | 'pending_review'; ruleIds: string[]; reason: string }
  | { outcome: 'in_conflict'; conflictWith: ClaimKind; ruleIds: string[]; reason: string };

/**
 * How an amount meets the auto-approval threshold: `in_base_currency` (converted with the policy's
 * rate, to review without one) or `bare_number`, the rule registrations started before the
 * currency-rates patch were decided by (their amount compared as if it were in the base currency).
 */
export type AmountComparison = 'in_base_currency' | 'bare_number';

// ---------------------------------------------------------------- evaluation

export function evaluateRegistration(
  policy: PolicyDocument,
  policyVersion: number,
  facts: RegistrationFacts,
  amounts: AmountComparison = 'in_base_currency',
): Decision {
  const route = routeFor(policy.routes, facts);
  const money = amounts === 'in_base_currency' ? policy : { currency: facts.opportunity.amount.currency };
  return {
    ...verdictOn(route, { review: policy.registration.review, money }, facts),
    policyVersion,
    routeId: route.id,
    route: route.route,
  };
}

/** Step 1: the first route whose conditions all hold for the account and opportunity. */
export function routeFor(routes: readonly PolicyRoute[], facts: RegistrationFacts): PolicyRoute {
  const route = routes.find((candidate) => isRouteFor(candidate.when, facts));
  // Unreachable for a validated policy: the schema requires a catch-all route.
  if (!route) throw new Error('no route matches the registration; a policy must end with a route whose "when" is {}');
  return route;
}

function isRouteFor(when: PolicyRoute['when'], facts: RegistrationFacts): boolean {
  const { segment, region } = facts.account;
  return (
    (!when.segments || (segment !== undefined && when.segments.includes(segment))) &&
    (!when.regions || when.regions.includes(region)) &&
    (!when.productLines || when.productLines.includes(facts.opportunity.productLine))
  );
}

/** The rules step 7 applies: the review's auto-approval and the policy's money terms. */
type AcceptanceRules = { review: RegistrationRules['review']; money: PolicyMoney };

function verdictOn(route: PolicyRoute, rules: AcceptanceRules, facts: RegistrationFacts): Verdict {
  const scope = scopeOf(route.when, facts);
  if (route.partnerRegistration === 'reject') {
    return rejected(
      route,
      `${scope} ${ROUTE_WORDS[route.route]} (route ${route.id}); partner registrations are not accepted.`,
    );
  }
  const ineligibility = ineligibilityOf(route, facts.partner);
  if (ineligibility) return rejected(route, ineligibility);
  if (facts.account.namedDirect) {
    return inConflict(
      route,
      'direct',
      NAMED_DIRECT_ACCOUNT,
      'This account is a named direct account of the direct sales team',
    );
  }
  if (facts.existingClaim) {
    const cause = 'Another claim already exists on this account and product line';
    return inConflict(route, facts.existingClaim.kind, EXISTING_CLAIM, cause);
  }
  if (route.partnerRegistration === 'review') {
    const reason = `${scope} ${ROUTE_WORDS[route.route]} and every registration is reviewed by a manager (route ${route.id}).`;
    return { outcome: 'pending_review', ruleIds: [route.id], reason };
  }
  return acceptance(route, scope, rules, facts);
}

function rejected(route: PolicyRoute, reason: string): Verdict {
  return { outcome: 'rejected', ruleIds: [route.id], reason };
}

/** Steps 4 and 5: `cause` says what the registration collides with, without naming anyone. */
function inConflict(route: PolicyRoute, conflictWith: ClaimKind, ruleId: string, cause: string): Verdict {
  const reason = `${cause}, so your registration is in conflict until a manager resolves the case (route ${route.id}, rule ${ruleId}).`;
  return { outcome: 'in_conflict', conflictWith, ruleIds: [route.id, ruleId], reason };
}

/** Step 3: why the partner may not register on this route, or undefined when it may. */
function ineligibilityOf(route: PolicyRoute, partner: RegistrationFacts['partner']): string | undefined {
  const { eligibleTiers, eligibleTypes } = route;
  if (eligibleTiers && !eligibleTiers.includes(partner.tier)) {
    const tiers = listOf(eligibleTiers);
    return `Route ${route.id} accepts registrations only from ${tiers} partners, and your partner tier is ${partner.tier}.`;
  }
  if (eligibleTypes && !eligibleTypes.includes(partner.type)) {
    const types = listOf(eligibleTypes.map((type) => TYPE_WORDS[type]));
    return `Route ${route.id} accepts registrations only from ${types} partners, and your partner type is ${TYPE_WORDS[partner.type]}.`;
  }
  return undefined;
}

/** Step 7: an accepting route approves at once, unless auto-approval limits it by tier and amount. */
function acceptance(route: PolicyRoute, scope: string, rules: AcceptanceRules, facts: RegistrationFacts): Verdict {
  const { autoApprove } = rules.review;
  if (!autoApprove) {
    const reason = `${scope} ${ROUTE_WORDS[route.route]} and registrations are accepted without review (route ${route.id}).`;
    return { outcome: 'approved', ruleIds: [route.id], reason };
  }
  const ruleIds = [route.id, AUTO_APPROVE];
  const rulesNamed = `route ${route.id}, rule ${AUTO_APPROVE}`;
  const { tier } = facts.partner;
  const { currency } = facts.opportunity.amount;
  const base = baseCurrencyOf(rules.money);
  // The base currency's wording is the one registrations were decided with before currencies had rates.
  const threshold = numberWords(autoApprove.maxAmount) + (currency === base ? '' : ` ${base}`);
  const amount = amountWords(facts.opportunity.amount, rules.money);
  if (!autoApprove.tiers.includes(tier)) {
    const tiers = listOf(autoApprove.tiers);
    const reason = `Your registration needs a manager's review because only deals of ${tiers} partners are auto-approved, and your partner tier is ${tier} (${rulesNamed}).`;
    return { outcome: 'pending_review', ruleIds, reason };
  }
  const inBase = inBaseCurrency(facts.opportunity.amount, rules.money);
  if (inBase === undefined) {
    const reason = `Your registration needs a manager's review because its amount in ${currency} cannot be compared with the ${base} auto-approval threshold: the policy has no ${currency} rate (${rulesNamed}).`;
    return { outcome: 'pending_review', ruleIds, reason };
  }
  if (!(inBase <= autoApprove.maxAmount)) {
    const reason = `Your registration needs a manager's review because its amount of ${amount} is above the auto-approval threshold of ${threshold} (${rulesNamed}).`;
    return { outcome: 'pending_review', ruleIds, reason };
  }
  const reason = `Your registration is approved automatically because deals of ${tier} partners up to ${threshold} are auto-approved and this one is ${amount} (${rulesNamed}).`;
  return { outcome: 'approved', ruleIds, reason };
}

/** "20,000 EUR"; in another currency with a rate, also what it is in the base: "20,000 USD (18,400 EUR at 0.92)". */
function amountWords(amount: RegistrationFacts['opportunity']['amount'], money: PolicyMoney): string {
  const given = `${numberWords(amount.value)} ${amount.currency}`;
  const rate = rateOf(money, amount.currency);
  const inBase = inBaseCurrency(amount, money);
  if (amount.currency === baseCurrencyOf(money) || rate === undefined || inBase === undefined) return given;
  return `${given} (${numberWords(inBase)} ${baseCurrencyOf(money)} at ${numberWords(rate)})`;
}

// ---------------------------------------------------------------- wording

const ROUTE_WORDS: Record<RouteKind, string> = {
  direct: 'are sold direct',
  partner_led: 'are partner-led',
  co_sell: 'are co-sold with the direct team',
  marketplace: 'are sold through the marketplace',
};

const SEGMENT_WORDS: Record<AccountSegment, string> = {
  smb: 'SMB',
  mid_market: 'mid-market',
  enterprise: 'enterprise',
  strategic: 'strategic',
  public_sector: 'public-sector',
};

const TYPE_WORDS: Record<PartnerType, string> = {
  reseller: 'reseller',
  system_integrator: 'system integrator',
  distributor: 'distributor',
  msp: 'MSP',
  referral: 'referral',
  isv: 'ISV',
};

/** What the matched route covers, as the subject of a sentence: "Accounts in the strategic segment". */
function scopeOf(when: PolicyRoute['when'], facts: RegistrationFacts): string {
  const { segment, region } = facts.account;
  const places = [
    when.segments && segment ? `the ${SEGMENT_WORDS[segment]} segment` : undefined,
    when.regions ? `the ${region} region` : undefined,
  ].filter((place): place is string => place !== undefined);
  const accounts = places.length > 0 ? `accounts in ${places.join(' and ')}` : undefined;
  if (when.productLines) {
    const deals = `Deals for the "${facts.opportunity.productLine}" product line`;
    return accounts ? `${deals} on ${accounts}` : deals;
  }
  return accounts ? `A${accounts.slice(1)}` : 'Deals on this account';
}

function listOf(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

// Written out by hand: toLocaleString depends on the host's locale data.
function numberWords(value: number): string {
  const text = String(value);
  if (/e/i.test(text) || !Number.isFinite(value)) return text;
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

// ---------------------------------------------------------------- playbook

/**
 * The neutral facts a playbook scenario starts from (API.md: "an unclaimed account in the partner's
 * first region, no segment"): a silver reseller in EMEA, an unclaimed account that is not named direct,
 * product line "default", an amount of 0 EUR.
 */
export const SCENARIO_DEFAULTS = {
  partnerId: 'scenario-partner',
  tier: 'silver',
  type: 'reseller',
  regions: ['emea'],
  domain: 'scenario.example',
  productLine: 'default',
  amount: { value: 0, currency: 'EUR' },
} as const satisfies {
  partnerId: string;
  tier: PartnerTier;
  type: PartnerType;
  regions: readonly string[];
  domain: string;
  productLine: string;
  amount: RegistrationFacts['opportunity']['amount'];
};

export function factsFromScenario(given: ScenarioFacts): RegistrationFacts {
  const { partner, account, opportunity, existingClaim } = given;
  const regions = [...(partner?.regions ?? SCENARIO_DEFAULTS.regions)];
  const segment = account?.segment;
  return {
    partner: {
      id: SCENARIO_DEFAULTS.partnerId,
      tier: partner?.tier ?? SCENARIO_DEFAULTS.tier,
      type: partner?.type ?? SCENARIO_DEFAULTS.type,
      regions,
    },
    account: {
      domain: account?.domain ?? SCENARIO_DEFAULTS.domain,
      ...(segment ? { segment } : {}),
      region: account?.region ?? regions[0],
      namedDirect: account?.directOwner ?? false,
    },
    opportunity: {
      productLine: opportunity?.productLine ?? SCENARIO_DEFAULTS.productLine,
      amount: { ...(opportunity?.amount ?? SCENARIO_DEFAULTS.amount) },
    },
    ...(existingClaim ? { existingClaim: { kind: existingClaim.kind } } : {}),
  };
}

export type PlaybookResult = {
  id: string;
  passed: boolean;
  expected: PlaybookScenario['expect'];
  actual: { outcome: DecisionOutcome; ruleIds: string[] };
  /** For the rollout's instrument check: the scenario, what it expected and what the engine decided. */
  detail: string;
};

/** Evaluates every scenario of the policy's playbook with the real engine. */
export function runPlaybook(policy: PolicyDocument, policyVersion: number): PlaybookResult[] {
  return policy.playbook.map((scenario) => {
    const decision = evaluateRegistration(policy, policyVersion, factsFromScenario(scenario.given));
    return playbookResult(scenario, decision);
  });
}

function playbookResult(scenario: PlaybookScenario, decision: Decision): PlaybookResult {
  const { expect: expected } = scenario;
  const actual = { outcome: decision.outcome, ruleIds: decision.ruleIds };
  const passed =
    actual.outcome === expected.outcome && (expected.ruleIds ?? []).every((ruleId) => actual.ruleIds.includes(ruleId));
  const detail = passed
    ? `${scenario.id}: ${outcomeWords(actual)}, as expected.`
    : `${scenario.id}: expected ${outcomeWords(expected)}, got ${outcomeWords(actual)}: ${decision.reason}`;
  const expectedCopy = { outcome: expected.outcome, ...(expected.ruleIds ? { ruleIds: [...expected.ruleIds] } : {}) };
  return { id: scenario.id, passed, expected: expectedCopy, actual, detail };
}

function outcomeWords({ outcome, ruleIds }: { outcome: DecisionOutcome; ruleIds?: string[] }): string {
  return ruleIds && ruleIds.length > 0 ? `${outcome} (${ruleIds.join(', ')})` : outcome;
}

// ---------------------------------------------------------------- possible duplicates

type NamedAccount = { domain: string; name: string };

// Trailing words that name a company's legal form, not the company: "Acme GmbH" and "ACME Inc." are one name.
const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'llp',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'plc',
  'pty',
  'corp',
  'corporation',
  'co',
  'company',
]);

/**
 * Accounts on other domains whose company name is near-identical to `name`: a "possible duplicate"
 * warning for the reviewer, never a block. Names compare without case, accents, punctuation and legal
 * forms; they match when equal, or within one edit when at least 6 characters long. Domains are
 * compared as given (callers pass account keys); accounts on `ownDomain` are the same account.
 */
export function similarAccountNames(name: string, others: readonly NamedAccount[], ownDomain: string): NamedAccount[] {
  const key = nameKeyOf(name);
  const own = domainKeyOf(ownDomain);
  const seen = new Set<string>([own]);
  const similar: NamedAccount[] = [];
  if (key.length === 0) return similar;
  for (const other of others) {
    const domain = domainKeyOf(other.domain);
    if (seen.has(domain) || !isNearIdentical(key, nameKeyOf(other.name))) continue;
    seen.add(domain);
    similar.push({ domain: other.domain, name: other.name });
  }
  return similar;
}

function domainKeyOf(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/** A company name reduced to what identifies it: "Société Générale S.A." → "societegenerale". */
function nameKeyOf(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Dots join abbreviations ("S.A.S." is "sas"); any other punctuation separates words.
    .replace(/\./g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  while (words.length > 1 && isLegalFormAtEnd(words)) words.pop();
  return words.join('');
}

// "GmbH & Co. KG": an "and" between legal forms goes with them.
function isLegalFormAtEnd(words: readonly string[]): boolean {
  const last = words[words.length - 1];
  return LEGAL_FORMS.has(last) || (last === 'and' && words.length > 2 && LEGAL_FORMS.has(words[words.length - 2]));
}

function isNearIdentical(a: string, b: string): boolean {
  if (b.length === 0) return false;
  if (a === b) return true;
  const [left, right] = [Array.from(a), Array.from(b)];
  return Math.min(left.length, right.length) >= 6 && isWithinOneEdit(left, right);
}

/** Levenshtein distance ≤ 1, in one pass: skip the common prefix, then the rest must agree after one edit. */
function isWithinOneEdit(a: readonly string[], b: readonly string[]): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  const rest = (text: readonly string[], from: number) => text.slice(from).join('');
  if (a.length === b.length) return rest(a, start + 1) === rest(b, start + 1);
  return a.length > b.length ? rest(a, start + 1) === rest(b, start) : rest(a, start) === rest(b, start + 1);
}
