import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../src/store/db';
import { migrate } from '../../src/store/migrations';
import { seedDevelopment } from '../../src/store/seed';
import type { Store } from '../../src/store';
import type { AuditEvent } from '../../src/store/audit';
import { InvalidCursorError, encodeCursor, type Page } from '../../src/store/directory';
import { EXAMPLE_POLICY, validatePolicyDocument, type PolicyDocument } from '../../src/domain/policy';
import { aRegistrationView } from '../helpers/registrationViews';
import {
  createDatabase,
  dropDatabase,
  openTestStore,
  storeEngines,
  type Engine,
  type TestStore,
} from '../helpers/store';

function aPolicyDocument(title: string): PolicyDocument {
  const result = validatePolicyDocument({ ...structuredClone(EXAMPLE_POLICY), title });
  if (!result.ok) throw new Error(`example policy invalid: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

function anEvent(subject: string, action: string, at = '2026-01-01T00:00:00.000Z'): AuditEvent {
  return { subject, at, actor: 'dev-admin', action, detail: { note: action } };
}

/** Follows `nextCursor` until the last page; returns every page. */
async function walk<T>(list: (limit: number, cursor?: string) => Promise<Page<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list(limit, cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
    if (pages.length > 100) throw new Error('pagination does not end');
  } while (cursor);
  return pages;
}

/** A brand-new, unmigrated database of the engine, for tests that watch migrations happen. */
async function openEmptyDb(engine: Engine): Promise<{ db: Db; close(): Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'roe-empty-'));
    const db = await openDb({ pgliteDir: dir });
    return {
      db,
      close: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const databaseUrl = await createDatabase();
  const db = await openDb({ databaseUrl });
  return {
    db,
    close: async () => {
      await db.close();
      await dropDatabase(databaseUrl);
    },
  };
}

/** Every table but the migrations ledger, so each test starts from a freshly migrated store. */
async function emptyAllTables(db: Db): Promise<void> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`,
  );
  await db.query(`TRUNCATE ${tables.map((t) => `"${t.name}"`).join(', ')} RESTART IDENTITY`);
}

