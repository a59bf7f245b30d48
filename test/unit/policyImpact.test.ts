import {
  EXAMPLE_POLICY,
  type PolicyDocument,
  type PolicyDocumentInput,
  validatePolicyDocument,
} from '../../src/domain/policy';
import {
  impactOf,
  recordedFirstDecision,
  type ImpactRegistration,
  type ImpactView,
} from '../../src/domain/policyImpact';
import { evaluateRegistration } from '../../src/domain/rules';

type Edit = (document: PolicyDocumentInput) => void;

function aPolicy(...edits: Edit[]): PolicyDocument {
  const document = structuredClone(EXAMPLE_POLICY);
  edits.forEach((edit) => edit(document));
  const result = validatePolicyDocument(document);
  if (!result.ok) throw new Error(`invalid test policy: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

const V1 = aPolicy();
/** The store as the dry run sees it: every registration of the book was submitted under v1. */
const documentOf = (version: number) => (version === 1 ? V1 : undefined);

type Setup = {
  partnerId?: string;
  tier?: ImpactRegistration['partner']['tier'];
  segment?: ImpactView['account']['segment'];
  amount?: number;
  currency?: string;
  namedDirect?: boolean;
};

/** A registration decided by the rules of v1 at submission, as the read model records it. */
function aRegistration(id: string, setup: Setup = {}): ImpactRegistration {
  const partner = { tier: setup.tier ?? 'gold', type: 'reseller' as const, regions: ['emea'] };
  const view: ImpactView = {
    id,
    partnerId: setup.partnerId ?? 'northwind',
    policyVersion: 1,
    status: 'submitted',
    account: { domain: `${id}.example`, region: 'emea', ...(setup.segment ? { segment: setup.segment } : {}) },
    opportunity: {
      productLine: 'platform',
      amount: { value: setup.amount ?? 20_000, currency: setup.currency ?? 'EUR' },
    },
    timeline: [],
  };
  const decision = evaluateRegistration(V1, 1, {
    partner: { id: view.partnerId, ...partner },
    account: { ...view.account, namedDirect: setup.namedDirect ?? false },
    opportunity: view.opportunity,
  });
  view.status = decision.outcome;
  view.decision = { outcome: decision.outcome, ruleIds: decision.ruleIds, decidedBy: 'system:rules' };
  view.timeline.push({ event: 'evaluated', detail: decision.reason });
  return { view, partner, namedDirect: setup.namedDirect ?? false };
}

/** The same registration after a manager decided its review. */
function decidedByManager(registration: ImpactRegistration, outcome: 'approved' | 'rejected'): ImpactRegistration {
  const view = structuredClone(registration.view);
  view.status = outcome;
  view.decision = { outcome, ruleIds: ['MANAGER-DECISION'], decidedBy: 'cm-emea' };
  return { ...registration, view };
}

const BOOK = [
  aRegistration('small-gold', { amount: 20_000 }), // approved, auto-approve
  aRegistration('big-gold', { amount: 80_000, partnerId: 'fabrikam' }), // pending review above the threshold
  aRegistration('silver', { tier: 'silver', partnerId: 'contoso' }), // pending review: silver is not auto-approved
  aRegistration('enterprise', { segment: 'enterprise' }), // pending review on R-ENTERPRISE
  aRegistration('strategic', { segment: 'strategic' }), // rejected on R-STRATEGIC
];

const NO_AMOUNT = { currency: 'EUR', value: 0, unconverted: [] };

describe('impactOf', () => {
  it('finds no registration decided differently under an unchanged copy of the version', () => {
    expect(impactOf(aPolicy(), 2, BOOK, documentOf)).toEqual({
      evaluated: 5,
      changed: [],
      changedAmount: NO_AMOUNT,
      partnersTouched: [],
    });
  });

  it('lists the deals a raised auto-approval threshold would approve at once', () => {
    const impact = impactOf(
      aPolicy((d) => {
        d.registration.review.autoApprove!.maxAmount = 100_000;
      }),
      2,
      BOOK,
      documentOf,
    );
    expect(impact.changed).toEqual([
      {
        registrationId: 'big-gold',
        partnerId: 'fabrikam',
        amount: { value: 80_000, currency: 'EUR' },
        currentOutcome: 'pending_review',
        currentRuleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
        newOutcome: 'approved',
        newRuleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
        newReason: expect.stringContaining('auto-approved'),
      },
    ]);
    expect(impact.partnersTouched).toEqual(['fabrikam']);
    expect(impact.changedAmount).toEqual({ currency: 'EUR', value: 80_000, unconverted: [] });
  });

  it("sums the changed deals' amounts in the candidate's base currency, keeping those without a rate apart", () => {
    const book = [
      aRegistration('eur-big', { amount: 80_000 }),
      aRegistration('usd-big', { amount: 60_000, currency: 'USD' }),
      aRegistration('gbp-big', { amount: 70_000, currency: 'GBP' }),
    ];
    const impact = impactOf(
      aPolicy((d) => {
        d.registration.review.autoApprove!.maxAmount = 100_000;
        d.exchangeRates = { USD: 0.9 };
      }),
      2,
      book,
      documentOf,
    );
    expect(impact.changed.map((change) => change.registrationId)).toEqual(['eur-big', 'usd-big']);
    expect(impact.changedAmount).toEqual({ currency: 'EUR', value: 80_000 + 54_000, unconverted: [] });
    const enterpriseAccepted = impactOf(
      aPolicy((d) => {
        d.routes[1].partnerRegistration = 'accept';
      }),
      2,
      [aRegistration('gbp-enterprise', { segment: 'enterprise', amount: 70_000, currency: 'GBP' })],
      documentOf,
    );
    expect(enterpriseAccepted.changed[0].newReason).toContain('the policy has no GBP rate');
    expect(enterpriseAccepted.changedAmount).toEqual({
      currency: 'EUR',
      value: 0,
      unconverted: [{ currency: 'GBP', value: 70_000 }],
    });
  });

  it('sends gold deals to review when gold leaves the auto-approved tiers', () => {
    const impact = impactOf(
      aPolicy((d) => {
        d.registration.review.autoApprove!.tiers = ['platinum'];
      }),
      2,
      BOOK,
      documentOf,
    );
    expect(
      impact.changed.map(({ registrationId, currentOutcome, newOutcome }) => ({
        registrationId,
        currentOutcome,
        newOutcome,
      })),
    ).toEqual([{ registrationId: 'small-gold', currentOutcome: 'approved', newOutcome: 'pending_review' }]);
  });

  it('follows a route change: enterprise deals accepted, strategic deals still rejected', () => {
    const impact = impactOf(
      aPolicy((d) => {
        d.routes[1].partnerRegistration = 'accept';
      }),
      2,
      BOOK,
      documentOf,
    );
    expect(impact.changed).toEqual([
      expect.objectContaining({
        registrationId: 'enterprise',
        currentOutcome: 'pending_review',
        currentRuleIds: ['R-ENTERPRISE'],
        newOutcome: 'approved',
        newRuleIds: ['R-ENTERPRISE', 'AUTO-APPROVE'],
      }),
    ]);
  });

  it('reports a deal decided with the same outcome by another rule', () => {
    const impact = impactOf(
      aPolicy((d) => {
        d.routes[2].id = 'R-PARTNER';
        d.playbook = [];
      }),
      2,
      BOOK,
      documentOf,
    );
    expect(impact.changed.map((change) => change.registrationId)).toEqual(['small-gold', 'big-gold', 'silver']);
    expect(impact.partnersTouched).toEqual(['contoso', 'fabrikam', 'northwind']);
  });

  it('leaves validity and the escalation ladder out: they do not decide a registration', () => {
    const impact = impactOf(
      aPolicy((d) => {
        d.registration.validity = 'P60D';
        d.conflicts.escalation = [{ role: 'channel_manager', sla: 'PT8H' }];
      }),
      2,
      BOOK,
      documentOf,
    );
    expect(impact).toEqual({ evaluated: 5, changed: [], changedAmount: NO_AMOUNT, partnersTouched: [] });
  });

  it('uses the partner tier the directory has now, on both sides of the comparison', () => {
    const promoted = { ...BOOK[2], partner: { ...BOOK[2].partner, tier: 'gold' as const } };
    expect(impactOf(aPolicy(), 2, [promoted], documentOf).changed).toEqual([]);
    const goldLeavesAutoApproval = aPolicy((d) => {
      d.registration.review.autoApprove!.tiers = ['platinum'];
    });
    expect(impactOf(goldLeavesAutoApproval, 2, [promoted], documentOf).changed).toEqual([
      expect.objectContaining({ registrationId: 'silver', currentOutcome: 'approved', newOutcome: 'pending_review' }),
    ]);
  });

  it('lists nothing for a version that differs only in its title, whatever happened to the deals since', () => {
    // The holder of a claim lost the conflict case that a competitor's registration opened.
    const lostItsCase = structuredClone(BOOK[0]);
    lostItsCase.view.status = 'rejected';
    lostItsCase.view.decision = { outcome: 'rejected', ruleIds: ['CONFLICT-AWARD'], decidedBy: 'cm-emea' };
    // A newcomer awarded by the case after it was in conflict.
    const wonItsCase = aRegistration('contested');
    wonItsCase.view.status = 'approved';
    wonItsCase.view.decision = { outcome: 'approved', ruleIds: ['CONFLICT-AWARD'], decidedBy: 'rd-emea' };
    wonItsCase.view.timeline = [{ event: 'evaluated', detail: 'in conflict until a manager resolves the case' }];
    const retitled = aPolicy((d) => {
      d.title = 'FY27 Partner Rules of Engagement (typo fixed)';
    });
    expect(impactOf(retitled, 2, [...BOOK, lostItsCase, wonItsCase], documentOf)).toEqual({
      evaluated: 7,
      changed: [],
      changedAmount: NO_AMOUNT,
      partnersTouched: [],
    });
  });

  it('compares with the first decision of the rules, not the manager who decided the review after it', () => {
    const reviewed = decidedByManager(BOOK[1], 'approved');
    expect(recordedFirstDecision(reviewed.view)).toEqual({
      outcome: 'pending_review',
      ruleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
    });
    expect(impactOf(aPolicy(), 2, [reviewed], documentOf).changed).toEqual([]);
  });

  it('keeps a claim the registration met at submission, so a contested deal is not reported as changed', () => {
    const contested = aRegistration('contested');
    contested.view.decision = {
      outcome: 'in_conflict',
      ruleIds: ['R-DEFAULT', 'EXISTING-CLAIM'],
      decidedBy: 'system:rules',
    };
    expect(impactOf(aPolicy(), 2, [contested], documentOf).changed).toEqual([]);
  });

  it('falls back to the recorded first decision when the store lost the version it was submitted under', () => {
    const view: ImpactView = { ...BOOK[0].view, status: 'info_requested', decision: undefined, timeline: [] };
    const lostVersion = () => undefined;
    expect(recordedFirstDecision(view)).toEqual({ outcome: 'pending_review' });
    expect(recordedFirstDecision({ ...view, status: 'submitted' })).toBeUndefined();
    expect(impactOf(aPolicy(), 2, [{ ...BOOK[0], view }], lostVersion).changed).toEqual([
      expect.objectContaining({ currentOutcome: 'pending_review', newOutcome: 'approved' }),
    ]);
    const submitted = { ...BOOK[0], view: { ...view, status: 'submitted' } };
    expect(impactOf(aPolicy(), 2, [submitted], lostVersion).evaluated).toBe(0);
    expect(impactOf(aPolicy(), 2, [submitted], documentOf).evaluated).toBe(1);
  });
});
