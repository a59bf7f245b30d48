import fc from 'fast-check';
import { PARTNER_TIERS, type PartnerTier } from '../../src/domain/directory';
import type { Principal } from '../../src/domain/principal';
import { conflictViewFor, visibleConflict } from '../../src/api/conflictCommands';
import { conflictViewForParty } from '../../src/domain/conflictRedaction';
import { CONFLICT_STATUSES, type ConflictParty, type ConflictView } from '../../workflows/conflict/contract';
import { aConflictView, aDirectParty, aPartnerParty, aResolution } from '../helpers/conflictViews';

// What a partner may see of a conflict case: its own claims, and of the others only that they exist.

const NORTHWIND: Principal = { role: 'partner', subject: 'dev-partner-northwind', partnerId: 'northwind' };
const CONTOSO: Principal = { role: 'partner', subject: 'dev-partner-contoso', partnerId: 'contoso' };
const MANAGER: Principal = {
  role: 'manager',
  subject: 'dev-cm-emea',
  escalationRoles: ['channel_manager'],
  regions: ['emea'],
};

const NORTHWIND_REG = 'reg-aaaaaaaaaaaaaaaa';
const CONTOSO_REG = 'reg-bbbbbbbbbbbbbbbb';

/** A decided case whose every free-text field names contoso, its deal and its tier. */
const aLeakyCase = (award: string) =>
  aConflictView({
    status: 'resolved',
    resolution: aResolution(award, { reason: `contoso (${CONTOSO_REG}, a Silver partner) registered later` }),
    appeals: [
      { partnerId: 'contoso', at: '2026-03-04T09:00:00.000Z', reason: 'we were first in spirit' },
      { partnerId: 'northwind', at: '2026-03-04T10:00:00.000Z', reason: 'please look again' },
    ],
    history: [
      { at: '2026-03-02T10:00:00.000Z', event: 'opened', detail: 'a conflict case opened with 2 claims' },
      { at: '2026-03-02T11:00:00.000Z', event: 'party_joined', detail: `${CONTOSO_REG} joined` },
      { at: '2026-03-02T12:00:00.000Z', event: 'note', detail: 'Contoso called the account manager' },
      { at: '2026-03-02T13:00:00.000Z', event: 'note', detail: 'the silver partner asked for a call' },
      { at: '2026-03-03T09:00:00.000Z', event: 'resolved', detail: 'resolved: awarded to one party' },
    ],
  });

