import type { TestApi } from '../helpers/api';
import { startTestApi } from '../helpers/api';
import { startTemporalAndStore } from '../helpers/environment';
import type { TestTemporal } from '../helpers/temporal';
import type { TestStore } from '../helpers/store';
import { seedDevelopment } from '../../src/store/seed';
import { EXAMPLE_POLICY, validatePolicyDocument } from '../../src/domain/policy';
import type { ProgramMetrics } from '../../src/api/routers/metrics';
import type { RegistrationStatus, RegistrationView } from '../../workflows/registration/contract';
import type { ConflictView } from '../../workflows/conflict/contract';
import { aConflictView, aDirectParty, aPartnerParty, aResolution } from '../helpers/conflictViews';
import { aDecisionAfter, aRegistrationView, secondsAfter } from '../helpers/registrationViews';

// GET /api/metrics: the program's KPIs from the read models. The registrations and cases below are
// recorded straight into the read model, so every expected number can be worked out by hand.

const HOUR = 3600;
const OPENED = '2026-03-02T10:00:00.000Z';

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;

beforeAll(async () => {
  ({ temporal, db } = await startTemporalAndStore());
  await seedDevelopment(db.store, new Date());
  api = await startTestApi({ store: db.store, temporal: temporal.client });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

describe('GET /api/metrics', () => {
  it('reports zeros, and no rating, before the program has any registration or case', async () => {
    const metrics = await metricsAs('dev-ops');

    expect(Object.values(metrics.registrationsByStatus).every((count) => count === 0)).toBe(true);
    expect(metrics.timeToDecision.all).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
    expect(metrics.conflictRate).toMatchObject({ registrations: 0, inConflict: 0, rate: null, rating: 'no_data' });
    expect(metrics.conflicts).toEqual({ opened: 0, open: 0, resolved: 0, defaulted: 0 });
    expect(metrics.timeToResolve).toMatchObject({ count: 0, medianSeconds: null, rating: 'no_data' });
    expect(metrics.slaBreaches).toEqual({ registrationReviews: 0, conflictsByTier: [] });
    expect(metrics.grandfathered).toEqual({ currentPolicyVersion: 1, count: 0, byPolicyVersion: [] });
  });

  it.each([
    ['dev-partner-northwind', 403],
    ['dev-cm-emea', 403],
    ['dev-vp', 403],
    [undefined, 401],
  ])('is for admins and ops only (%s → %i)', async (token, status) => {
    const res = await api.call('GET', '/api/metrics', { token });

    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('says in the OpenAPI document what each KPI means', async () => {
    const res = await api.call('GET', '/api/openapi.json');
    const schema = res.body.paths['/api/metrics'].get.responses['200'].content['application/json'].schema;

    expect(schema.properties.conflictRate.description).toMatch(/collided/);
    expect(schema.properties.conflictRate.properties.targets.description).toMatch(/10 %.*5 %/);
    expect(schema.properties.timeToDecision.properties.manual.description).toMatch(/system:rules/);
    expect(schema.properties.grandfathered.properties.count.description).toMatch(/older version/);
    expect(schema.properties.fairness.properties.byPartnerTier.description).toMatch(/tier/);
  });

  describe('on a program under way', () => {
    let metrics: ProgramMetrics;

    beforeAll(async () => {
      await makeVersionTwoEffective();
      await seedRegistrations();
      await seedConflictCases();
      metrics = await metricsAs('dev-admin');
    });

    it('counts registrations by their current status, every status named', () => {
      expect(metrics.registrationsByStatus).toEqual({
        submitted: 0,
        pending_review: 1,
        info_requested: 1,
        in_conflict: 1,
        approved: 3,
        rejected: 2,
        expired: 0,
        won: 1,
        lost: 0,
        withdrawn: 1,
      });
    });

    it('measures time to decision over approvals and rejections, overall and for decisions not by the rules', () => {
      // All: 60, 120, 3600, 7200, 10800, 14400 s. Manual: 3600, 7200, 10800, 14400 s.
      expect(metrics.timeToDecision).toEqual({
        all: { count: 6, medianSeconds: 5400, p90Seconds: 12600 },
        manual: { count: 4, medianSeconds: 9000, p90Seconds: expect.closeTo(13320, 6) },
      });
    });

    it('rates the share of registrations ever in conflict against the field targets', () => {
      expect(metrics.conflictRate).toEqual({
        registrations: 10,
        inConflict: 3,
        rate: 0.3,
        targets: { good: 0.1, excellent: 0.05 },
        rating: 'needs_attention',
      });
    });

    it('counts conflict cases opened, open, resolved and defaulted', () => {
      expect(metrics.conflicts).toEqual({ opened: 7, open: 2, resolved: 4, defaulted: 1 });
    });

    it('measures time to resolve over decided cases, and rates the median against 24 h and 48 h', () => {
      // 10 h, 20 h, 30 h, 50 h, 144 h.
      expect(metrics.timeToResolve).toEqual({
        count: 5,
        medianSeconds: 30 * HOUR,
        p90Seconds: expect.closeTo(383_040, 6),
        targets: { good: 48 * HOUR, excellent: 24 * HOUR },
        rating: 'good',
      });
    });

    it('sums missed review SLAs and counts missed conflict deadlines by tier', () => {
      expect(metrics.slaBreaches).toEqual({
        registrationReviews: 4,
        conflictsByTier: [
          { tier: 1, role: 'channel_manager', breaches: 3 },
          { tier: 2, role: 'regional_director', breaches: 1 },
          { tier: 3, role: 'vp_partnerships', breaches: 1 },
        ],
      });
    });

    it('reports conflict outcomes by partner tier, and awards to partners against the direct team', () => {
      expect(metrics.fairness).toEqual({
        byPartnerTier: [
          { tier: 'registered', parties: 0, won: 0, coSold: 0, lost: 0 },
          { tier: 'silver', parties: 3, won: 1, coSold: 0, lost: 2 },
          { tier: 'gold', parties: 3, won: 1, coSold: 1, lost: 1 },
          { tier: 'platinum', parties: 2, won: 0, coSold: 1, lost: 1 },
        ],
        awards: { decidedCases: 5, partner: 2, direct: 1, coSell: 1, none: 1 },
        awardsWithDirectParty: { decidedCases: 2, partner: 0, direct: 1, coSell: 0, none: 1 },
      });
    });

    it('counts active registrations still under an older policy version as grandfathered', () => {
      expect(metrics.grandfathered).toEqual({
        currentPolicyVersion: 2,
        count: 4,
        byPolicyVersion: [{ version: 1, count: 4 }],
      });
    });

    it('answers ops with the same figures', async () => {
      const { generatedAt: _at, ...forOps } = await metricsAs('dev-ops');
      const { generatedAt: _again, ...forAdmin } = metrics;
      expect(forOps).toEqual(forAdmin);
    });
  });
});

// ---------------------------------------------------------------- the program's read models

async function metricsAs(token: string): Promise<ProgramMetrics> {
  const res = await api.call<ProgramMetrics>('GET', '/api/metrics', { token });
  if (res.status !== 200) throw new Error(`metrics answered ${res.status}: ${res.text}`);
  return res.body;
}

async function makeVersionTwoEffective(): Promise<void> {
  const checked = validatePolicyDocument({ ...structuredClone(EXAMPLE_POLICY), title: 'Version two' });
  if (!checked.ok) throw new Error('example policy invalid');
  const draft = await db.store.policies.createDraft(checked.policy);
  await db.store.db.query(
    `UPDATE policies SET status = 'superseded', superseded_at = now() WHERE status = 'effective'`,
  );
  await db.store.db.query(`UPDATE policies SET status = 'effective', effective_at = now() WHERE version = $1`, [
    draft.version,
  ]);
}

/**
 * Ten registrations. Decided (approved/rejected): r1 60 s and r8 120 s by the rules; r2 1 h, r3 2 h,
 * r6 3 h (conflict award) and r7 4 h (conflict default) by others. In conflict: r5 (status), r6
 * (conflictId), r7 (timeline only). Active under version 1: r1, r4, r5, r9.
 */
async function seedRegistrations(): Promise<void> {
  const decided = (
    id: string,
    status: RegistrationStatus,
    seconds: number,
    outcome: 'approved' | 'rejected' | 'pending_review' | 'in_conflict',
    decidedBy: string,
    overrides: Partial<RegistrationView> = {},
  ) => {
    const view = aRegistrationView(id, { status, ...overrides });
    return { ...view, decision: aDecisionAfter(view, seconds, outcome, decidedBy) };
  };
  const review = (breaches: number) => ({ assigneeRole: 'channel_manager' as const, dueAt: OPENED, breaches });
  const views = [
    decided('r1', 'approved', 60, 'approved', 'system:rules'),
    decided('r2', 'approved', HOUR, 'approved', 'dev-cm-emea', { policyVersion: 2, review: review(1) }),
    decided('r3', 'rejected', 2 * HOUR, 'rejected', 'dev-rd-emea', { review: review(2) }),
    decided('r4', 'pending_review', 1, 'pending_review', 'system:rules', { review: review(0) }),
    decided('r5', 'in_conflict', 1, 'in_conflict', 'system:rules', { conflictId: 'cf-1' }),
    decided('r6', 'approved', 3 * HOUR, 'approved', 'dev-rd-emea', { policyVersion: 2, conflictId: 'cf-2' }),
    decided('r7', 'rejected', 4 * HOUR, 'rejected', 'system:default', {
      policyVersion: 2,
      timeline: [{ at: OPENED, event: 'conflict_lost', detail: 'decided against your registration' }],
    }),
    decided('r8', 'won', 120, 'approved', 'system:rules'),
    decided('r9', 'info_requested', 1, 'pending_review', 'system:rules', {
      review: { ...review(1), pausedAt: OPENED },
    }),
    decided('r10', 'withdrawn', 1, 'pending_review', 'system:rules'),
  ];
  for (const view of views) await db.store.registrations.save(view, 1);
}

/**
 * Seven cases: c1 open at tier 2, c7 reopened by an appeal; decided after 10 h (c2, northwind
 * awarded), 30 h (c3, direct), 144 h (c4, defaulted to contoso), 20 h (c5, co-sell), 50 h (c6, none).
 */
async function seedConflictCases(): Promise<void> {
  const northwind = (n: number) => aPartnerParty('northwind', `reg-n${n}`, 'gold');
  const contoso = (n: number) => aPartnerParty('contoso', `reg-c${n}`, 'silver');
  const fabrikam = (n: number) => aPartnerParty('fabrikam', `reg-f${n}`, 'platinum');
  const breach = (tier: number, role: ConflictView['assigneeRole']) => ({ tier, role, at: OPENED });
  const decided = (
    n: number,
    status: 'resolved' | 'defaulted',
    award: string,
    hours: number,
    rest: Partial<ConflictView>,
  ) =>
    aConflictView({
      id: `cf-${n}`,
      openedAt: OPENED,
      status,
      dueAt: undefined,
      resolution: aResolution(award, {
        decidedAt: secondsAfter(OPENED, hours * HOUR),
        ...(status === 'defaulted' ? { by: 'default', decidedBy: 'system:default' } : {}),
      }),
      ...rest,
    });
  const cases: ConflictView[] = [
    aConflictView({
      id: 'cf-1',
      tier: 2,
      assigneeRole: 'regional_director',
      parties: [northwind(1), contoso(1)],
      breaches: [breach(1, 'channel_manager')],
    }),
    decided(2, 'resolved', 'reg-n2', 10, { parties: [northwind(2), contoso(2)] }),
    decided(3, 'resolved', 'direct', 30, {
      parties: [aDirectParty(), fabrikam(3)],
      breaches: [breach(1, 'channel_manager')],
    }),
    decided(4, 'defaulted', 'reg-c4', 144, {
      tier: 3,
      assigneeRole: 'vp_partnerships',
      parties: [contoso(4), northwind(4)],
      breaches: [breach(1, 'channel_manager'), breach(2, 'regional_director'), breach(3, 'vp_partnerships')],
    }),
    decided(5, 'resolved', 'co_sell', 20, { parties: [northwind(5), fabrikam(5)] }),
    decided(6, 'resolved', 'none', 50, { parties: [contoso(6), aDirectParty()] }),
    aConflictView({
      id: 'cf-7',
      tier: 2,
      assigneeRole: 'regional_director',
      parties: [northwind(7), contoso(7)],
      appeals: [{ partnerId: 'contoso', at: OPENED, reason: 'we were first' }],
    }),
  ];
  for (const view of cases) await db.store.conflicts.save(view, 1);
}