describe.each(storeEngines())('the store on %s', (engine) => {
  let testStore: TestStore;
  let store: Store;

  // One database per engine, emptied before each test: opening a PGlite store takes seconds.
  beforeAll(async () => {
    testStore = await openTestStore(engine);
    store = testStore.store;
  });

  beforeEach(async () => {
    await emptyAllTables(store.db);
  });

  afterAll(async () => {
    await testStore.close();
  });

  describe('migrations', () => {
    it('applies nothing when the schema is already up to date, and keeps the data', async () => {
      await store.directory.upsertPartner({
        id: 'northwind',
        name: 'Northwind Traders',
        type: 'reseller',
        tier: 'gold',
        regions: ['emea'],
        contacts: [{ name: 'Nora Wind', email: 'nora@northwind.example' }],
      });

      expect(await migrate(store.db)).toEqual([]);
      expect(await migrate(store.db)).toEqual([]);
      expect((await store.directory.getPartner('northwind'))?.name).toBe('Northwind Traders');
    });

    it('applies every migration exactly once when two processes start on a fresh database together', async () => {
      const empty = await openEmptyDb(engine);
      try {
        const [first, second] = await Promise.all([migrate(empty.db), migrate(empty.db)]);
        const applied = [...first, ...second];
        expect(applied).toEqual(expect.arrayContaining(['001_directory_policies_audit', '002_read_models']));
        expect(new Set(applied).size).toBe(applied.length);
        expect([first.length, second.length].sort((a, b) => a - b)).toEqual([0, applied.length]);
        expect(await migrate(empty.db)).toEqual([]);
      } finally {
        await empty.close();
      }
    });
  });

  describe('audit log', () => {
    it('keeps one row when the same event is appended twice, and says the second call added nothing', async () => {
      const event = anEvent('registration:r1', 'registration.submitted');

      expect(await store.audit.append('wf-r1:submitted', event)).toBe(true);
      expect(await store.audit.append('wf-r1:submitted', event)).toBe(false);

      const page = await store.audit.bySubject('registration:r1', 50);
      expect(page.items).toEqual([event]);
      expect(page.nextCursor).toBeUndefined();
    });

    it('returns a subject’s events in the order they were appended, page by page', async () => {
      const actions = ['submitted', 'evaluated', 'approved', 'extended', 'won'];
      for (const [index, action] of actions.entries()) {
        await store.audit.append(
          `r1:${action}`,
          anEvent('registration:r1', action, `2026-01-0${index + 1}T00:00:00.000Z`),
        );
        await store.audit.append(`r2:${action}`, anEvent('registration:r2', `other.${action}`));
      }

      const pages = await walk((limit, cursor) => store.audit.bySubject('registration:r1', limit, cursor), 2);

      expect(pages.map((page) => page.map((event) => event.action))).toEqual([
        ['submitted', 'evaluated'],
        ['approved', 'extended'],
        ['won'],
      ]);
      expect(pages.flat().every((event) => event.subject === 'registration:r1')).toBe(true);
      expect(pages.flat()[0]).toEqual({
        subject: 'registration:r1',
        at: '2026-01-01T00:00:00.000Z',
        actor: 'dev-admin',
        action: 'submitted',
        detail: { note: 'submitted' },
      });
    });

    it('returns an empty page for a subject without events', async () => {
      expect(await store.audit.bySubject('policy:42', 50)).toEqual({ items: [] });
    });
  });

  describe('policy versions', () => {
    it('numbers drafts 1, 2, 3… even when several are created at the same moment', async () => {
      const titles = ['A', 'B', 'C', 'D', 'E'];

      const drafts = await Promise.all(titles.map((title) => store.policies.createDraft(aPolicyDocument(title))));

      expect(drafts.map((draft) => draft.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
      expect(drafts.every((draft) => draft.status === 'draft')).toBe(true);
      for (const draft of drafts) expect((await store.policies.get(draft.version))?.title).toBe(draft.title);

      expect((await store.policies.createDraft(aPolicyDocument('F'))).version).toBe(6);
    });

    it('replaces a draft’s document and title', async () => {
      const draft = await store.policies.createDraft(aPolicyDocument('First try'));

      const result = await store.policies.replaceDraft(draft.version, aPolicyDocument('Second try'));

      expect(result).toMatchObject({ kind: 'replaced', policy: { version: 1, status: 'draft', title: 'Second try' } });
      expect(await store.policies.get(1)).toMatchObject({ title: 'Second try', document: { title: 'Second try' } });
    });

    it('refuses to replace a version that is no longer a draft, and leaves it as it was', async () => {
      await store.policies.createDraft(aPolicyDocument('Scheduled one'));
      await store.db.query(`UPDATE policies SET status = 'scheduled', effective_at = now() + interval '30 days'`);

      const result = await store.policies.replaceDraft(1, aPolicyDocument('Sneaky edit'));

      expect(result).toMatchObject({ kind: 'not_draft', policy: { version: 1, status: 'scheduled' } });
      expect((await store.policies.get(1))?.title).toBe('Scheduled one');
    });

    it('refuses to replace a frozen draft', async () => {
      await store.policies.createDraft(aPolicyDocument('Frozen'));
      await store.db.query('UPDATE policies SET frozen = true WHERE version = 1');

      expect(await store.policies.replaceDraft(1, aPolicyDocument('Edit'))).toMatchObject({
        kind: 'not_draft',
        policy: { frozen: true },
      });
    });

    it('shows every version past draft as frozen: the seeded first one and a published one', async () => {
      await store.policies.seedFirstEffective(aPolicyDocument('Seeded'), new Date('2026-01-01T00:00:00Z'));
      await store.policies.createDraft(aPolicyDocument('Published'));
      await store.policies.createDraft(aPolicyDocument('Still a draft'));
      await store.policies.schedule(2, new Date(), new Date(Date.now() + 30 * 86_400_000));
      // A version published before publishing set the flag, as older installs hold them.
      await store.db.query(`UPDATE policies SET frozen = false WHERE version IN (1, 2)`);

      expect((await store.policies.get(1))?.frozen).toBe(true);
      expect((await store.policies.get(2))?.frozen).toBe(true);
      expect((await store.policies.get(3))?.frozen).toBe(false);
    });

    it('reports a missing version when replacing one that does not exist', async () => {
      expect(await store.policies.replaceDraft(7, aPolicyDocument('Nothing'))).toEqual({ kind: 'missing' });
    });

    it('keeps exactly the latest version effective whatever order the switches are recorded in', async () => {
      for (const title of ['v1', 'v2', 'v3']) await store.policies.createDraft(aPolicyDocument(title));
      await store.db.query(
        `UPDATE policies SET status = 'effective', effective_at = '2026-01-01T00:00:00Z' WHERE version = 1`,
      );
      await store.db.query(
        `UPDATE policies SET status = 'scheduled', effective_at = '2026-03-01T00:00:00Z' WHERE version IN (2, 3)`,
      );
      const effective = async () =>
        (await store.db.query<{ version: number }>(`SELECT version FROM policies WHERE status = 'effective'`)).map(
          (r) => r.version,
        );

      // v3 shares v2's instant and is the higher version: it governs, whichever switch lands first.
      await store.policies.makeEffective(3);
      await store.policies.makeEffective(2);
      expect(await effective()).toEqual([3]);
      expect((await store.policies.effectiveAt(new Date('2026-03-01T00:00:00Z')))?.version).toBe(3);
      expect(await store.policies.get(2)).toMatchObject({ status: 'superseded' });
      expect(await store.policies.get(1)).toMatchObject({
        status: 'superseded',
        supersededAt: '2026-03-01T00:00:00.000Z',
      });
      await store.policies.makeEffective(3);
      expect(await effective()).toEqual([3]);
    });

    it('finds the version that governed at each instant around effective and superseded times', async () => {
      for (const title of ['v1', 'v2', 'v3', 'v4']) await store.policies.createDraft(aPolicyDocument(title));
      await store.db.query(
        `UPDATE policies SET status = 'superseded', effective_at = '2026-01-01T00:00:00Z',
           superseded_at = '2026-03-01T00:00:00Z' WHERE version = 1`,
      );
      await store.db.query(
        `UPDATE policies SET status = 'effective', effective_at = '2026-03-01T00:00:00Z' WHERE version = 2`,
      );
      await store.db.query(
        `UPDATE policies SET status = 'scheduled', effective_at = '2099-06-01T00:00:00Z' WHERE version = 3`,
      );
      await store.db.query(
        `UPDATE policies SET status = 'cancelled', effective_at = '2026-04-01T00:00:00Z',
           cancelled_at = '2026-03-15T00:00:00Z' WHERE version = 4`,
      );
      const versionAt = async (iso: string) => (await store.policies.effectiveAt(new Date(iso)))?.version;

      expect(await versionAt('2025-12-31T23:59:59.999Z')).toBeUndefined();
      expect(await versionAt('2026-01-01T00:00:00.000Z')).toBe(1);
      expect(await versionAt('2026-02-28T23:59:59.999Z')).toBe(1);
      expect(await versionAt('2026-03-01T00:00:00.000Z')).toBe(2);
      expect(await versionAt('2026-04-15T00:00:00.000Z')).toBe(2);
      expect(await versionAt('2026-07-01T00:00:00.000Z')).toBe(2);
      expect(await store.policies.current()).toMatchObject({ version: 2, status: 'effective' });
      // A scheduled version governs from its instant, even before its change workflow records it.
      expect(await versionAt('2099-05-31T23:59:59.999Z')).toBe(2);
      expect(await versionAt('2099-06-01T00:00:00.000Z')).toBe(3);
      expect(await store.policies.effectiveAt(new Date('2026-01-15T00:00:00Z'))).toMatchObject({
        status: 'superseded',
        effectiveAt: '2026-01-01T00:00:00.000Z',
        supersededAt: '2026-03-01T00:00:00.000Z',
      });
    });

    it('lists versions oldest first, filtered by status, page by page', async () => {
      for (const title of ['v1', 'v2', 'v3', 'v4', 'v5']) await store.policies.createDraft(aPolicyDocument(title));
      await store.db.query(`UPDATE policies SET status = 'cancelled' WHERE version IN (2, 4)`);

      const all = await walk((limit, cursor) => store.policies.list(limit, cursor), 2);
      const drafts = await walk((limit, cursor) => store.policies.list(limit, cursor, 'draft'), 2);

      expect(all.map((page) => page.map((policy) => policy.version))).toEqual([[1, 2], [3, 4], [5]]);
      expect(drafts.map((page) => page.map((policy) => policy.version))).toEqual([[1, 3], [5]]);
    });
  });

  describe('directory', () => {
    const partner = (id: string, name = `Partner ${id}`) => ({
      id,
      name,
      type: 'reseller' as const,
      tier: 'gold' as const,
      regions: ['emea'],
      contacts: [{ name: 'Contact', email: `contact@${id}.example` }],
    });

    it('reports a first upsert as created and a second as updated, keeping the latest values', async () => {
      const first = await store.directory.upsertPartner(partner('northwind', 'Northwind'));
      const second = await store.directory.upsertPartner({
        ...partner('northwind', 'Northwind Traders'),
        tier: 'platinum',
      });

      expect(first).toMatchObject({ created: true, partner: { id: 'northwind', name: 'Northwind' } });
      expect(second).toMatchObject({ created: false, partner: { name: 'Northwind Traders', tier: 'platinum' } });
      expect(await store.directory.getPartner('northwind')).toMatchObject({ tier: 'platinum', regions: ['emea'] });
    });

    it('reports created versus updated for accounts and people too', async () => {
      const account = { domain: 'globex.example', name: 'Globex', segment: 'enterprise' as const, region: 'emea' };
      const person = { id: 'cm', name: 'Chris', email: 'c@v.example', escalationRoles: [], regions: ['*'] };

      expect((await store.directory.upsertAccount(account)).created).toBe(true);
      expect((await store.directory.upsertAccount({ ...account, name: 'Globex Corp' })).created).toBe(false);
      expect((await store.directory.upsertPerson(person)).created).toBe(true);
      expect((await store.directory.upsertPerson(person)).created).toBe(false);
      expect(await store.directory.getAccount('globex.example')).toMatchObject({ name: 'Globex Corp' });
      expect(await store.directory.getPerson('cm')).toMatchObject({ regions: ['*'], escalationRoles: [] });
    });

    it('keeps a named direct account’s owner and clears it when the account is replaced without one', async () => {
      const owner = { name: 'Dana Direct', email: 'dana@vendor.example' };
      await store.directory.upsertAccount({
        domain: 'hooli.example',
        name: 'Hooli',
        region: 'emea',
        directOwner: owner,
      });
      expect(await store.directory.getAccount('hooli.example')).toMatchObject({ directOwner: owner });

      await store.directory.upsertAccount({ domain: 'hooli.example', name: 'Hooli', region: 'emea' });
      const account = await store.directory.getAccount('hooli.example');
      expect(account).not.toHaveProperty('directOwner');
      expect(account).not.toHaveProperty('segment');
    });

    it.each([7, 6])('walks all %i partners exactly once, three at a time', async (count) => {
      const ids = ['a-1', 'a_2', 'b', 'c10', 'c2', 'zeta', 'm'].slice(0, count);
      for (const id of ids) await store.directory.upsertPartner(partner(id));

      const pages = await walk((limit, cursor) => store.directory.listPartners(limit, cursor), 3);
      const seen = pages.flat().map((p) => p.id);

      expect(pages.map((page) => page.length)).toEqual(count === 7 ? [3, 3, 1] : [3, 3]);
      expect(seen).toHaveLength(ids.length);
      expect([...seen].sort()).toEqual([...ids].sort());
    });

    it('refuses a cursor it did not issue instead of sending it to the database', async () => {
      await store.directory.upsertPartner(partner('northwind'));

      for (const cursor of ['AAAA', '____', 'not a cursor']) {
        await expect(store.directory.listPartners(2, cursor)).rejects.toThrow(InvalidCursorError);
        await expect(store.policies.list(2, cursor)).rejects.toThrow(InvalidCursorError);
      }
      await expect(store.policies.list(2, encodeCursor('x'))).rejects.toThrow(InvalidCursorError);
    });

    it('walks all accounts and people exactly once', async () => {
      const domains = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'];
      for (const domain of domains) await store.directory.upsertAccount({ domain, name: domain, region: 'emea' });
      for (const id of ['p1', 'p2', 'p3']) {
        await store.directory.upsertPerson({
          id,
          name: id,
          email: `${id}@v.example`,
          escalationRoles: [],
          regions: ['na'],
        });
      }

      const accounts = (await walk((l, c) => store.directory.listAccounts(l, c), 2)).flat().map((a) => a.domain);
      const people = (await walk((l, c) => store.directory.listPeople(l, c), 1)).flat().map((p) => p.id);

      expect(accounts).toEqual(domains);
      expect(people).toEqual(['p1', 'p2', 'p3']);
    });

    it('finds people by escalation role and region, and people covering every region for any region', async () => {
      const person = (
        id: string,
        roles: ('channel_manager' | 'regional_director' | 'vp_partnerships')[],
        regions: string[],
      ) => store.directory.upsertPerson({ id, name: id, email: `${id}@v.example`, escalationRoles: roles, regions });
      await person('cm-emea', ['channel_manager'], ['emea']);
      await person('cm-na', ['channel_manager'], ['na', 'latam']);
      await person('rd-emea', ['regional_director'], ['emea']);
      await person('vp', ['vp_partnerships', 'regional_director'], ['*']);
      const ids = async (...args: Parameters<Store['directory']['peopleWithRole']>) =>
        (await store.directory.peopleWithRole(...args)).map((p) => p.id);

      expect(await ids('channel_manager', 'emea')).toEqual(['cm-emea']);
      expect(await ids('channel_manager', 'latam')).toEqual(['cm-na']);
      expect(await ids('channel_manager', 'apac')).toEqual([]);
      expect(await ids('regional_director', 'emea')).toEqual(['rd-emea', 'vp']);
      expect(await ids('regional_director', 'apac')).toEqual(['vp']);
      expect(await ids('vp_partnerships', 'na')).toEqual(['vp']);
      expect(await ids('channel_manager')).toEqual(['cm-emea', 'cm-na']);
    });
  });

  describe('registration read model', () => {
    it('offers every known account name to the duplicate check, past the 5,000 it once stopped at', async () => {
      const views = Array.from({ length: 5_001 }, (_, i) =>
        aRegistrationView(`reg-${i}`, {
          account: { name: `Company ${i}`, domain: `company-${i}.example`, region: 'emea' },
        }),
      );
      for (const view of views) await store.registrations.save(view, 1);
      await store.directory.upsertAccount({
        domain: 'globex.example',
        name: 'Globex',
        segment: 'enterprise',
        region: 'emea',
      });

      const names = await store.registrations.accountNames('company-0.example');
      expect(names).toHaveLength(5_001);
      expect(names).toContainEqual({ domain: 'globex.example', name: 'Globex' });
      expect(names).toContainEqual({ domain: 'company-5000.example', name: 'Company 5000' });
      expect(names.map((n) => n.domain)).not.toContain('company-0.example');
    }, 120_000);
  });

  describe('development seed', () => {
    it('seeds the directory and an effective policy version 1 once; a second run seeds nothing', async () => {
      const now = new Date('2026-05-01T08:00:00.700Z');

      expect(await seedDevelopment(store, now)).toEqual({ directory: true, policy: true });
      expect(await seedDevelopment(store, new Date())).toEqual({ directory: false, policy: false });

      expect((await store.directory.listPartners(50)).items.map((p) => p.id).sort()).toEqual([
        'contoso',
        'fabrikam',
        'northwind',
      ]);
      // From the start of that second: the instant 08:00:00Z, as `date` writes it then, finds it.
      expect(await store.policies.current()).toMatchObject({
        version: 1,
        status: 'effective',
        effectiveAt: '2026-05-01T08:00:00.000Z',
      });
      expect(await store.policies.effectiveAt(new Date('2026-05-01T08:00:00Z'))).toMatchObject({ version: 1 });
      expect((await store.policies.list(50)).items).toHaveLength(1);
      expect((await store.audit.bySubject('policy:1', 50)).items.map((e) => e.action)).toEqual([
        'policy.seeded_effective',
      ]);
    });

    it('does not overwrite an admin’s later edit of a seeded partner, nor bring back a removed person', async () => {
      await seedDevelopment(store, new Date());
      const northwind = await store.directory.getPartner('northwind');
      await store.directory.upsertPartner({ ...northwind!, name: 'Northwind Global', tier: 'platinum' });
      await store.db.query(`DELETE FROM people WHERE id = 'rd-emea'`);

      await seedDevelopment(store, new Date());

      expect(await store.directory.getPartner('northwind')).toMatchObject({
        name: 'Northwind Global',
        tier: 'platinum',
      });
      expect(await store.directory.getPerson('rd-emea')).toBeUndefined();
    });
  });
});
