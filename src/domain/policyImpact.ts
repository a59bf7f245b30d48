/**
 * The dry run of a candidate policy version: each registration's facts are decided by the real rules
 * engine twice, under the version it was submitted under and under the candidate, with the same
 * facts. Only rules can make the two differ: a candidate that changes nothing but its title lists
 * nothing, whatever happened to the registration since (a review, a conflict case, an appeal).
 * Pure: the caller joins the directory and the policy documents and passes plain facts.
 */
import type { AccountSegment, PartnerTier, PartnerType } from './directory';
import type { DecisionOutcome, PolicyDocument } from './policy';
import { EXISTING_CLAIM, NAMED_DIRECT_ACCOUNT, evaluateRegistration, type RegistrationFacts } from './rules';
import { totalInBaseCurrency, type AmountTotal, type Money } from './money';

// Who and which rules decided, as the registration process records them (workflows/registration/record.ts).
const DECIDED_BY_RULES = 'system:rules';
const AFTER_REVIEW_RULE_IDS = ['MANAGER-DECISION', 'REVIEW-SLA'];
const FIRST_EVALUATION = 'evaluated';

/** The fields of a registration view the dry run reads. */
export type ImpactView = {
  id: string;
  partnerId: string;
  /** The version the registration was submitted under: its rules are the other side of the comparison. */
  policyVersion: number;
  status: string;
  account: { domain: string; region: string; segment?: AccountSegment };
  opportunity: { productLine: string; amount: { value: number; currency: string } };
  decision?: { outcome: DecisionOutcome; ruleIds: string[]; decidedBy: string };
  timeline: { event: string; detail: string }[];
};

export type ImpactRegistration = {
  view: ImpactView;
  /** The partner as the directory has it now. */
  partner: { tier: PartnerTier; type: PartnerType; regions: string[] };
  /** Whether the directory names the account a direct account now. */
  namedDirect: boolean;
};

export type ImpactChange = {
  registrationId: string;
  partnerId: string;
  amount: Money;
  currentOutcome: DecisionOutcome;
  currentRuleIds: string[];
  newOutcome: DecisionOutcome;
  newRuleIds: string[];
  newReason: string;
};

export type PolicyImpact = {
  evaluated: number;
  changed: ImpactChange[];
  /** The amounts of the changed registrations, summed in the candidate's base currency with its rates. */
  changedAmount: AmountTotal;
  partnersTouched: string[];
};

/** The first decision as recorded; `ruleIds` is undefined when only the outcome could be recovered. */
type RecordedDecision = { outcome: DecisionOutcome; ruleIds?: string[] };

/** The policy document of a version, when the store still has it. */
export type PolicyDocumentOf = (version: number) => PolicyDocument | undefined;

/**
 * A registration whose own version is unknown is compared with its recorded first decision instead;
 * one with neither (still `submitted` under a version the store lost) is left out of `evaluated`.
 */
export function impactOf(
  candidate: PolicyDocument,
  candidateVersion: number,
  registrations: readonly ImpactRegistration[],
  documentOf: PolicyDocumentOf,
): PolicyImpact {
  let evaluated = 0;
  const changed: ImpactChange[] = [];
  for (const registration of registrations) {
    const recorded = recordedFirstDecision(registration.view);
    const facts = factsOf(registration, recorded);
    const own = documentOf(registration.view.policyVersion);
    const current = own ? evaluateRegistration(own, registration.view.policyVersion, facts) : recorded;
    if (!current) continue;
    evaluated += 1;
    const decision = evaluateRegistration(candidate, candidateVersion, facts);
    const sameRules = current.ruleIds === undefined || isSameList(current.ruleIds, decision.ruleIds);
    if (decision.outcome === current.outcome && sameRules) continue;
    changed.push({
      registrationId: registration.view.id,
      partnerId: registration.view.partnerId,
      amount: { ...registration.view.opportunity.amount },
      currentOutcome: current.outcome,
      currentRuleIds: current.ruleIds ?? [],
      newOutcome: decision.outcome,
      newRuleIds: decision.ruleIds,
      newReason: decision.reason,
    });
  }
  const partnersTouched = [...new Set(changed.map((change) => change.partnerId))].sort();
  const changedAmount = totalInBaseCurrency(
    changed.map((change) => change.amount),
    candidate,
  );
  return { evaluated, changed, changedAmount, partnersTouched };
}

/**
 * The partner and the account's named-direct flag are the directory's now, on both sides of the
 * comparison. Claims are not looked up: they come and go with other registrations. A registration
 * that met an existing claim when it was submitted keeps that fact.
 */
function factsOf(
  { view, partner, namedDirect }: ImpactRegistration,
  recorded: RecordedDecision | undefined,
): RegistrationFacts {
  const { domain, region, segment } = view.account;
  const metClaim = recorded?.ruleIds?.includes(EXISTING_CLAIM) ?? false;
  return {
    partner: { id: view.partnerId, tier: partner.tier, type: partner.type, regions: [...partner.regions] },
    account: { domain, region, ...(segment ? { segment } : {}), namedDirect },
    opportunity: { productLine: view.opportunity.productLine, amount: { ...view.opportunity.amount } },
    // The claim's holder only changes whom the case is with, never the outcome or the rule ids.
    ...(metClaim ? { existingClaim: { kind: 'partner' as const } } : {}),
  };
}

/**
 * The decision the rules took at submission: the view's decision while the rules still hold it;
 * once a manager, the review SLA or a conflict case decided over it, what the first `evaluated`
 * entry of the timeline and the later decision tell; failing that, the current status.
 */
export function recordedFirstDecision(view: ImpactView): RecordedDecision | undefined {
  const { decision } = view;
  if (decision?.decidedBy === DECIDED_BY_RULES) return { outcome: decision.outcome, ruleIds: [...decision.ruleIds] };
  const evaluation = view.timeline.find((entry) => entry.event === FIRST_EVALUATION);
  const ruleIds = evaluation ? ruleIdsNamedIn(evaluation.detail) : undefined;
  const outcome = outcomeBehind(decision, ruleIds) ?? outcomeOfStatus(view.status);
  if (!outcome) return undefined;
  return ruleIds ? { outcome, ruleIds } : { outcome };
}

/** The engine's reasons name the matched route first ("route R-X", "Route R-X"), then any built-in rule. */
function ruleIdsNamedIn(reason: string): string[] | undefined {
  const route = /\b[Rr]oute ([A-Za-z][A-Za-z0-9_-]*)/.exec(reason)?.[1];
  if (!route) return undefined;
  const rule = /\brule ([A-Za-z][A-Za-z0-9_-]*)/.exec(reason)?.[1];
  return rule ? [route, rule] : [route];
}

function outcomeBehind(decision: ImpactView['decision'], ruleIds: string[] | undefined): DecisionOutcome | undefined {
  // Claims and named direct accounts always put a registration in conflict (rules.ts, steps 4 and 5).
  if (ruleIds?.some((id) => id === EXISTING_CLAIM || id === NAMED_DIRECT_ACCOUNT)) return 'in_conflict';
  // Only a registration under review is decided by a manager or by the review SLA.
  if (decision?.ruleIds.some((id) => AFTER_REVIEW_RULE_IDS.includes(id))) return 'pending_review';
  return undefined;
}

function outcomeOfStatus(status: string): DecisionOutcome | undefined {
  if (status === 'pending_review' || status === 'info_requested') return 'pending_review';
  if (status === 'approved' || status === 'won' || status === 'lost' || status === 'expired') return 'approved';
  if (status === 'rejected' || status === 'in_conflict') return status;
  return undefined;
}

function isSameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
