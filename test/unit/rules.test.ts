import fc from 'fast-check';
import { ACCOUNT_SEGMENTS, PARTNER_TIERS, PARTNER_TYPES } from '../../src/domain/directory';
import {
  DECISION_OUTCOMES,
  EXAMPLE_POLICY,
  ROUTE_KINDS,
  PARTNER_REGISTRATION_RULES,
  type PolicyDocument,
  type PolicyDocumentInput,
  validatePolicyDocument,
} from '../../src/domain/policy';
import {
  AUTO_APPROVE,
  EXISTING_CLAIM,
  NAMED_DIRECT_ACCOUNT,
  type Decision,
  type RegistrationFacts,
  evaluateRegistration,
  factsFromScenario,
  runPlaybook,
  similarAccountNames,
} from '../../src/domain/rules';

// ---------------------------------------------------------------- builders

type PolicyChange = (document: PolicyDocumentInput) => void;

/** The example policy, changed in place by each function, then validated as any stored version is. */
function aPolicy(...changes: PolicyChange[]): PolicyDocument {
  const document = structuredClone(EXAMPLE_POLICY);
  changes.forEach((change) => change(document));
  return validPolicy(document);
}

function validPolicy(document: unknown): PolicyDocument {
  const result = validatePolicyDocument(document);
  if (!result.ok) throw new Error(`invalid test policy: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

const withoutAutoApprove: PolicyChange = (document) => {
  delete document.registration.review.autoApprove;
};

/** Inserts a route before the catch-all R-DEFAULT. */
const withRouteBeforeDefault =
  (route: PolicyDocumentInput['routes'][number]): PolicyChange =>
  (document) => {
    document.routes.splice(document.routes.length - 1, 0, route);
  };

type FactChanges = {
  partner?: Partial<RegistrationFacts['partner']>;
  account?: Partial<RegistrationFacts['account']>;
  opportunity?: Partial<RegistrationFacts['opportunity']>;
  existingClaim?: RegistrationFacts['existingClaim'];
};

/** A gold reseller registering a 20,000 EUR "cloud" deal on an unclaimed mid-market account in EMEA. */
function aRegistration(changes: FactChanges = {}): RegistrationFacts {
  return {
    partner: { id: 'northwind', tier: 'gold', type: 'reseller', regions: ['emea'], ...changes.partner },
    account: { domain: 'acme.com', segment: 'mid_market', region: 'emea', namedDirect: false, ...changes.account },
    opportunity: { productLine: 'cloud', amount: { value: 20000, currency: 'EUR' }, ...changes.opportunity },
    ...(changes.existingClaim ? { existingClaim: changes.existingClaim } : {}),
  };
}

function withoutSegment(facts: RegistrationFacts): RegistrationFacts {
  const { segment: _segment, ...account } = facts.account;
  return { ...facts, account };
}

const VERSION = 7;
const examplePolicy = aPolicy();

function decide(facts: RegistrationFacts, policy: PolicyDocument = examplePolicy): Decision {
  return evaluateRegistration(policy, VERSION, facts);
}

// ---------------------------------------------------------------- steps

describe('step 1: the route to market', () => {
  it('takes the first route whose segment matches', () => {
    expect(decide(aRegistration({ account: { segment: 'enterprise' } })).routeId).toBe('R-ENTERPRISE');
    expect(decide(aRegistration({ account: { segment: 'strategic' } })).routeId).toBe('R-STRATEGIC');
  });

  it('sends an account without a segment only to routes without a segment filter', () => {
    const policy = aPolicy((document) => {
      document.routes[1].when = { segments: ['enterprise', 'mid_market', 'smb', 'public_sector'] };
    });
    expect(decide(withoutSegment(aRegistration()), policy).routeId).toBe('R-DEFAULT');
  });

  it('matches a region filter on the account region', () => {
    const policy = aPolicy(
      withRouteBeforeDefault({
        id: 'R-NA',
        when: { regions: ['na'] },
        route: 'marketplace',
        partnerRegistration: 'accept',
      }),
    );
    expect(decide(aRegistration({ account: { region: 'na' } }), policy)).toMatchObject({
      routeId: 'R-NA',
      route: 'marketplace',
    });
    expect(decide(aRegistration({ account: { region: 'emea' } }), policy).routeId).toBe('R-DEFAULT');
  });

  it('matches a product line filter on the opportunity product line', () => {
    const policy = aPolicy(
      withRouteBeforeDefault({
        id: 'R-HARDWARE',
        when: { productLines: ['hardware'] },
        route: 'direct',
        partnerRegistration: 'reject',
      }),
    );
    expect(decide(aRegistration({ opportunity: { productLine: 'hardware' } }), policy).routeId).toBe('R-HARDWARE');
    expect(decide(aRegistration({ opportunity: { productLine: 'cloud' } }), policy).routeId).toBe('R-DEFAULT');
  });

  it('requires every filter of a route to match', () => {
    const policy = aPolicy(
      withRouteBeforeDefault({
        id: 'R-NA-SMB',
        when: { segments: ['smb'], regions: ['na'] },
        route: 'partner_led',
        partnerRegistration: 'review',
      }),
    );
    expect(decide(aRegistration({ account: { segment: 'smb', region: 'na' } }), policy).routeId).toBe('R-NA-SMB');
    expect(decide(aRegistration({ account: { segment: 'smb', region: 'emea' } }), policy).routeId).toBe('R-DEFAULT');
  });

  it('follows the order of the routes, so a catch-all listed first decides everything', () => {
    const policy = aPolicy((document) => document.routes.reverse());
    expect(decide(aRegistration({ account: { segment: 'strategic' } }), policy).routeId).toBe('R-DEFAULT');
  });

  it('records the policy version, the route id and the route kind on the decision', () => {
    expect(decide(aRegistration({ account: { segment: 'enterprise' } }))).toMatchObject({
      policyVersion: VERSION,
      routeId: 'R-ENTERPRISE',
      route: 'co_sell',
    });
  });
});

describe('step 2: a route that rejects partner registrations', () => {
  it('rejects with the route id and a reason naming the segment and the route', () => {
    expect(decide(aRegistration({ account: { segment: 'strategic' } }))).toEqual({
      outcome: 'rejected',
      ruleIds: ['R-STRATEGIC'],
      reason:
        'Accounts in the strategic segment are sold direct (route R-STRATEGIC); partner registrations are not accepted.',
      policyVersion: VERSION,
      routeId: 'R-STRATEGIC',
      route: 'direct',
    });
  });

  it('rejects before any conflict, so a named direct or claimed account opens no case', () => {
    const facts = aRegistration({
      account: { segment: 'strategic', namedDirect: true },
      existingClaim: { kind: 'partner' },
    });
    const decision = decide(facts);
    expect(decision.outcome).toBe('rejected');
    expect(decision).not.toHaveProperty('conflictWith');
  });
});

describe('step 3: tier and type eligibility', () => {
  it('rejects a tier the route does not accept, naming the tier', () => {
    const decision = decide(aRegistration({ partner: { tier: 'registered' } }));
    expect(decision).toMatchObject({ outcome: 'rejected', ruleIds: ['R-DEFAULT'] });
    expect(decision.reason).toBe(
      'Route R-DEFAULT accepts registrations only from silver, gold and platinum partners, and your partner tier is registered.',
    );
  });

  it('rejects a partner type the route does not accept, naming the type', () => {
    const policy = aPolicy((document) => {
      document.routes[2].eligibleTypes = ['reseller', 'system_integrator'];
    });
    const decision = decide(aRegistration({ partner: { type: 'msp' } }), policy);
    expect(decision).toMatchObject({ outcome: 'rejected', ruleIds: ['R-DEFAULT'] });
    expect(decision.reason).toBe(
      'Route R-DEFAULT accepts registrations only from reseller and system integrator partners, and your partner type is MSP.',
    );
    expect(decide(aRegistration({ partner: { type: 'system_integrator' } }), policy).outcome).toBe('approved');
  });

  it('rejects an ineligible tier even on a named direct account', () => {
    const decision = decide(aRegistration({ partner: { tier: 'registered' }, account: { namedDirect: true } }));
    expect(decision.outcome).toBe('rejected');
  });
});

describe('step 4: named direct accounts', () => {
  it('puts the registration in conflict with the direct team', () => {
    const decision = decide(aRegistration({ account: { namedDirect: true } }));
    expect(decision).toMatchObject({
      outcome: 'in_conflict',
      conflictWith: 'direct',
      ruleIds: ['R-DEFAULT', NAMED_DIRECT_ACCOUNT],
    });
    expect(decision.reason).toContain('named direct account');
  });

  it('takes precedence over another claim on the account', () => {
    const decision = decide(aRegistration({ account: { namedDirect: true }, existingClaim: { kind: 'partner' } }));
    expect(decision).toMatchObject({ conflictWith: 'direct', ruleIds: ['R-DEFAULT', NAMED_DIRECT_ACCOUNT] });
  });
});

describe('step 5: existing claims', () => {
  it("puts the registration in conflict with another partner's claim without naming that partner", () => {
    const decision = decide(aRegistration({ existingClaim: { kind: 'partner' } }));
    expect(decision).toMatchObject({
      outcome: 'in_conflict',
      conflictWith: 'partner',
      ruleIds: ['R-DEFAULT', EXISTING_CLAIM],
    });
    expect(decision.reason).toBe(
      'Another claim already exists on this account and product line, so your registration is in conflict until a manager resolves the case (route R-DEFAULT, rule EXISTING-CLAIM).',
    );
  });

  it('records a claim by the direct team as a conflict with the direct team', () => {
    expect(decide(aRegistration({ existingClaim: { kind: 'direct' } }))).toMatchObject({ conflictWith: 'direct' });
  });

  it('opens a conflict rather than a review on a reviewed route', () => {
    const facts = aRegistration({ account: { segment: 'enterprise' }, existingClaim: { kind: 'partner' } });
    expect(decide(facts)).toMatchObject({ outcome: 'in_conflict', ruleIds: ['R-ENTERPRISE', EXISTING_CLAIM] });
  });
});

describe('step 6: reviewed routes', () => {
  it('sends the registration to review under the route', () => {
    const decision = decide(aRegistration({ account: { segment: 'enterprise' }, partner: { tier: 'silver' } }));
    expect(decision).toMatchObject({ outcome: 'pending_review', ruleIds: ['R-ENTERPRISE'] });
    expect(decision.reason).toBe(
      'Accounts in the enterprise segment are co-sold with the direct team and every registration is reviewed by a manager (route R-ENTERPRISE).',
    );
  });

  it('reviews even a deal that auto-approval would cover', () => {
    const decision = decide(aRegistration({ account: { segment: 'enterprise' }, partner: { tier: 'platinum' } }));
    expect(decision.outcome).toBe('pending_review');
  });
});

describe('step 7: accepting routes and auto-approval', () => {
  it('approves under the route alone when the policy has no auto-approval rule', () => {
    const decision = decide(aRegistration({ partner: { tier: 'silver' } }), aPolicy(withoutAutoApprove));
    expect(decision).toMatchObject({ outcome: 'approved', ruleIds: ['R-DEFAULT'] });
    expect(decision.reason).toBe(
      'Deals on this account are partner-led and registrations are accepted without review (route R-DEFAULT).',
    );
  });

  it('auto-approves a listed tier at exactly the threshold, naming the tier and the threshold', () => {
    const decision = decide(aRegistration({ opportunity: { amount: { value: 50000, currency: 'EUR' } } }));
    expect(decision).toMatchObject({ outcome: 'approved', ruleIds: ['R-DEFAULT', AUTO_APPROVE] });
    expect(decision.reason).toContain('gold partners');
    expect(decision.reason).toContain('50,000');
  });

  it('sends a listed tier above the threshold to review, saying the amount is above it', () => {
    const decision = decide(aRegistration({ opportunity: { amount: { value: 50000.5, currency: 'EUR' } } }));
    expect(decision).toMatchObject({ outcome: 'pending_review', ruleIds: ['R-DEFAULT', AUTO_APPROVE] });
    expect(decision.reason).toBe(
      "Your registration needs a manager's review because its amount of 50,000.5 EUR is above the auto-approval threshold of 50,000 (route R-DEFAULT, rule AUTO-APPROVE).",
    );
  });

  it('sends a tier that is not auto-approved to review, saying which tiers are', () => {
    const decision = decide(aRegistration({ partner: { tier: 'silver' } }));
    expect(decision).toMatchObject({ outcome: 'pending_review', ruleIds: ['R-DEFAULT', AUTO_APPROVE] });
    expect(decision.reason).toBe(
      "Your registration needs a manager's review because only deals of gold and platinum partners are auto-approved, and your partner tier is silver (route R-DEFAULT, rule AUTO-APPROVE).",
    );
  });

  it('follows a changed threshold and tier list', () => {
    const policy = aPolicy((document) => {
      document.registration.review.autoApprove = { maxAmount: 10000, tiers: ['silver'] };
    });
    expect(decide(aRegistration({ partner: { tier: 'silver' } }), policy).outcome).toBe('pending_review');
    const small = aRegistration({
      partner: { tier: 'silver' },
      opportunity: { amount: { value: 9999, currency: 'EUR' } },
    });
    expect(decide(small, policy).outcome).toBe('approved');
  });
});

describe('step 7: amounts in another currency than the base currency', () => {
  const inDollars = (value: number) => aRegistration({ opportunity: { amount: { value, currency: 'USD' } } });
  const withRates =
    (rates: Record<string, number>, currency?: string): PolicyChange =>
    (document) => {
      document.exchangeRates = rates;
      if (currency) document.currency = currency;
    };

  it('never auto-approves an amount in a currency the policy has no rate for, and names that currency', () => {
    const decision = decide(inDollars(100));
    expect(decision).toMatchObject({ outcome: 'pending_review', ruleIds: ['R-DEFAULT', AUTO_APPROVE] });
    expect(decision.reason).toBe(
      "Your registration needs a manager's review because its amount in USD cannot be compared with the EUR auto-approval threshold: the policy has no USD rate (route R-DEFAULT, rule AUTO-APPROVE).",
    );
  });

  it('converts with the policy rate: approved at or below the threshold in the base currency', () => {
    const policy = aPolicy(withRates({ USD: 0.92 }));
    const decision = decide(inDollars(54_000), policy);
    expect(decision).toMatchObject({ outcome: 'approved', ruleIds: ['R-DEFAULT', AUTO_APPROVE] });
    expect(decision.reason).toBe(
      'Your registration is approved automatically because deals of gold partners up to 50,000 EUR are auto-approved and this one is 54,000 USD (49,680 EUR at 0.92) (route R-DEFAULT, rule AUTO-APPROVE).',
    );
  });

  it('converts with the policy rate: reviewed above the threshold in the base currency', () => {
    const policy = aPolicy(withRates({ USD: 1.1 }));
    const decision = decide(inDollars(46_000), policy);
    expect(decision).toMatchObject({ outcome: 'pending_review', ruleIds: ['R-DEFAULT', AUTO_APPROVE] });
    expect(decision.reason).toContain(
      '46,000 USD (50,600 EUR at 1.1) is above the auto-approval threshold of 50,000 EUR',
    );
  });

  it('reads thresholds in the base currency the policy names', () => {
    const policy = aPolicy(withRates({ EUR: 1.09 }, 'USD'));
    expect(decide(inDollars(50_000), policy).outcome).toBe('approved');
    const euros = aRegistration({ opportunity: { amount: { value: 46_000, currency: 'EUR' } } });
    expect(decide(euros, policy).outcome).toBe('pending_review');
  });

  it('still reviews a tier that is not auto-approved for its tier, whatever the currency', () => {
    const decision = decide({ ...inDollars(1), partner: { ...inDollars(1).partner, tier: 'silver' } });
    expect(decision.reason).toContain('your partner tier is silver');
  });

  it('approves without a threshold whatever the currency', () => {
    expect(decide(inDollars(1e9), aPolicy(withoutAutoApprove)).outcome).toBe('approved');
  });

  it('compares the bare number for registrations started before currencies had rates (bare_number)', () => {
    const decision = evaluateRegistration(examplePolicy, VERSION, inDollars(20_000), 'bare_number');
    expect(decision.outcome).toBe('approved');
    expect(decision.reason).toBe(
      'Your registration is approved automatically because deals of gold partners up to 50,000 are auto-approved and this one is 20,000 USD (route R-DEFAULT, rule AUTO-APPROVE).',
    );
  });

  it('runs playbook scenarios in other currencies through the same conversion', () => {
    const policy = aPolicy((document) => {
      document.playbook = [
        {
          id: 'S-USD',
          if: 'A gold partner registers a $20K deal',
          then: 'Reviewed: the policy has no USD rate',
          given: { partner: { tier: 'gold' }, opportunity: { amount: { value: 20_000, currency: 'USD' } } },
          expect: { outcome: 'pending_review' },
        },
      ];
    });
    expect(runPlaybook(policy, VERSION).map((result) => result.passed)).toEqual([true]);
  });
});

// ---------------------------------------------------------------- playbook

describe('factsFromScenario', () => {
  it('fills what a scenario leaves out with an unclaimed, segment-less account in the partner region', () => {
    expect(factsFromScenario({})).toEqual({
      partner: { id: 'scenario-partner', tier: 'silver', type: 'reseller', regions: ['emea'] },
      account: { domain: 'scenario.example', region: 'emea', namedDirect: false },
      opportunity: { productLine: 'default', amount: { value: 0, currency: 'EUR' } },
    });
  });

  it("places the account in the partner's first region and maps directOwner to a named direct account", () => {
    const facts = factsFromScenario({
      partner: { regions: ['na', 'emea'] },
      account: { directOwner: true, segment: 'smb' },
      existingClaim: { kind: 'direct' },
    });
    expect(facts.account).toEqual({ domain: 'scenario.example', segment: 'smb', region: 'na', namedDirect: true });
    expect(facts.existingClaim).toEqual({ kind: 'direct' });
  });
});

describe('runPlaybook', () => {
  it('passes every scenario of the example policy', () => {
    const results = runPlaybook(examplePolicy, 1);
    expect(results.map((result) => result.id)).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(results.filter((result) => !result.passed)).toEqual([]);
    expect(results[1]).toMatchObject({
      expected: { outcome: 'rejected', ruleIds: ['R-STRATEGIC'] },
      actual: { outcome: 'rejected', ruleIds: ['R-STRATEGIC'] },
    });
  });

  it('reports a failing scenario with the expected and the actual decision', () => {
    const policy = aPolicy((document) => {
      document.playbook = [
        {
          id: 'S9',
          if: 'A gold partner registers a $90K deal',
          then: 'Auto-approved',
          given: { partner: { tier: 'gold' }, opportunity: { amount: { value: 90000, currency: 'EUR' } } },
          expect: { outcome: 'approved', ruleIds: ['R-DEFAULT'] },
        },
      ];
    });
    const [result] = runPlaybook(policy, 3);
    expect(result).toEqual({
      id: 'S9',
      passed: false,
      expected: { outcome: 'approved', ruleIds: ['R-DEFAULT'] },
      actual: { outcome: 'pending_review', ruleIds: ['R-DEFAULT', AUTO_APPROVE] },
      detail: expect.stringContaining(
        'S9: expected approved (R-DEFAULT), got pending_review (R-DEFAULT, AUTO-APPROVE)',
      ),
    });
  });

  it('fails a scenario whose outcome matches but whose expected rule did not decide', () => {
    const policy = aPolicy((document) => {
      document.playbook = [
        {
          id: 'S8',
          if: 'x',
          then: 'y',
          given: { account: { segment: 'enterprise' } },
          expect: { outcome: 'pending_review', ruleIds: ['R-DEFAULT'] },
        },
      ];
    });
    expect(runPlaybook(policy, 1)[0]).toMatchObject({ passed: false, actual: { ruleIds: ['R-ENTERPRISE'] } });
  });

  it('passes a scenario whose expected rules are among more rules that decided', () => {
    const policy = aPolicy((document) => {
      document.playbook = [
        {
          id: 'S7',
          if: 'x',
          then: 'y',
          given: { existingClaim: { kind: 'partner' } },
          expect: { outcome: 'in_conflict', ruleIds: ['R-DEFAULT'] },
        },
      ];
    });
    expect(runPlaybook(policy, 1)[0]).toMatchObject({
      passed: true,
      actual: { ruleIds: ['R-DEFAULT', EXISTING_CLAIM] },
    });
  });
});

// ---------------------------------------------------------------- properties

const REGIONS = ['emea', 'na', 'apac', 'latam'] as const;
const PRODUCT_LINES = ['cloud', 'hardware', 'services'] as const;
const PARTNER_IDS = ['northwind', 'contoso', 'fabrikam', 'tailspin'] as const;

const factsArbitrary: fc.Arbitrary<RegistrationFacts> = fc
  .record({
    partnerId: fc.constantFrom(...PARTNER_IDS),
    tier: fc.constantFrom(...PARTNER_TIERS),
    type: fc.constantFrom(...PARTNER_TYPES),
    regions: fc.subarray([...REGIONS], { minLength: 1 }),
    segment: fc.option(fc.constantFrom(...ACCOUNT_SEGMENTS), { nil: undefined }),
    region: fc.constantFrom(...REGIONS),
    namedDirect: fc.boolean(),
    productLine: fc.constantFrom(...PRODUCT_LINES),
    value: fc.oneof(fc.integer({ min: 0, max: 200000 }), fc.double({ min: 0, max: 1e7, noNaN: true })),
    existingClaim: fc.option(fc.constantFrom('partner' as const, 'direct' as const), { nil: undefined }),
  })
  .map((f) => ({
    partner: { id: f.partnerId, tier: f.tier, type: f.type, regions: f.regions },
    account: {
      domain: 'acme.com',
      ...(f.segment ? { segment: f.segment } : {}),
      region: f.region,
      namedDirect: f.namedDirect,
    },
    opportunity: { productLine: f.productLine, amount: { value: f.value, currency: 'EUR' } },
    ...(f.existingClaim ? { existingClaim: { kind: f.existingClaim } } : {}),
  }));

const optionalSubset = <T>(values: readonly T[]) =>
  fc.option(fc.subarray([...values], { minLength: 1 }), { nil: undefined });

const routeArbitrary = fc.record(
  {
    when: fc.record(
      {
        segments: optionalSubset(ACCOUNT_SEGMENTS),
        regions: optionalSubset(REGIONS),
        productLines: optionalSubset(PRODUCT_LINES),
      },
      { requiredKeys: [] },
    ),
    route: fc.constantFrom(...ROUTE_KINDS),
    partnerRegistration: fc.constantFrom(...PARTNER_REGISTRATION_RULES),
    eligibleTiers: optionalSubset(PARTNER_TIERS),
    eligibleTypes: optionalSubset(PARTNER_TYPES),
  },
  { requiredKeys: ['when', 'route', 'partnerRegistration'] },
);

/** Routes in random order with a catch-all somewhere among them, and random auto-approval rules. */
const randomPolicyArbitrary: fc.Arbitrary<PolicyDocument> = fc
  .record({
    routes: fc.array(routeArbitrary, { minLength: 0, maxLength: 4 }),
    catchAll: routeArbitrary.map((route) => ({ ...route, when: {} })),
    catchAllAt: fc.nat(),
    autoApprove: fc.option(
      fc.record({
        maxAmount: fc.integer({ min: 1, max: 200000 }),
        tiers: fc.subarray([...PARTNER_TIERS], { minLength: 1 }),
      }),
      { nil: undefined },
    ),
  })
  .map(({ routes, catchAll, catchAllAt, autoApprove }) => {
    const ordered = [...routes];
    ordered.splice(catchAllAt % (routes.length + 1), 0, catchAll);
    return aPolicy((document) => {
      document.routes = ordered.map((route, index) => ({ id: `R-${index}`, ...route }));
      document.playbook = [];
      if (autoApprove) document.registration.review.autoApprove = autoApprove;
      else delete document.registration.review.autoApprove;
    });
  });

const policyArbitrary = fc.oneof(fc.constant(examplePolicy), randomPolicyArbitrary);
const BUILT_IN_RULES: string[] = [NAMED_DIRECT_ACCOUNT, EXISTING_CLAIM, AUTO_APPROVE];

describe('every registration gets exactly one explained decision', () => {
  it('has a known outcome, starts its rules with the route that matched, and adds only built-in rules', () => {
    fc.assert(
      fc.property(policyArbitrary, factsArbitrary, (policy, facts) => {
        const decision = evaluateRegistration(policy, VERSION, facts);
        expect(DECISION_OUTCOMES).toContain(decision.outcome);
        expect(policy.routes.map((route) => route.id)).toContain(decision.ruleIds[0]);
        expect(decision.ruleIds[0]).toBe(decision.routeId);
        expect(decision.route).toBe(policy.routes.find((route) => route.id === decision.routeId)?.route);
        expect(decision.policyVersion).toBe(VERSION);
        decision.ruleIds.slice(1).forEach((ruleId) => expect(BUILT_IN_RULES).toContain(ruleId));
      }),
    );
  });

  it('is decided by the first route whose filters all match', () => {
    const matches = (when: PolicyDocument['routes'][number]['when'], facts: RegistrationFacts) =>
      (!when.segments || (facts.account.segment !== undefined && when.segments.includes(facts.account.segment))) &&
      (!when.regions || when.regions.includes(facts.account.region)) &&
      (!when.productLines || when.productLines.includes(facts.opportunity.productLine));
    fc.assert(
      fc.property(policyArbitrary, factsArbitrary, (policy, facts) => {
        const decision = evaluateRegistration(policy, VERSION, facts);
        expect(decision.routeId).toBe(policy.routes.find((route) => matches(route.when, facts))?.id);
      }),
    );
  });

  it('decides the same facts the same way every time', () => {
    fc.assert(
      fc.property(policyArbitrary, factsArbitrary, (policy, facts) => {
        const first = evaluateRegistration(policy, VERSION, facts);
        const second = evaluateRegistration(structuredClone(policy), VERSION, structuredClone(facts));
        expect(second).toEqual(first);
      }),
    );
  });

  it('carries a conflict party on conflicts only, never on rejections', () => {
    fc.assert(
      fc.property(policyArbitrary, factsArbitrary, (policy, facts) => {
        const decision = evaluateRegistration(policy, VERSION, facts);
        expect('conflictWith' in decision).toBe(decision.outcome === 'in_conflict');
      }),
    );
  });

  it('puts every registration its route does not refuse on a named direct or claimed account in conflict', () => {
    fc.assert(
      fc.property(policyArbitrary, factsArbitrary, (policy, facts) => {
        const decision = evaluateRegistration(policy, VERSION, facts);
        if (decision.outcome === 'rejected') return;
        if (facts.account.namedDirect)
          expect(decision).toMatchObject({ outcome: 'in_conflict', conflictWith: 'direct' });
        else if (facts.existingClaim) {
          expect(decision).toMatchObject({ outcome: 'in_conflict', conflictWith: facts.existingClaim.kind });
        } else expect(decision.outcome).not.toBe('in_conflict');
      }),
    );
  });

  it('explains itself in a sentence that names no partner', () => {
    fc.assert(
      fc.property(policyArbitrary, factsArbitrary, (policy, facts) => {
        const { reason } = evaluateRegistration(policy, VERSION, facts);
        expect(reason).toMatch(/^[A-Z].*\.$/);
        PARTNER_IDS.forEach((partnerId) => expect(reason.toLowerCase()).not.toContain(partnerId));
      }),
    );
  });
});

// ---------------------------------------------------------------- possible duplicates

describe('similarAccountNames', () => {
  const directory = [
    { domain: 'acme.de', name: 'ACME GmbH' },
    { domain: 'acme-corp.com', name: 'Acme Corp.' },
    { domain: 'societe-generale.fr', name: 'Société Générale S.A.' },
    { domain: 'northwind.com', name: 'Northwind Traders Inc.' },
    { domain: 'globex.com', name: 'Globex' },
  ];

  it('warns about the same company name on another domain, ignoring case, punctuation and legal forms', () => {
    expect(similarAccountNames('Acme, Inc.', directory, 'acme.com')).toEqual([
      { domain: 'acme.de', name: 'ACME GmbH' },
      { domain: 'acme-corp.com', name: 'Acme Corp.' },
    ]);
  });

  it('ignores accents', () => {
    expect(similarAccountNames('Societe Generale', directory, 'sg.com')).toEqual([
      { domain: 'societe-generale.fr', name: 'Société Générale S.A.' },
    ]);
  });

  it('warns about a name one typo away when it has six characters or more', () => {
    expect(similarAccountNames('Northwnd Traders Ltd', directory, 'nwt.example')).toEqual([
      { domain: 'northwind.com', name: 'Northwind Traders Inc.' },
    ]);
  });

  it('tolerates one typo only in names of six characters or more', () => {
    expect(similarAccountNames('Glebex', directory, 'glebex.com')).toEqual([{ domain: 'globex.com', name: 'Globex' }]);
    expect(similarAccountNames('Acne', directory, 'acne.com')).toEqual([]);
  });

  it('does not report the account itself, on its own domain', () => {
    expect(similarAccountNames('Acme GmbH', directory, 'ACME.de')).toEqual([
      { domain: 'acme-corp.com', name: 'Acme Corp.' },
    ]);
  });

  it('does not report names two edits apart', () => {
    expect(similarAccountNames('Northwood Traders', directory, 'nwt.example')).toEqual([]);
  });

  it('treats "GmbH & Co. KG" as a legal form', () => {
    expect(similarAccountNames('Acme GmbH & Co. KG', directory, 'acme-kg.de')).toHaveLength(2);
  });
});
