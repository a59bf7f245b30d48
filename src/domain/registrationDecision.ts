import { evaluateRegistration, type AmountComparison, type Decision, type RegistrationFacts } from './rules';
import type { AccountSegment, PartnerTier, PartnerType } from './directory';
import type { PolicyDocument } from './policy';

// The first decision on a registration, pure: the registration workflow takes it, and POST
// /api/registrations/pre-check asks the very same question without importing the workflow.

/** What a registration is submitted with, as far as the rules read it (the workflow's input has more). */
export interface SubmittedRegistration {
  partner: { id: string; tier: PartnerTier; type: PartnerType; regions: string[] };
  account: { domain: string; region: string; segment?: AccountSegment; namedDirect: boolean };
  opportunity: { productLine: string; amount: { value: number; currency: string } };
  policy: { version: number; document: PolicyDocument };
}

/**
 * The rules' decision on what the registration was submitted with, given the claim already on its
 * account and product line (none: unclaimed). Pure, so POST /api/registrations/pre-check asks the
 * very same question without claiming anything.
 */
export function decisionOnSubmission(
  input: SubmittedRegistration,
  amounts: AmountComparison,
  existingClaim?: RegistrationFacts['existingClaim'],
): Decision {
  const facts = factsOf(input);
  return evaluateRegistration(
    input.policy.document,
    input.policy.version,
    existingClaim ? { ...facts, existingClaim } : facts,
    amounts,
  );
}

function factsOf(input: SubmittedRegistration): RegistrationFacts {
  return {
    partner: {
      id: input.partner.id,
      tier: input.partner.tier,
      type: input.partner.type,
      regions: input.partner.regions,
    },
    account: {
      domain: input.account.domain,
      segment: input.account.segment,
      region: input.account.region,
      namedDirect: input.account.namedDirect,
    },
    opportunity: { productLine: input.opportunity.productLine, amount: input.opportunity.amount },
  };
}
