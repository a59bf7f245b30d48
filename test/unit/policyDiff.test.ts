import {
  EXAMPLE_POLICY,
  type PolicyDocument,
  type PolicyDocumentInput,
  validatePolicyDocument,
} from '../../src/domain/policy';
import { diffPolicies, type PolicyChange } from '../../src/domain/policyDiff';

type Edit = (document: PolicyDocumentInput) => void;

/** The example policy (v1 of development), changed in place by each edit, then validated as stored. */
function aPolicy(...edits: Edit[]): PolicyDocument {
  const document = structuredClone(EXAMPLE_POLICY);
  edits.forEach((edit) => edit(document));
  const result = validatePolicyDocument(document);
  if (!result.ok) throw new Error(`invalid test policy: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

const routeOf = (document: PolicyDocumentInput, id: string) => document.routes.find((route) => route.id === id)!;
const changeAt = (changes: PolicyChange[], path: string) => changes.find((change) => change.path === path);

describe('diffPolicies', () => {
  it('finds nothing between a version and an identical copy', () => {
    expect(diffPolicies(aPolicy(), aPolicy())).toEqual([]);
  });

  it('reports a changed validity with its old and new value in one sentence', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        d.registration.validity = 'P60D';
      }),
    );
    expect(changes).toEqual([
      {
        path: 'registration.validity',
        kind: 'changed',
        old: 'P90D',
        new: 'P60D',
        summary: 'Registration validity changes from P90D to P60D.',
      },
    ]);
  });

  it('compares the escalation ladder tier by tier: a changed SLA, a changed role, a removed top tier', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        d.conflicts.escalation = [
          { role: 'channel_manager', sla: 'PT12H' },
          { role: 'vp_partnerships', sla: 'PT48H' },
        ];
      }),
    );
    expect(changes.map(({ path, kind, old, new: now }) => ({ path, kind, old, new: now }))).toEqual([
      { path: 'conflicts.escalation[0].sla', kind: 'changed', old: 'PT24H', new: 'PT12H' },
      { path: 'conflicts.escalation[1].role', kind: 'changed', old: 'regional_director', new: 'vp_partnerships' },
      {
        path: 'conflicts.escalation[2]',
        kind: 'removed',
        old: { role: 'vp_partnerships', sla: 'PT72H' },
        new: undefined,
      },
    ]);
    expect(changeAt(changes, 'conflicts.escalation[2]')?.summary).toBe(
      'Escalation tier 3 (vp_partnerships within PT72H) is removed.',
    );
  });

  it('reports an added ladder tier', () => {
    const changes = diffPolicies(
      aPolicy((d) => {
        d.conflicts.escalation.pop();
      }),
      aPolicy(),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        path: 'conflicts.escalation[2]',
        kind: 'added',
        new: { role: 'vp_partnerships', sla: 'PT72H' },
      }),
    ]);
  });

  it('reports the auto-approval threshold and tiers as separate changes', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        d.registration.review.autoApprove = { maxAmount: 100000, tiers: ['platinum'] };
      }),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        path: 'registration.review.autoApprove.maxAmount',
        kind: 'changed',
        old: 50000,
        new: 100000,
        summary: 'The auto-approval threshold changes from 50000 to 100000.',
      }),
      expect.objectContaining({
        path: 'registration.review.autoApprove.tiers',
        old: ['gold', 'platinum'],
        new: ['platinum'],
        summary: 'The auto-approved tiers change from gold and platinum to platinum.',
      }),
    ]);
  });

  it('reports a base currency and exchange rates as rule changes, reading no currency as EUR', () => {
    const euros = aPolicy((d) => {
      d.currency = 'EUR';
      d.exchangeRates = { EUR: 1 };
    });
    expect(diffPolicies(aPolicy(), euros)).toEqual([]);
    const dollars = aPolicy((d) => {
      d.exchangeRates = { USD: 0.92, GBP: 1.17 };
    });
    expect(diffPolicies(aPolicy(), dollars)).toEqual([
      { path: 'exchangeRates[GBP]', kind: 'added', new: 1.17, summary: 'The GBP exchange rate is set to 1.17.' },
      { path: 'exchangeRates[USD]', kind: 'added', new: 0.92, summary: 'The USD exchange rate is set to 0.92.' },
    ]);
    const cheaperDollar = aPolicy((d) => {
      d.exchangeRates = { USD: 0.9, GBP: 1.17 };
    });
    expect(diffPolicies(dollars, cheaperDollar)).toEqual([
      {
        path: 'exchangeRates[USD]',
        kind: 'changed',
        old: 0.92,
        new: 0.9,
        summary: 'The USD exchange rate changes from 0.92 to 0.9.',
      },
    ]);
    const inDollars = aPolicy((d) => {
      d.currency = 'USD';
    });
    expect(changeAt(diffPolicies(aPolicy(), inDollars), 'currency')).toEqual({
      path: 'currency',
      kind: 'changed',
      old: 'EUR',
      new: 'USD',
      summary: 'The base currency of amounts changes from EUR to USD.',
    });
  });

  it('reports auto-approval and the staleness period as removed when a version drops them', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        delete d.registration.review.autoApprove;
        delete d.registration.staleAfter;
      }),
    );
    expect(changes.map(({ path, kind }) => ({ path, kind }))).toEqual([
      { path: 'registration.review.autoApprove', kind: 'removed' },
      { path: 'registration.staleAfter', kind: 'removed' },
    ]);
  });

  it('compares routes by id: changed fields, with an absent filter read as "every"', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        routeOf(d, 'R-DEFAULT').eligibleTiers = ['gold', 'platinum'];
        routeOf(d, 'R-ENTERPRISE').partnerRegistration = 'accept';
        routeOf(d, 'R-ENTERPRISE').when.regions = ['emea'];
      }),
    );
    expect(changes).toEqual([
      {
        path: 'routes[R-ENTERPRISE].when.regions',
        kind: 'changed',
        new: ['emea'],
        summary: "Route R-ENTERPRISE's regions change from every region to emea.",
      },
      expect.objectContaining({
        path: 'routes[R-ENTERPRISE].partnerRegistration',
        old: 'review',
        new: 'accept',
      }),
      expect.objectContaining({
        path: 'routes[R-DEFAULT].eligibleTiers',
        old: ['silver', 'gold', 'platinum'],
        new: ['gold', 'platinum'],
      }),
    ]);
  });

  it('ignores the order of a set such as the eligible tiers', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        routeOf(d, 'R-DEFAULT').eligibleTiers = ['platinum', 'silver', 'gold'];
      }),
    );
    expect(changes).toEqual([]);
  });

  it('lists added and removed routes and a route that moves ahead of another', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        d.playbook = d.playbook!.filter((scenario) => scenario.id !== 'S2');
        d.routes = [
          routeOf(d, 'R-ENTERPRISE'),
          { id: 'R-PUBLIC', when: { segments: ['public_sector'] }, route: 'direct', partnerRegistration: 'reject' },
          routeOf(d, 'R-DEFAULT'),
        ];
      }),
    );
    const routeChanges = changes.filter((change) => change.path.startsWith('routes'));
    expect(routeChanges.map(({ path, kind }) => ({ path, kind }))).toEqual([
      { path: 'routes[R-STRATEGIC]', kind: 'removed' },
      { path: 'routes[R-PUBLIC]', kind: 'added' },
    ]);
    expect(changeAt(changes, 'routes[R-PUBLIC]')?.summary).toBe(
      'Route R-PUBLIC (direct, reject partner registrations, for segments public_sector) is added at position 2.',
    );

    const swapped = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        d.routes = [routeOf(d, 'R-ENTERPRISE'), routeOf(d, 'R-STRATEGIC'), routeOf(d, 'R-DEFAULT')];
      }),
    );
    expect(swapped).toEqual([
      {
        path: 'routes[R-STRATEGIC].position',
        kind: 'changed',
        old: 1,
        new: 2,
        summary: 'Route R-STRATEGIC moves from position 1 to position 2, so it is tried in another order.',
      },
    ]);
  });

  it('reports calendar, notice period and title changes, holidays one by one', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        d.title = 'FY28 Partner Rules of Engagement';
        d.noticePeriod = 'P14D';
        d.calendar.timezone = 'UTC';
        d.calendar.hours = { start: '08:00', end: '17:00' };
        d.calendar.holidays = ['2026-12-26'];
      }),
    );
    expect(changes.map(({ path, kind, old, new: now }) => ({ path, kind, old, new: now }))).toEqual([
      {
        path: 'title',
        kind: 'changed',
        old: 'FY27 Partner Rules of Engagement',
        new: 'FY28 Partner Rules of Engagement',
      },
      { path: 'noticePeriod', kind: 'changed', old: 'P30D', new: 'P14D' },
      { path: 'calendar.timezone', kind: 'changed', old: 'Europe/Berlin', new: 'UTC' },
      { path: 'calendar.hours.start', kind: 'changed', old: '09:00', new: '08:00' },
      { path: 'calendar.holidays[2026-12-25]', kind: 'removed', old: '2026-12-25', new: undefined },
      { path: 'calendar.holidays[2026-12-26]', kind: 'added', old: undefined, new: '2026-12-26' },
    ]);
  });

  it('compares playbook scenarios by id', () => {
    const changes = diffPolicies(
      aPolicy(),
      aPolicy((d) => {
        d.playbook = d.playbook!.filter((scenario) => scenario.id !== 'S4');
        d.playbook[0].then = 'Auto-approved under R-DEFAULT and AUTO-APPROVE';
        d.playbook.push({
          id: 'S5',
          if: 'A platinum partner registers a deal',
          then: 'Approved',
          given: { partner: { tier: 'platinum' } },
          expect: { outcome: 'approved' },
        });
      }),
    );
    expect(changes.map(({ path, kind, summary }) => ({ path, kind, summary }))).toEqual([
      {
        path: 'playbook[S4]',
        kind: 'removed',
        summary:
          'Playbook scenario S4 ("A registered-tier partner registers a deal on a mid-market account") is removed.',
      },
      { path: 'playbook[S1]', kind: 'changed', summary: 'Playbook scenario S1 changes its "then".' },
      {
        path: 'playbook[S5]',
        kind: 'added',
        summary: 'Playbook scenario S5 ("A platinum partner registers a deal") is added.',
      },
    ]);
  });
});
