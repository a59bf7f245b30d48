import { startTemporalAndStore } from '../helpers/environment';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/api';
import { aRegistrationView } from '../helpers/registrationViews';
import type { TestStore } from '../helpers/store';
import type { TestTemporal } from '../helpers/temporal';
import { seedDevelopment } from '../../src/store/seed';
import { EXAMPLE_POLICY, type PolicyDocumentInput, validatePolicyDocument } from '../../src/domain/policy';
import { evaluateRegistration } from '../../src/domain/rules';
import { DEV_PARTNERS } from '../../src/devDirectory';
import type { RegistrationStatus } from '../../workflows/registration/contract';

const ADMIN = 'dev-admin';
const DAY = 86_400_000;

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;

/** The example policy (v1 of development) with edits, as a request body. */
function aPolicy(...edits: ((document: PolicyDocumentInput) => void)[]): PolicyDocumentInput {
  const document = structuredClone(EXAMPLE_POLICY);
  document.title = 'FY28 Partner Rules of Engagement';
  edits.forEach((edit) => edit(document));
  return document;
}

async function aDraft(...edits: ((document: PolicyDocumentInput) => void)[]): Promise<number> {
  const created = await api.call('POST', '/api/policies', { token: ADMIN, body: aPolicy(...edits) });
  expect(created.status).toBe(201);
  return created.body.version as number;
}

type Deal = { partnerId: string; amount: number; status?: RegistrationStatus; daysAgo?: number };

/** A registration of a mid-market deal, recorded in the read model as the rules of v1 decided it. */
async function aRegistration(id: string, deal: Deal): Promise<void> {
  const v1 = validatePolicyDocument(EXAMPLE_POLICY);
  if (!v1.ok) throw new Error('the example policy is invalid');
  const partner = DEV_PARTNERS.find((candidate) => candidate.id === deal.partnerId)!;
  const view = aRegistrationView(id, {
    partnerId: deal.partnerId,
    account: { name: `${id} Ltd`, domain: `${id}.example`, region: 'emea', segment: 'mid_market' },
    opportunity: {
      title: 'Platform deal',
      productLine: 'platform',
      amount: { value: deal.amount, currency: 'EUR' },
      expectedCloseDate: '2027-03-31',
    },
    submittedAt: new Date(Date.now() - (deal.daysAgo ?? 1) * DAY).toISOString(),
  });
  const decision = evaluateRegistration(v1.policy, 1, {
    partner: { id: partner.id, tier: partner.tier, type: partner.type, regions: partner.regions },
    account: { ...view.account, namedDirect: false },
    opportunity: view.opportunity,
  });
  view.status = deal.status ?? decision.outcome;
  view.decision = {
    outcome: decision.outcome,
    reason: decision.reason,
    ruleIds: decision.ruleIds,
    decidedBy: 'system:rules',
    decidedAt: view.submittedAt,
  };
  view.timeline = [{ at: view.submittedAt, event: 'evaluated', detail: decision.reason }];
  await db.store.registrations.save(view, 1);
}

function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