describe('conflictViewFor', () => {
  it('shows managers, ops and admins the whole case', () => {
    const view = aLeakyCase(CONTOSO_REG);
    for (const principal of [MANAGER, { role: 'ops', subject: 'dev-ops' }, { role: 'admin', subject: 'dev-admin' }]) {
      expect(conflictViewFor(principal as Principal, view)).toEqual(view);
    }
  });

  it('shows a partner its own claim in full and of the competitor only that it claimed, and when', () => {
    const seen = conflictViewFor(NORTHWIND, aLeakyCase(CONTOSO_REG));

    expect(seen.parties).toEqual([
      aPartnerParty('northwind', NORTHWIND_REG, 'gold', '2026-03-01T09:00:00.000Z', true),
      { kind: 'partner', submittedAt: '2026-03-02T09:00:00.000Z' },
    ]);
  });

  it("never lets the competitor's id, registration id or tier through, in any field", () => {
    const json = JSON.stringify(conflictViewFor(NORTHWIND, aLeakyCase(CONTOSO_REG)));

    expect(json).not.toMatch(/contoso/i);
    expect(json).not.toContain(CONTOSO_REG);
    expect(json).not.toMatch(/silver/i);
  });

  it("tells a partner the award went to another party, and keeps the manager's reason without the names", () => {
    const seen = conflictViewFor(NORTHWIND, aLeakyCase(CONTOSO_REG));

    expect(seen.resolution).toMatchObject({
      award: 'another_party',
      reason: '[another party] ([another party], a [another party] partner) registered later',
      decidedBy: 'dev-cm-emea',
      by: 'manager',
    });
  });

  it('tells the winner the award is its registration', () => {
    expect(conflictViewFor(NORTHWIND, aLeakyCase(NORTHWIND_REG)).resolution?.award).toBe('your_registration');
    expect(conflictViewFor(CONTOSO, aLeakyCase(NORTHWIND_REG)).resolution?.award).toBe('another_party');
  });

  it.each(['direct', 'co_sell', 'none'])('keeps an award of %s as it is', (award) => {
    expect(conflictViewFor(NORTHWIND, aLeakyCase(award)).resolution?.award).toBe(award);
  });

  it('shows a partner only its own appeal, and drops history entries that name another party', () => {
    const seen = conflictViewFor(NORTHWIND, aLeakyCase(CONTOSO_REG));

    expect(seen.appeals).toEqual([
      { partnerId: 'northwind', at: '2026-03-04T10:00:00.000Z', reason: 'please look again' },
    ]);
    expect(seen.history.map((entry) => entry.detail)).toEqual([
      'a conflict case opened with 2 claims',
      'resolved: awarded to one party',
    ]);
  });

  it('hides the direct team’s holder flag but shows that the direct team claimed', () => {
    const view = aConflictView({
      parties: [aDirectParty('2026-01-15T09:00:00.000Z'), aPartnerParty('northwind', NORTHWIND_REG, 'gold')],
    });

    expect(conflictViewFor(NORTHWIND, view).parties[0]).toEqual({
      kind: 'direct',
      submittedAt: '2026-01-15T09:00:00.000Z',
    });
  });

  it('keeps a tier both partners share: it is the caller’s own', () => {
    const view = aConflictView({
      parties: [aPartnerParty('northwind', NORTHWIND_REG, 'gold'), aPartnerParty('contoso', CONTOSO_REG, 'gold')],
      history: [{ at: '2026-03-02T10:00:00.000Z', event: 'opened', detail: 'two gold claims' }],
    });

    const seen = conflictViewFor(NORTHWIND, view);

    expect(seen.history).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toMatch(/contoso|bbbbbbbb/);
  });

  it('copies only the fields it knows: a field the workflow adds later stays hidden from partners', () => {
    const view = { ...aConflictView(), directOwner: { name: 'Dana Direct', email: 'dana@vendor.example' } };

    expect(JSON.stringify(conflictViewFor(NORTHWIND, view))).not.toContain('dana');
  });

  it('hides a case from a partner that is not a party, as if it did not exist', () => {
    const view = aConflictView();
    const fabrikam: Principal = { role: 'partner', subject: 'dev-partner-fabrikam', partnerId: 'fabrikam' };

    expect(() => visibleConflict(fabrikam, view, view.id)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => visibleConflict(MANAGER, undefined, 'cf-x')).toThrow(expect.objectContaining({ status: 404 }));
    expect(visibleConflict(CONTOSO, view, view.id).parties).toHaveLength(2);
  });

  it('lets no other party’s id, registration id or tier reach a partner, whatever the case holds', () => {
    const hex = fc.stringMatching(/^[0-9a-f]{16}$/);
    const caseArbitrary = fc
      .record({
        callerTier: fc.constantFrom(...PARTNER_TIERS),
        callerRegistrations: fc.uniqueArray(hex, { minLength: 1, maxLength: 2 }),
        others: fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z]{6,10}$/), reg: hex }), {
          minLength: 1,
          maxLength: 3,
          selector: (o) => o.id,
        }),
        withDirect: fc.boolean(),
        awardPick: fc.nat(),
        status: fc.constantFrom(...CONFLICT_STATUSES),
        historyPicks: fc.array(fc.nat(), { maxLength: 8 }),
      })
      .filter(({ others, callerRegistrations }) =>
        others.every((o) => o.id !== 'caller' && !callerRegistrations.includes(o.reg)),
      );

    fc.assert(
      fc.property(caseArbitrary, fc.nat(), (c, tierSeed) => {
        const otherTiers = PARTNER_TIERS.filter((t) => t !== c.callerTier);
        const others: ConflictParty[] = c.others.map((o, i) =>
          aPartnerParty(`px-${o.id}`, `reg-${o.reg}`, otherTiers[(tierSeed + i) % otherTiers.length] as PartnerTier),
        );
        const own = c.callerRegistrations.map((reg) => aPartnerParty('caller', `reg-${reg}`, c.callerTier));
        const parties = [...own, ...others, ...(c.withDirect ? [aDirectParty()] : [])];
        const secrets = others.flatMap((p) => [p.partnerId!, p.registrationId!, p.partnerTier!]);
        const awards = [
          ...parties.flatMap((p) => (p.registrationId ? [p.registrationId] : [])),
          'direct',
          'co_sell',
          'none',
        ];
        const mention = (i: number) => `${secrets[i % secrets.length]} claimed`;
        const view: ConflictView = aConflictView({
          status: c.status,
          parties,
          ...(c.status === 'open'
            ? {}
            : { resolution: aResolution(awards[c.awardPick % awards.length], { reason: mention(c.awardPick) }) }),
          appeals: others.map((p) => ({ partnerId: p.partnerId!, at: '2026-03-04T09:00:00.000Z', reason: 'unfair' })),
          history: c.historyPicks.map((pick) => ({
            at: '2026-03-02T10:00:00.000Z',
            event: 'note',
            detail: mention(pick),
          })),
        });

        const json = JSON.stringify(conflictViewFor({ role: 'partner', subject: 's', partnerId: 'caller' }, view));

        for (const secret of secrets) expect(json.toLowerCase()).not.toContain(secret.toLowerCase());
      }),
      { numRuns: 300 },
    );
  });
});

describe('conflictViewForParty (what an email to one party carries)', () => {
  it('tells the direct team its decision without naming the partner it was decided against', () => {
    const direct = aDirectParty('2026-03-01T09:00:00.000Z');
    const view = aConflictView({
      parties: [direct, aPartnerParty('contoso', CONTOSO_REG, 'silver', '2026-03-02T09:00:00.000Z', false)],
      status: 'resolved',
      resolution: aResolution('direct', { reason: `named account; contoso (${CONTOSO_REG}) registered later` }),
    });

    const seen = conflictViewForParty(view, (p) => p.kind === 'direct');

    expect(seen.resolution?.award).toBe('direct');
    expect(seen.parties).toEqual([direct, { kind: 'partner', submittedAt: '2026-03-02T09:00:00.000Z' }]);
    expect(JSON.stringify(seen)).not.toMatch(/contoso|bbbbbbbb|silver/i);
  });

  it('is for a partner exactly what the API shows that partner', () => {
    const view = aLeakyCase(NORTHWIND_REG);
    expect(conflictViewForParty(view, (p) => p.partnerId === 'northwind')).toEqual(conflictViewFor(NORTHWIND, view));
  });
});
