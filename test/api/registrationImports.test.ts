import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/eventually';
import { registeredThroughApi } from '../helpers/registrations';

// Registrations migrated from another PRM, from a real CSV file with broken rows: ended ones are
// recorded as they ended, open ones live on here (claim, expiry, review); a second import changes
// nothing; the export has the import's columns.

jest.setTimeout(120_000);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.close());

const ADMIN = 'dev-admin';
const csv = readFileSync(join(__dirname, '..', 'fixtures', 'csv', 'registrations-from-another-prm.csv'), 'utf8');
const importCsv = (query: string) =>
  stack.api.call('POST', `/api/registrations/import${query}`, {
    token: ADMIN,
    rawBody: csv,
    headers: { 'content-type': 'text/csv' },
  });

interface Line {
  line: number;
  externalId?: string;
  registrationId?: string;
  outcome: string;
  status?: string;
  errors?: { column: string; message: string }[];
}
let imported: Line[];
const byExternalId = (id: string) => imported.find((l) => l.externalId === id && l.outcome !== 'failed')!;

it('as a dry run reports every row by its line and starts nothing', async () => {
  const res = await importCsv('?dryRun=true&source=legacy-prm');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ dryRun: true, source: 'legacy-prm', rows: 11, created: 6, unchanged: 0, failed: 5 });
  const lines = res.body.lines as Line[];
  const errorsAt = (line: number) => lines.find((l) => l.line === line)?.errors;
  expect(errorsAt(8)).toEqual([{ column: 'partnerId', message: 'no partner nobody in the directory' }]);
  expect(errorsAt(9)?.map((e) => e.column)).toEqual(expect.arrayContaining(['submittedAt']));
  expect(errorsAt(10)).toEqual([{ column: 'status', message: expect.any(String) }]);
  expect(errorsAt(11)).toEqual([{ column: 'wonAmount', message: 'only a won deal has one' }]);
  expect(errorsAt(12)).toEqual([{ column: 'externalId', message: 'line 2 has it already' }]);
  expect((await stack.api.call('GET', '/api/registrations?limit=50', { token: ADMIN })).body.items).toEqual([]);
});

it('imports the good rows with their original submission time and status', async () => {
  const res = await importCsv('?source=legacy-prm');
  expect(res.body).toMatchObject({ dryRun: false, created: 6, failed: 5 });
  imported = res.body.lines;
  expect(imported.filter((l) => l.outcome === 'created').map((l) => [l.externalId, l.status])).toEqual([
    ['OPP-1001', 'won'],
    ['OPP-1002', 'lost'],
    ['OPP-1003', 'approved'],
    ['OPP-1004', 'pending_review'],
    ['OPP-1005', 'rejected'],
    ['OPP-1006', 'expired'],
  ]);
  const won = await stack.api.call('GET', `/api/registrations/${byExternalId('OPP-1001').registrationId}`, {
    token: ADMIN,
  });
  expect(won.body).toMatchObject({
    partnerId: 'northwind',
    status: 'won',
    submittedAt: '2026-05-04T09:15:00.000Z',
    decision: {
      outcome: 'approved',
      decidedBy: 'system:import',
      decidedAt: '2026-05-05T10:00:00.000Z',
      ruleIds: ['MIGRATED'],
    },
    closure: { outcome: 'won', amount: { value: 45500, currency: 'EUR' }, closedOn: '2026-09-12' },
  });
  expect(won.body.timeline.map((t: { event: string }) => t.event)).toEqual(['submitted', 'migrated']);
  expect(won.body.decision.reason).toBe('imported from legacy-prm (OPP-1001), where it was won');
});

it('keeps an approved one protected until its original expiry, holding the account line', async () => {
  const approved = await stack.api.call('GET', `/api/registrations/${byExternalId('OPP-1003').registrationId}`, {
    token: ADMIN,
  });
  expect(approved.body).toMatchObject({ status: 'approved', expiresAt: '2099-01-01T00:00:00.000Z' });
  // Another partner's registration on that account and product line collides with it.
  const contender = await registeredThroughApi(
    stack,
    'dev-partner-northwind',
    'Blue Yonder Airlines',
    'blueyonder.example',
    10_000,
  );
  expect(contender.status).toBe('in_conflict');
  // The case tells the imported holder it is a party: it knows the case as any holder would.
  await eventually(
    () => stack.api.call('GET', `/api/registrations/${byExternalId('OPP-1003').registrationId}`, { token: ADMIN }),
    (r) => r.body.conflictId === contender.conflictId,
  );
});

it('puts one in review on the channel manager’s list', async () => {
  const inbox = await stack.api.call('GET', '/api/inbox', { token: 'dev-cm-emea' });
  const reviewed = byExternalId('OPP-1004').registrationId;
  expect(inbox.body.items.map((r: { id: string }) => r.id)).toContain(reviewed);
});

it('a second time changes nothing: every good row is unchanged', async () => {
  const res = await importCsv('?source=legacy-prm');
  expect(res.body).toMatchObject({ created: 0, unchanged: 6, failed: 5 });
});

it('exports registrations in the columns the import reads', async () => {
  const res = await stack.api.call('GET', '/api/registrations/export', { token: 'dev-ops' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  const rows = parse(res.text, { columns: true }) as Record<string, string>[];
  const won = rows.find((r) => r.id === byExternalId('OPP-1001').registrationId);
  expect(won).toMatchObject({
    status: 'won',
    submittedAt: '2026-05-04T09:15:00.000Z',
    closedOn: '2026-09-12',
    wonAmount: '45500',
  });
  expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['partnerId', 'domain', 'amount', 'currency', 'status']));
});

it('is for admins: ops and partners get 403', async () => {
  for (const token of ['dev-ops', 'dev-partner-northwind']) {
    const res = await stack.api.call('POST', '/api/registrations/import', {
      token,
      rawBody: 'externalId\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(403);
  }
});
