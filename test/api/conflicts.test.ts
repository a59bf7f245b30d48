import type { TestApi } from '../helpers/api';
import { startTestApi } from '../helpers/api';
import { startTemporalAndStore } from '../helpers/environment';
import type { TestTemporal } from '../helpers/temporal';
import type { TestStore } from '../helpers/store';
import { seedDevelopment } from '../../src/store/seed';
import type { ConflictView } from '../../workflows/conflict/contract';
import { aConflictView, aDirectParty, aPartnerParty, aResolution } from '../helpers/conflictViews';
import { aRegistrationView } from '../helpers/registrationViews';

// The conflict endpoints over the read model: cases recorded straight into the store, with no
// workflow behind them, so reads fall back to the read model and every step is refused as closed.

const ADMIN = 'dev-admin';
const OPS = 'dev-ops';
const CHANNEL_MANAGER = 'dev-cm-emea';
const REGIONAL_DIRECTOR = 'dev-rd-emea';
const VP = 'dev-vp';
const NORTHWIND = 'dev-partner-northwind';
const CONTOSO = 'dev-partner-contoso';
const FABRIKAM = 'dev-partner-fabrikam';

/** northwind (gold, holder) against contoso (silver); waits on the EMEA channel manager. */
const NORTHWIND_VS_CONTOSO = aConflictView({
  id: 'cf-a000000000000001',
  openedAt: '2026-03-02T10:00:00.000Z',
  dueAt: '2026-03-03T12:00:00.000Z',
  parties: [
    aPartnerParty('northwind', 'reg-aaaaaaaaaaaaaaaa', 'gold', '2026-03-01T09:00:00.000Z', true),
    aPartnerParty('contoso', 'reg-bbbbbbbbbbbbbbbb', 'silver', '2026-03-02T09:00:00.000Z'),
  ],
});
/** fabrikam against a named direct account, escalated to the regional director. */
const FABRIKAM_VS_DIRECT = aConflictView({
  id: 'cf-a000000000000002',
  openedAt: '2026-03-02T11:00:00.000Z',
  tier: 2,
  assigneeRole: 'regional_director',
  dueAt: '2026-03-05T09:00:00.000Z',
  parties: [aDirectParty(), aPartnerParty('fabrikam', 'reg-cccccccccccccccc', 'platinum')],
  breaches: [{ tier: 1, role: 'channel_manager', at: '2026-03-03T11:00:00.000Z' }],
});
/** Decided for fabrikam against northwind. */
const DECIDED_FOR_FABRIKAM = aConflictView({
  id: 'cf-a000000000000003',
  openedAt: '2026-03-02T12:00:00.000Z',
  status: 'resolved',
  dueAt: undefined,
  parties: [
    aPartnerParty('northwind', 'reg-dddddddddddddddd', 'gold'),
    aPartnerParty('fabrikam', 'reg-eeeeeeeeeeeeeeee', 'platinum'),
  ],
  resolution: aResolution('reg-eeeeeeeeeeeeeeee', { reason: 'fabrikam holds the implementation contract' }),
});
/** A North American case: outside the EMEA managers' regions. */
const IN_NORTH_AMERICA = aConflictView({
  id: 'cf-a000000000000004',
  openedAt: '2026-03-02T13:00:00.000Z',
  region: 'na',
  dueAt: '2026-03-03T08:00:00.000Z',
  parties: [
    aPartnerParty('fabrikam', 'reg-9999999999999999', 'platinum'),
    aPartnerParty('contoso', 'reg-8888888888888888', 'silver'),
  ],
});
/** A review due between the two EMEA cases' deadlines. */
const REVIEW = aRegistrationView('reg-ffffffffffffffff', {
  status: 'pending_review',
  partnerId: 'contoso',
  review: { assigneeRole: 'channel_manager', dueAt: '2026-03-03T10:00:00.000Z', breaches: 0 },
});

let temporal: TestTemporal;
let db: TestStore;
let api: TestApi;

