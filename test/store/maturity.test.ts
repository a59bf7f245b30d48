import type { Store } from '../../src/store';
import { EXAMPLE_POLICY, policyDocumentSchema } from '../../src/domain/policy';
import { runPlaybook } from '../../src/domain/rules';
import type { MaturityFacts } from '../../src/domain/maturity';
import type { RegistrationView } from '../../workflows/registration/contract';
import { aConflictView, aResolution } from '../helpers/conflictViews';
import { aDecisionAfter, aRegistrationView } from '../helpers/registrationViews';
import { openTestStore, storeEngines, type TestStore } from '../helpers/store';

// The maturity scorecard's facts, computed from crafted read-model rows for March 2026.

const from = new Date('2026-03-01T00:00:00.000Z');
const to = new Date('2026-04-01T00:00:00.000Z');
/** The example policy as the store holds it: validated, defaults filled in. */
const document = policyDocumentSchema.parse(EXAMPLE_POLICY);
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
const progress = (day: number) => ({ at: at(day, 12), event: 'progress_update', detail: 'stage: proposal' });

function aRegistration(id: string, submittedAt: string, overrides: Partial<RegistrationView> = {}): RegistrationView {
  return aRegistrationView(id, { submittedAt, ...overrides });
}

describe.each(storeEngines())('maturityFacts on %s', (engine) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = await openTestStore(engine);
    store = testStore.store;
  });

  beforeEach(async () => {
    await store.db.query('TRUNCATE registrations, conflicts, rollouts, policy_acknowledgements, policies, partners');
  });

  afterAll(async () => {
    await testStore.close();
  });

  const policy = (version: number, status: string, publishedAt: string | null) =>
    store.db.query(
      `INSERT INTO policies (version, title, document, status, published_at, effective_at) VALUES ($1, $2, $3, $4, $5, $5)`,
      [version, `v${version}`, JSON.stringify(document), status, publishedAt],
    );
  const partner = (id: string) =>
    store.db.query(
      `INSERT INTO partners (id, name, type, tier, regions, contacts) VALUES ($1, $1, 'reseller', 'gold', '[]', '[]')`,
      [id],
    );
  const acknowledge = (version: number, partnerId: string) =>
    store.db.query(
      `INSERT INTO policy_acknowledgements (version, partner_id, acknowledged_by) VALUES ($1, $2, 'test')`,
      [version, partnerId],
    );
  const rollout = (id: string, view: object) =>
    store.db.query(
      `INSERT INTO rollouts (id, policy_version, status, view, view_seq) VALUES ($1, 2, 'in_review', $2, 1)`,
      [id, JSON.stringify(view)],
    );

  it('is all zeros, with no published version, on an empty program', async () => {
    const facts = await store.metrics.maturityFacts(from, to, 1);

    expect(facts).toEqual<MaturityFacts>({
      registrations: 0,
      decisions: 0,
      decisionsByRules: 0,
      manualReviews: 0,
      slaBreaches: 0,
      registrationsInConflict: 0,
      conflictsOpened: 0,
      conflictsResolved: 0,
      conflictsDefaulted: 0,
      medianHoursToResolve: null,
      appeals: 0,
      playbookScenarios: 0,
      playbookPassing: 0,
      publishedVersion: null,
      partners: 0,
      acknowledged: 0,
      progressUpdates: 0,
      approvedRegistrations: 0,
      versionsPublishedLastYear: 0,
      reviewsHeld: 0,
      ratings: 0,
      ratingAverage: null,
    });
  });

  it("counts the period's registrations, cases, acknowledgements, versions and reviews", async () => {
    // Versions: v1 published over a year ago, v2 in February (the newest published), v3 cancelled,
    // v4 published after the period, v5 a draft.
    await policy(1, 'superseded', '2025-01-10T09:00:00.000Z');
    await policy(2, 'effective', '2026-02-01T09:00:00.000Z');
    await policy(3, 'cancelled', '2026-03-10T09:00:00.000Z');
    await policy(4, 'scheduled', '2026-04-05T09:00:00.000Z');
    await policy(5, 'draft', null);
    for (const id of ['northwind', 'contoso', 'fabrikam', 'adatum']) await partner(id);
    await acknowledge(2, 'northwind');
    await acknowledge(2, 'contoso');
    await acknowledge(2, 'departed'); // no longer in the directory
    await acknowledge(1, 'fabrikam'); // an older version

    const r1 = aRegistration('reg-1', at(2), { timeline: [progress(3), progress(4)] });
    r1.decision = aDecisionAfter(r1, 0, 'approved', 'system:rules');
    const r2 = aRegistration('reg-2', at(3), {
      review: { assigneeRole: 'channel_manager', dueAt: at(4), breaches: 1 },
      timeline: [progress(6)],
    });
    r2.decision = aDecisionAfter(r2, 86_400, 'approved', 'dev-cm-emea');
    const r3 = aRegistration('reg-3', at(4), {
      status: 'rejected',
      review: { assigneeRole: 'regional_director', dueAt: at(6), breaches: 2 },
    });
    r3.decision = aDecisionAfter(r3, 172_800, 'rejected', 'system:sla');
    const r4 = aRegistration('reg-4', at(5), { status: 'in_conflict', conflictId: 'cf-1' });
    r4.decision = aDecisionAfter(r4, 0, 'in_conflict', 'system:rules');
    const r5 = aRegistration('reg-5', at(6), {
      status: 'pending_review',
      review: { assigneeRole: 'channel_manager', dueAt: at(7), breaches: 0 },
    });
    const before = aRegistration('reg-0', '2026-02-20T09:00:00.000Z', { timeline: [progress(1)] });
    before.decision = aDecisionAfter(before, 0, 'approved', 'system:rules');
    const after = aRegistration('reg-9', to.toISOString(), { status: 'pending_review' });
    for (const view of [r1, r2, r3, r4, r5, before, after]) await store.registrations.save(view, 1);

    const cases = [
      aConflictView({
        id: 'cf-1',
        status: 'resolved',
        openedAt: at(2, 10),
        resolution: aResolution('direct', { decidedAt: at(3, 10) }),
        breaches: [{ tier: 1, role: 'channel_manager', at: at(3) }],
      }),
      aConflictView({
        id: 'cf-2',
        status: 'defaulted',
        openedAt: at(5, 10),
        resolution: aResolution('direct', { decidedAt: at(7, 10), by: 'default' }),
        breaches: [
          { tier: 1, role: 'channel_manager', at: at(6) },
          { tier: 2, role: 'regional_director', at: at(7) },
        ],
        appeals: [{ partnerId: 'contoso', at: at(8), reason: 'we were first' }],
      }),
      aConflictView({
        id: 'cf-3',
        openedAt: at(9, 10),
        appeals: [{ partnerId: 'northwind', at: at(12), reason: 'reopened' }],
      }),
      aConflictView({
        id: 'cf-0',
        status: 'resolved',
        openedAt: '2026-02-25T10:00:00.000Z',
        resolution: aResolution('direct', { decidedAt: '2026-02-25T11:00:00.000Z' }),
        breaches: [{ tier: 1, role: 'channel_manager', at: '2026-02-25T10:30:00.000Z' }],
      }),
    ];
    for (const view of cases) await store.conflicts.save(view, 1);

    await rollout('ro-1', { reviews: [{ at: '2025-12-01T09:00:00.000Z' }, { at: '2024-06-01T09:00:00.000Z' }] });
    await rollout('ro-2', { reviews: [{ at: '2026-03-15T09:00:00.000Z' }, { at: '2026-04-02T09:00:00.000Z' }] });
    await rollout('ro-3', { stages: [] });

    // Ratings: two in the period (5 and 2), one before it.
    const rate = (id: string, rating: number, at: string) =>
      store.db.query(
        `INSERT INTO partner_feedback (partner_id, subject_kind, subject_id, decision_key, decision_type, rating, created_at, updated_at)
         VALUES ('p-1', 'registration', $1, $2::text, 'approved', $3, $2::timestamptz, $2::timestamptz)`,
        [id, at, rating],
      );
    await rate('reg-a', 5, '2026-03-05T09:00:00.000Z');
    await rate('reg-b', 2, '2026-03-20T09:00:00.000Z');
    await rate('reg-c', 1, '2026-02-20T09:00:00.000Z');

    const facts = await store.metrics.maturityFacts(from, to, 2);
    const playbook = runPlaybook(document, 2);

    expect(facts).toEqual<MaturityFacts>({
      registrations: 5,
      decisions: 3,
      decisionsByRules: 1,
      manualReviews: 3 + 3,
      slaBreaches: 3 + 3,
      registrationsInConflict: 1,
      conflictsOpened: 3,
      conflictsResolved: 1,
      conflictsDefaulted: 1,
      medianHoursToResolve: 36,
      appeals: 2,
      playbookScenarios: playbook.length,
      playbookPassing: playbook.filter((result) => result.passed).length,
      publishedVersion: 2,
      partners: 4,
      acknowledged: 2,
      progressUpdates: 3,
      approvedRegistrations: 2,
      versionsPublishedLastYear: 1,
      reviewsHeld: 2,
      ratings: 2,
      ratingAverage: 3.5,
    });
    expect(facts.playbookScenarios).toBeGreaterThan(0);
  });

  it('has no playbook for a version it does not hold', async () => {
    await policy(1, 'effective', '2026-02-01T09:00:00.000Z');

    const facts = await store.metrics.maturityFacts(from, to, 7);

    expect(facts).toMatchObject({ playbookScenarios: 0, playbookPassing: 0, publishedVersion: 1 });
  });
});
