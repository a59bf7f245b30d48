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

type Setup = {
  partnerId?: string;
  tier?: ImpactRegistration['partner']['tier'];
  segment?: ImpactView['account']['segment'];
  amount?: number;
  namedDirect?: boolean;
};

/** A registration decided by the rules of v1 at submission, as the read model records it. */
function aRegistration(id: string, setup: Setup = {}): ImpactRegistration {
  const partner = { tier: setup.tier ?? 'gold', type: 'reseller' as const, regions: ['emea'] };
  const view: ImpactView = {
    id,
    partnerId: setup.partnerId ?? 'northwind',
    status: 'submitted',
    account: { domain: `${id}.example`, region: 'emea', ...(setup.segment ? { segment: setup.segment } : {}) },
    opportunity: { productLine: 'platform', amount: { value: setup.amount ?? 20_000, currency: 'EUR' } },
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

describe('impactOf', () => {
  it('finds no registration decided differently under an unchanged copy of the version', () => {
    expect(impactOf(aPolicy(), 2, BOOK)).toEqual({ evaluated: 5, changed: [], partnersTouched: [] });
  });

  it('lists the deals a raised auto-approval threshold would approve at once', () => {
    const impact = impactOf(
      aPolicy((d) => {
        d.registration.review.autoApprove!.maxAmount = 100_000;
      }),
      2,
      BOOK,
    );
    expect(impact.changed).toEqual([
      {
        registrationId: 'big-gold',
        partnerId: 'fabrikam',
        currentOutcome: 'pending_review',
        currentRuleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
        newOutcome: 'approved',
        newRuleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
        newReason: expect.stringContaining('auto-approved'),
      },
    ]);
    expect(impact.partnersTouched).toEqual(['fabrikam']);
  });

  it('sends gold deals to review when gold leaves the auto-approved tiers', () => {
    const impact = impactOf(
      aPolicy((d) => {
        d.registration.review.autoApprove!.tiers = ['platinum'];
      }),
      2,
      BOOK,
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
    );
    expect(impact).toEqual({ evaluated: 5, changed: [], partnersTouched: [] });
  });

  it('uses the partner tier the directory has now', () => {
    const promoted = { ...BOOK[2], partner: { ...BOOK[2].partner, tier: 'gold' as const } };
    const impact = impactOf(aPolicy(), 2, [promoted]);
    expect(impact.changed).toEqual([
      expect.objectContaining({ registrationId: 'silver', currentOutcome: 'pending_review', newOutcome: 'approved' }),
    ]);
  });

  it('compares with the first decision of the rules, not the manager who decided the review after it', () => {
    const reviewed = decidedByManager(BOOK[1], 'approved');
    expect(recordedFirstDecision(reviewed.view)).toEqual({
      outcome: 'pending_review',
      ruleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
    });
    expect(impactOf(aPolicy(), 2, [reviewed]).changed).toEqual([]);
  });

  it('keeps a claim the registration met at submission, so a contested deal is not reported as changed', () => {
    const contested = aRegistration('contested');
    contested.view.decision = {
      outcome: 'in_conflict',
      ruleIds: ['R-DEFAULT', 'EXISTING-CLAIM'],
      decidedBy: 'system:rules',
    };
    expect(impactOf(aPolicy(), 2, [contested]).changed).toEqual([]);
  });

  it('falls back to the current status when nothing else records the first outcome', () => {
    const view: ImpactView = { ...BOOK[0].view, status: 'info_requested', decision: undefined, timeline: [] };
    expect(recordedFirstDecision(view)).toEqual({ outcome: 'pending_review' });
    expect(recordedFirstDecision({ ...view, status: 'submitted' })).toBeUndefined();
    expect(impactOf(aPolicy(), 2, [{ ...BOOK[0], view: { ...view, status: 'submitted' } }]).evaluated).toBe(0);
  });
});
