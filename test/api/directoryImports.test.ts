import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startTemporalAndStore } from '../helpers/environment';
import { startTestApi, type TestApi } from '../helpers/api';
import type { TestStore } from '../helpers/store';
import type { TestTemporal } from '../helpers/temporal';
import { seedDevelopment } from '../../src/store/seed';

// The directory in bulk, with real CSV files holding broken rows: a dry run reports every line and
// writes nothing, the import writes the good rows only, a second import changes nothing, and an
// export imports back unchanged.

const ADMIN = 'dev-admin';
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'csv', name), 'utf8');

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

const importCsv = (kind: string, csv: string, query = '') =>
  api.call('POST', `/api/directory/${kind}/import${query}`, {
    token: ADMIN,
    rawBody: csv,
    headers: { 'content-type': 'text/csv' },
  });

interface Line {
  line: number;
  key?: string;
  outcome: string;
  errors?: { column: string; message: string }[];
}

describe('importing partners from a CSV file with broken rows', () => {
  const csv = fixture('partners-with-broken-rows.csv');

  it('as a dry run reports the outcome of every row by its line and writes nothing', async () => {
    const res = await importCsv('partners', csv, '?dryRun=true');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, rows: 7, created: 2, updated: 0, unchanged: 0, failed: 5 });
    const lines = res.body.lines as Line[];
    expect(lines.map((l) => [l.line, l.outcome])).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'failed'],
      [5, 'failed'],
      [6, 'failed'],
      [7, 'failed'],
      [8, 'failed'],
    ]);
    expect(lines[2].errors).toEqual([{ column: 'id', message: expect.stringContaining('lowercase id') }]);
    expect(lines[3].errors).toEqual([{ column: 'tier', message: expect.stringContaining('registered') }]);
    expect(lines[4].errors).toEqual([{ column: 'contacts', message: expect.any(String) }]);
    expect(lines[5]).toMatchObject({ key: 'litware', errors: [{ column: 'id', message: 'line 2 has it already' }] });
    expect(lines[6].errors?.[0]).toEqual({ column: 'row', message: '3 cells where the header has 6' });
    expect((await api.call('GET', '/api/directory/partners/litware', { token: ADMIN })).status).toBe(404);
  });

  it('imports the good rows, each audited, and leaves the broken ones out', async () => {
    const res = await importCsv('partners', csv);

    expect(res.body).toMatchObject({ dryRun: false, created: 2, failed: 5 });
    const adatum = await api.call('GET', '/api/directory/partners/adatum', { token: ADMIN });
    expect(adatum.body).toMatchObject({
      name: 'Adatum, Corp',
      type: 'msp',
      tier: 'gold',
      regions: ['emea', 'na'],
      contacts: [
        { name: 'Ada Tum', email: 'ada@adatum.example' },
        { name: 'Bo Tum', email: 'bo@adatum.example' },
      ],
    });
    expect((await api.call('GET', '/api/directory/partners/tailwind', { token: ADMIN })).status).toBe(404);
    const audit = await api.call('GET', '/api/audit?subject=directory:partner:adatum', { token: ADMIN });
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'partner.created', actor: 'dev-admin' })]);
  });

  it('a second time changes nothing: every good row is unchanged', async () => {
    const res = await importCsv('partners', csv);

    expect(res.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 5 });
    const audit = await api.call('GET', '/api/audit?subject=directory:partner:adatum', { token: ADMIN });
    expect(audit.body.items).toHaveLength(1);
  });

  it('updates a row that changed, and numbers the lines of a part of a bigger file after lineOffset', async () => {
    const part =
      'id,name,type,tier,regions,contacts\nlitware,Litware Inc,reseller,gold,emea,Lia Ware <lia@litware.example>\n';
    const res = await importCsv('partners', part, '?lineOffset=1000');

    expect(res.body).toMatchObject({ updated: 1, lines: [{ line: 1002, key: 'litware', outcome: 'updated' }] });
    expect((await api.call('GET', '/api/directory/partners/litware', { token: ADMIN })).body.tier).toBe('gold');
  });
});

