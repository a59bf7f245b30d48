/**
 * The dry run of a candidate policy version: each registration's facts are decided again by the
 * real rules engine under the candidate, and compared with the decision the rules recorded when the
 * registration was submitted. Pure: the caller joins the directory and passes plain facts.
 */
import type { AccountSegment, PartnerTier, PartnerType } from './directory';
import type { DecisionOutcome, PolicyDocument } from './policy';
import { EXISTING_CLAIM, NAMED_DIRECT_ACCOUNT, evaluateRegistration, type RegistrationFacts } from './rules';

// Who and which rules decided, as the registration process records them (workflows/registrationRecord.ts).
const DECIDED_BY_RULES = 'system:rules';
const AFTER_REVIEW_RULE_IDS = ['MANAGER-DECISION', 'REVIEW-SLA'];
const FIRST_EVALUATION = 'evaluated';

/** The fields of a registration view the dry run reads. */
export type ImpactView = {
  id: string;
  partnerId: string;
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
  currentOutcome: DecisionOutcome;
  currentRuleIds: string[];
  newOutcome: DecisionOutcome;
  newRuleIds: string[];
  newReason: string;
};

export type PolicyImpact = { evaluated: number; changed: ImpactChange[]; partnersTouched: string[] };

/** The first decision as recorded; `ruleIds` is undefined when only the outcome could be recovered. */
type RecordedDecision = { outcome: DecisionOutcome; ruleIds?: string[] };

/**
 * Registrations whose first decision cannot be recovered (still `submitted`, or withdrawn after a
 * manager's decision) are left out of `evaluated`: there is nothing to compare with.
 */
export function impactOf(
  candidate: PolicyDocument,
  candidateVersion: number,
  registrations: readonly ImpactRegistration[],
): PolicyImpact {
  let evaluated = 0;
  const changed: ImpactChange[] = [];
  for (const registration of registrations) {
    const recorded = recordedFirstDecision(registration.view);
    if (!recorded) continue;
    evaluated += 1;
    const decision = evaluateRegistration(candidate, candidateVersion, factsOf(registration, recorded));
    const sameRules = recorded.ruleIds === undefined || isSameList(recorded.ruleIds, decision.ruleIds);
    if (decision.outcome === recorded.outcome && sameRules) continue;
    changed.push({
      registrationId: registration.view.id,
      partnerId: registration.view.partnerId,
      currentOutcome: recorded.outcome,
      currentRuleIds: recorded.ruleIds ?? [],
      newOutcome: decision.outcome,
      newRuleIds: decision.ruleIds,
      newReason: decision.reason,
    });
  }
  const partnersTouched = [...new Set(changed.map((change) => change.partnerId))].sort();
  return { evaluated, changed, partnersTouched };
}

/**
 * The partner and the account's named-direct flag are the directory's now. Claims are not looked
 * up: impact compares the rules, not today's claims, which come and go with other registrations.
 * A registration that met an existing claim when it was submitted keeps that fact, or every
 * contested registration would look decided differently under any candidate, even an unchanged one.
 */
function factsOf({ view, partner, namedDirect }: ImpactRegistration, recorded: RecordedDecision): RegistrationFacts {
  const { domain, region, segment } = view.account;
  const metClaim = recorded.ruleIds?.includes(EXISTING_CLAIM) ?? false;
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