beforeAll(async () => {
  ({ temporal, db } = await startTemporalAndStore());
  await seedDevelopment(db.store, new Date());
  api = await startTestApi({ store: db.store, temporal: temporal.client });
  for (const view of [NORTHWIND_VS_CONTOSO, FABRIKAM_VS_DIRECT, DECIDED_FOR_FABRIKAM, IN_NORTH_AMERICA]) {
    await db.store.conflicts.save(view, 1);
  }
  await db.store.registrations.save(REVIEW, 1);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await db?.close();
  await temporal?.stop();
});

describe('GET /api/conflicts', () => {
  it.each([ADMIN, OPS, CHANNEL_MANAGER])('shows %s every case, newest first, whole', async (token) => {
    const items = await list(token);

    expect(items.map((c) => c.id)).toEqual([
      IN_NORTH_AMERICA.id,
      DECIDED_FOR_FABRIKAM.id,
      FABRIKAM_VS_DIRECT.id,
      NORTHWIND_VS_CONTOSO.id,
    ]);
    expect(items[3]).toEqual(NORTHWIND_VS_CONTOSO);
  });

  it('filters by status and by the role a case waits on', async () => {
    expect((await list(ADMIN, '?status=resolved')).map((c) => c.id)).toEqual([DECIDED_FOR_FABRIKAM.id]);
    expect((await list(ADMIN, '?status=open&assigneeRole=regional_director')).map((c) => c.id)).toEqual([
      FABRIKAM_VS_DIRECT.id,
    ]);
  });

  it('shows a partner only the cases it is a party to, without the other parties', async () => {
    const items = await list(NORTHWIND);

    expect(items.map((c) => c.id)).toEqual([DECIDED_FOR_FABRIKAM.id, NORTHWIND_VS_CONTOSO.id]);
    expect(items[0].resolution).toMatchObject({
      award: 'another_party',
      reason: '[another party] holds the implementation contract',
    });
    expect(items[1].parties).toEqual([
      NORTHWIND_VS_CONTOSO.parties[0],
      { kind: 'partner', submittedAt: '2026-03-02T09:00:00.000Z' },
    ]);
    const json = JSON.stringify(items);
    for (const secret of ['contoso', 'fabrikam', 'reg-bbbb', 'reg-eeee', 'silver', 'platinum']) {
      expect(json.toLowerCase()).not.toContain(secret);
    }
  });

  it('pages with nextCursor and refuses a cursor of another list', async () => {
    const first = await api.call<{ items: ConflictView[]; nextCursor: string }>('GET', '/api/conflicts?limit=3', {
      token: OPS,
    });
    const rest = await api.call<{ items: ConflictView[]; nextCursor?: string }>(
      'GET',
      `/api/conflicts?limit=3&cursor=${first.body.nextCursor}`,
      { token: OPS },
    );
    const foreign = await api.call('GET', `/api/conflicts?cursor=${Buffer.from('northwind').toString('base64url')}`, {
      token: OPS,
    });

    expect(first.body.items).toHaveLength(3);
    expect(rest.body).toEqual({ items: [NORTHWIND_VS_CONTOSO] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });

  it('refuses unknown filters', async () => {
    const res = await api.call('GET', '/api/conflicts?partnerId=contoso', { token: NORTHWIND });
    expect(res.status).toBe(400);
  });
});

describe('GET /api/conflicts/{id}', () => {
  it('reads a case from the read model when no workflow answers', async () => {
    const res = await api.call<ConflictView>('GET', `/api/conflicts/${FABRIKAM_VS_DIRECT.id}`, { token: VP });

    expect(res.status).toBe(200);
    expect(res.body).toEqual(FABRIKAM_VS_DIRECT);
  });

  it('shows a party its case, redacted', async () => {
    const res = await api.call<ConflictView>('GET', `/api/conflicts/${NORTHWIND_VS_CONTOSO.id}`, { token: CONTOSO });

    expect(res.status).toBe(200);
    expect(res.body.parties).toEqual([
      { kind: 'partner', submittedAt: '2026-03-01T09:00:00.000Z' },
      NORTHWIND_VS_CONTOSO.parties[1],
    ]);
    expect(res.text).not.toMatch(/northwind|reg-aaaa|gold/i);
  });

  it('answers a partner that is not a party exactly as for a case that does not exist', async () => {
    const other = await api.call('GET', `/api/conflicts/${NORTHWIND_VS_CONTOSO.id}`, { token: FABRIKAM });
    const missing = await api.call('GET', '/api/conflicts/cf-ffffffffffffffff', { token: FABRIKAM });

    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body.detail.replace(NORTHWIND_VS_CONTOSO.id, 'ID')).toBe(
      missing.body.detail.replace('cf-ffffffffffffffff', 'ID'),
    );
  });
});

describe('steps on a case', () => {
  it('lets only managers resolve', async () => {
    const res = await api.call('POST', `/api/conflicts/${NORTHWIND_VS_CONTOSO.id}/resolution`, {
      token: NORTHWIND,
      body: { award: 'reg-aaaaaaaaaaaaaaaa', reason: 'mine' },
    });
    expect(res.status).toBe(403);
  });

  it('refuses unknown fields in a resolution', async () => {
    const res = await api.call('POST', `/api/conflicts/${NORTHWIND_VS_CONTOSO.id}/resolution`, {
      token: CHANNEL_MANAGER,
      body: { award: 'direct', reason: 'named account', by: 'someone else' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'by' })]);
  });

  it('refuses a step on a case whose process is no longer running, as a conflict of state', async () => {
    const res = await api.call('POST', `/api/conflicts/${DECIDED_FOR_FABRIKAM.id}/resolution`, {
      token: CHANNEL_MANAGER,
      body: { award: 'direct', reason: 'named account' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ conflictStatus: 'resolved' });
  });

  it('hides a case from an appellant that is not a party, and lets only partners appeal', async () => {
    const stranger = await api.call('POST', `/api/conflicts/${NORTHWIND_VS_CONTOSO.id}/appeal`, {
      token: FABRIKAM,
      body: { reason: 'unfair' },
    });
    const manager = await api.call('POST', `/api/conflicts/${NORTHWIND_VS_CONTOSO.id}/appeal`, {
      token: CHANNEL_MANAGER,
      body: { reason: 'unfair' },
    });
    expect(stranger.status).toBe(404);
    expect(manager.status).toBe(403);
  });
});

describe('GET /api/inbox with conflict cases', () => {
  type InboxItem = { kind: string; id: string; assigneeRole: string; dueAt: string; conflict?: ConflictView };

  it("merges the caller's open cases of its regions with its reviews, soonest due first", async () => {
    const items = await inbox(CHANNEL_MANAGER);

    expect(items.map((item) => [item.kind, item.id])).toEqual([
      ['registration_review', REVIEW.id],
      ['conflict', NORTHWIND_VS_CONTOSO.id],
    ]);
    expect(items[1]).toEqual({
      kind: 'conflict',
      id: NORTHWIND_VS_CONTOSO.id,
      assigneeRole: 'channel_manager',
      dueAt: NORTHWIND_VS_CONTOSO.dueAt,
      conflict: NORTHWIND_VS_CONTOSO,
    });
  });

  it('gives an escalated case to the role it waits on, and nothing to the roles above', async () => {
    expect((await inbox(REGIONAL_DIRECTOR)).map((item) => item.id)).toEqual([FABRIKAM_VS_DIRECT.id]);
    expect(await inbox(VP)).toEqual([]);
  });

  async function inbox(token: string): Promise<InboxItem[]> {
    const res = await api.call<{ items: InboxItem[] }>('GET', '/api/inbox', { token });
    if (res.status !== 200) throw new Error(`inbox answered ${res.status}: ${res.text}`);
    return res.body.items;
  }
});

async function list(token: string, query = ''): Promise<ConflictView[]> {
  const res = await api.call<{ items: ConflictView[] }>('GET', `/api/conflicts${query}`, { token });
  if (res.status !== 200) throw new Error(`list answered ${res.status}: ${res.text}`);
  return res.body.items;
}