describe('importing accounts and people', () => {
  it('reads accounts with their direct owners by registrable domain, and names each broken column', async () => {
    const res = await importCsv('accounts', fixture('accounts-with-broken-rows.csv'));

    expect(res.body).toMatchObject({ created: 2, failed: 2 });
    const lines = res.body.lines as Line[];
    expect(lines[0]).toMatchObject({ line: 2, key: 'fourthcoffee.example', outcome: 'created' });
    expect(lines[2].errors).toEqual([{ column: 'domain', message: 'not a domain name' }]);
    expect(lines[3].errors).toEqual([{ column: 'segment', message: expect.any(String) }]);
    const account = await api.call('GET', '/api/directory/accounts/fourthcoffee.example', { token: ADMIN });
    expect(account.body.directOwner).toEqual({ name: 'Dana Direct', email: 'dana@vendor.example' });
  });

  it('reads people with several escalation roles, and refuses an address that is not one', async () => {
    const res = await importCsv('people', fixture('people-with-broken-rows.csv'));

    expect(res.body).toMatchObject({ created: 2, failed: 1 });
    expect((res.body.lines as Line[])[2].errors).toEqual([{ column: 'email', message: expect.any(String) }]);
    const rhea = await api.call('GET', '/api/directory/people/rd-na', { token: ADMIN });
    expect(rhea.body.escalationRoles).toEqual(['regional_director', 'channel_manager']);
  });
});

describe('a file that cannot be read', () => {
  it('is refused with 400 naming the line of an unclosed quote', async () => {
    const res = await importCsv('partners', 'id,name,type,tier,regions,contacts\nx,"Unclosed,reseller,gold,emea,\n');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body', message: expect.stringMatching(/^line \d+: quote not closed/) }]);
  });

  it('is refused with 400 naming the columns a header lacks', async () => {
    const res = await importCsv('people', 'id,name\ncm-x,Someone\n');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/missing: email, escalationRoles, regions$/);
  });

  it('sent as JSON is refused with 415, and JSON sent as CSV to another operation too', async () => {
    const json = await api.call('POST', '/api/directory/partners/import', { token: ADMIN, body: { id: 'x' } });
    expect(json.status).toBe(415);
    const csvToJson = await api.call('PUT', '/api/directory/partners/x', {
      token: ADMIN,
      rawBody: 'a,b\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(csvToJson.status).toBe(415);
  });

  it('is for admins only', async () => {
    for (const token of ['dev-ops', 'dev-partner-northwind', 'dev-cm-emea']) {
      const res = await api.call('POST', '/api/directory/partners/import', {
        token,
        rawBody: 'id\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(403);
    }
  });
});

describe('exporting', () => {
  it.each(['partners', 'accounts', 'people'])(
    'writes every %s in the import columns, and imports back unchanged',
    async (kind) => {
      const res = await api.call('GET', `/api/directory/${kind}/export`, { token: 'dev-ops' });

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = parse(res.text, { columns: true }) as Record<string, string>[];
      expect(rows.length).toBeGreaterThan(1);
      const again = await importCsv(kind, res.text, '?dryRun=true');
      expect(again.body).toMatchObject({ rows: rows.length, unchanged: rows.length, failed: 0 });
    },
  );

  it('defuses a cell a spreadsheet would run as a formula, and reads it back as it was', async () => {
    const formula = '=HYPERLINK("http://evil.example","click")';
    const csv = `id,name,type,tier,regions,contacts\nformula,"${formula.replace(/"/g, '""')}",reseller,gold,emea,Fo <fo@formula.example>\n`;
    expect((await importCsv('partners', csv)).body).toMatchObject({ created: 1 });
    const exported = (await api.call('GET', '/api/directory/partners/export', { token: ADMIN })).text;
    expect(exported).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect((await importCsv('partners', exported, '?dryRun=true')).body).toMatchObject({
      failed: 0,
      created: 0,
      updated: 0,
    });
  });
});