beforeAll(async () => {
  ({ temporal, db } = await startTemporalAndStore());
  await seedDevelopment(db.store, new Date());
  api = await startTestApi({ store: db.store, temporal: temporal.client });
  // northwind is gold, contoso silver, fabrikam platinum; v1 auto-approves gold and platinum up to 50,000.
  await aRegistration('gold-small', { partnerId: 'northwind', amount: 20_000 }); // approved
  await aRegistration('gold-big', { partnerId: 'northwind', amount: 80_000 }); // pending review
  await aRegistration('platinum-big', { partnerId: 'fabrikam', amount: 90_000 }); // pending review
  await aRegistration('platinum-small', { partnerId: 'fabrikam', amount: 30_000 }); // approved
  await aRegistration('silver-small', { partnerId: 'contoso', amount: 20_000 }); // pending review
  await aRegistration('gold-expired-recently', {
    partnerId: 'northwind',
    amount: 10_000,
    status: 'expired',
    daysAgo: 60,
  });
  await aRegistration('gold-expired-long-ago', {
    partnerId: 'northwind',
    amount: 10_000,
    status: 'expired',
    daysAgo: 200,
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

describe('GET /api/policies/{version}/impact', () => {
  it('lists the deals a raised auto-approval threshold would approve at once, and their partners', async () => {
    const version = await aDraft((d) => {
      d.registration.review.autoApprove!.maxAmount = 100_000;
    });

    const response = await api.call('GET', `/api/policies/${version}/impact`, { token: ADMIN });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version, evaluated: 6, partnersTouched: ['fabrikam', 'northwind'] });
    expect(response.body.changed).toEqual(
      ['gold-big', 'platinum-big'].map((registrationId) =>
        expect.objectContaining({
          registrationId,
          currentOutcome: 'pending_review',
          currentRuleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
          newOutcome: 'approved',
          newRuleIds: ['R-DEFAULT', 'AUTO-APPROVE'],
          newReason: expect.stringContaining('approved automatically'),
        }),
      ),
    );
  });

  it('sends the recent gold deals to review when gold leaves the auto-approved tiers, not those of last spring', async () => {
    const version = await aDraft((d) => {
      d.registration.review.autoApprove!.tiers = ['platinum'];
    });

    const response = await api.call('GET', `/api/policies/${version}/impact`, { token: ADMIN });

    expect(response.status).toBe(200);
    expect(response.body.partnersTouched).toEqual(['northwind']);
    expect(
      response.body.changed.map((change: { registrationId: string; currentOutcome: string; newOutcome: string }) => [
        change.registrationId,
        change.currentOutcome,
        change.newOutcome,
      ]),
    ).toEqual([
      ['gold-expired-recently', 'approved', 'pending_review'],
      ['gold-small', 'approved', 'pending_review'],
    ]);
  });

  it('previews a scheduled version too', async () => {
    const version = await aDraft((d) => {
      d.registration.review.autoApprove!.maxAmount = 100_000;
    });
    await db.store.db.query(`UPDATE policies SET status = 'scheduled' WHERE version = $1`, [version]);

    const response = await api.call('GET', `/api/policies/${version}/impact`, { token: ADMIN });

    expect(response.status).toBe(200);
    expect(response.body.partnersTouched).toEqual(['fabrikam', 'northwind']);
  });

  it('lists nothing for a version that changes only its title, whatever the deals went through since', async () => {
    // A holder that was approved, then lost the conflict case a competitor's registration opened.
    await aRegistration('lost-its-case', { partnerId: 'northwind', amount: 20_000 });
    const lost = (await db.store.registrations.get('lost-its-case'))!;
    lost.status = 'rejected';
    lost.decision = {
      outcome: 'rejected',
      reason: 'Conflict case cf-1 was decided against your registration (awarded to another party)',
      ruleIds: ['CONFLICT-RESOLUTION'],
      decidedBy: 'cm-emea',
      decidedAt: new Date().toISOString(),
    };
    lost.timeline.push({ at: lost.decision.decidedAt, event: 'conflict_lost', detail: lost.decision.reason });
    await db.store.registrations.save(lost, 2);
    const retitled = await aDraft((d) => {
      d.title = 'FY28 Partner Rules of Engagement (typo fixed)';
    });

    const response = await api.call('GET', `/api/policies/${retitled}/impact`, { token: ADMIN });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ changed: [], partnersTouched: [] });
    expect(response.body.evaluated).toBeGreaterThanOrEqual(7);
  });

  it('refuses the version in effect: it has nothing left to preview', async () => {
    const response = await api.call('GET', '/api/policies/1/impact', { token: ADMIN });

    expectProblem(response, 409);
    expect(response.body).toMatchObject({ policyStatus: 'effective' });
  });

  it('answers 404 for a version that does not exist', async () => {
    expectProblem(await api.call('GET', '/api/policies/9999/impact', { token: ADMIN }), 404);
  });

  it.each(['dev-ops', 'dev-cm-emea', 'dev-partner-northwind'])('is for admins only, not %s', async (token) => {
    expectProblem(await api.call('GET', '/api/policies/1/impact', { token }), 403);
  });
});

describe('GET /api/policies/{a}/diff/{b}', () => {
  it('lists the changed validity and escalation ladder of a draft against v1, to every role', async () => {
    const version = await aDraft((d) => {
      d.registration.validity = 'P60D';
      d.conflicts.escalation = [
        { role: 'channel_manager', sla: 'PT24H' },
        { role: 'regional_director', sla: 'PT24H' },
      ];
    });

    for (const token of [ADMIN, 'dev-ops', 'dev-cm-emea', 'dev-partner-northwind']) {
      const response = await api.call('GET', `/api/policies/1/diff/${version}`, { token });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        from: 1,
        to: version,
        changes: [
          {
            path: 'title',
            kind: 'changed',
            old: EXAMPLE_POLICY.title,
            new: 'FY28 Partner Rules of Engagement',
            summary: expect.any(String),
          },
          {
            path: 'registration.validity',
            kind: 'changed',
            old: 'P90D',
            new: 'P60D',
            summary: 'Registration validity changes from P90D to P60D.',
          },
          {
            path: 'conflicts.escalation[1].sla',
            kind: 'changed',
            old: 'PT48H',
            new: 'PT24H',
            summary: 'The SLA at escalation tier 2 changes from PT48H to PT24H.',
          },
          {
            path: 'conflicts.escalation[2]',
            kind: 'removed',
            old: { role: 'vp_partnerships', sla: 'PT72H' },
            summary: 'Escalation tier 3 (vp_partnerships within PT72H) is removed.',
          },
        ],
      });
    }
  });

  it('answers 404 when either version does not exist', async () => {
    expectProblem(await api.call('GET', '/api/policies/1/diff/9999', { token: ADMIN }), 404);
    expectProblem(await api.call('GET', '/api/policies/9999/diff/1', { token: 'dev-ops' }), 404);
  });
});
