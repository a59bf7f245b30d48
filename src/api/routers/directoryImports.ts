import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../../store';
import { allOf } from '../../store/directory';
import type { Principal } from '../../domain/principal';
import { toCsv } from '../../imports/csv';
import { csvRowsOf, importQuery } from '../csvBodies';
import {
  accountRows,
  partnerRows,
  personRows,
  sameEntry,
  type DirectoryKind,
  type DirectoryRows,
} from '../../imports/directoryRows';
import type { RouteTable } from '../routes';
import { accountBody, partnerBody, personBody } from './directory';

// The directory in bulk: CSV imports (a dry run first, then for real; idempotent per row, so a
// file imported twice changes nothing the second time) and exports in the same columns, so an
// export edited in a spreadsheet imports back.

/** Rows one import takes at most: a bigger file is split (the web app sends it in parts). */
export const MAX_IMPORT_ROWS = 5_000;
const PROGRESS_EVERY = 500;

const outcomeSchema = z.enum(['created', 'updated', 'unchanged', 'failed']);
const reportSchema = z.object({
  dryRun: z.boolean().describe('true: nothing was written; the outcomes say what an import would do'),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  lines: z.array(
    z.object({
      line: z.number().int().describe("the row's line in the file (the header is line 1, plus lineOffset)"),
      key: z.string().optional(),
      outcome: outcomeSchema,
      errors: z.array(z.object({ column: z.string(), message: z.string() })).optional(),
    }),
  ),
});
type Report = z.infer<typeof reportSchema>;

interface KindSpec<Entry> {
  kind: DirectoryKind;
  singular: string;
  rows: DirectoryRows<Entry>;
  get(key: string): Promise<object | undefined>;
  upsert(entry: Entry): Promise<{ created: boolean }>;
  all(): Promise<Entry[]>;
  audited(entry: Entry): object;
}

export function directoryImportRoutes(table: RouteTable, store: Store): void {
  const { directory } = store;
  const kinds: KindSpec<never>[] = [
    {
      kind: 'partners',
      singular: 'partner',
      rows: partnerRows(partnerBody),
      get: (key) => directory.getPartner(key),
      upsert: (entry) => directory.upsertPartner(entry),
      all: () => allOf((limit, cursor) => directory.listPartners(limit, cursor)),
      audited: (p) => ({ tier: p.tier, type: p.type, regions: p.regions }),
    } satisfies KindSpec<Parameters<typeof directory.upsertPartner>[0]>,
    {
      kind: 'accounts',
      singular: 'account',
      rows: accountRows(accountBody),
      get: (key) => directory.getAccount(key),
      upsert: async (entry) => ({ created: (await directory.upsertAccount(entry)).created }),
      all: () => allOf((limit, cursor) => directory.listAccounts(limit, cursor)),
      audited: (a) => ({ segment: a.segment ?? null, region: a.region, namedDirect: Boolean(a.directOwner) }),
    } satisfies KindSpec<Parameters<typeof directory.upsertAccount>[0]>,
    {
      kind: 'people',
      singular: 'person',
      rows: personRows(personBody),
      get: (key) => directory.getPerson(key),
      upsert: (entry) => directory.upsertPerson(entry),
      all: () => allOf((limit, cursor) => directory.listPeople(limit, cursor)),
      audited: (p) => ({ escalationRoles: p.escalationRoles, regions: p.regions }),
    } satisfies KindSpec<Parameters<typeof directory.upsertPerson>[0]>,
  ] as unknown as KindSpec<never>[];

  for (const spec of kinds) {
    table.add({
      method: 'post',
      path: `/api/directory/${spec.kind}/import`,
      summary: `Import ${spec.kind} from CSV (columns ${spec.rows.columns.join(', ')})`,
      tag: 'Directory',
      roles: ['admin'],
      query: importQuery,
      body: z
        .string()
        .max(5_000_000)
        .describe(`CSV with a header row: ${spec.rows.columns.join(',')}`),
      bodyContentType: 'text/csv',
      responses: {
        200: { description: 'What happened to every row, by its line number', schema: reportSchema },
        400: { description: 'The CSV cannot be read, or a column is missing' },
        413: { description: `Over ${MAX_IMPORT_ROWS} rows: split the file` },
      },
      handler: async ({ query, body, principal, req }) => {
        const report = await importRows(spec, body, query, principal, (done, total) =>
          req.log.info({ kind: spec.kind, done, total }, 'directory import progress'),
        );
        return { status: 200, body: report };
      },
    });

    table.add({
      method: 'get',
      path: `/api/directory/${spec.kind}/export`,
      summary: `Export every ${spec.singular} as CSV, in the columns the import reads`,
      tag: 'Directory',
      roles: ['admin', 'ops', 'manager'],
      responses: { 200: { description: `Every ${spec.singular}`, schema: z.string(), contentType: 'text/csv' } },
      handler: async () => {
        const entries = await spec.all();
        return {
          status: 200,
          text: {
            contentType: 'text/csv; charset=utf-8',
            body: toCsv(spec.rows.columns, entries.map(spec.rows.write)),
          },
        };
      },
    });
  }

  async function importRows(
    spec: KindSpec<never>,
    text: string,
    query: { dryRun: boolean; lineOffset: number },
    principal: Principal,
    progress: (done: number, total: number) => void,
  ): Promise<Report> {
    const parsed = csvRowsOf(text, {
      columns: spec.rows.columns,
      lineOffset: query.lineOffset,
      maxRows: MAX_IMPORT_ROWS,
    });
    const report: Report = {
      dryRun: query.dryRun,
      rows: parsed.rows.length,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      lines: [],
    };
    const seen = new Map<string, number>();
    for (const [index, row] of parsed.rows.entries()) {
      const line = row.line + query.lineOffset;
      const reading = spec.rows.read(row.cells);
      const errors = [
        ...(row.width !== undefined
          ? [{ column: 'row', message: `${row.width} cells where the header has ${parsed.header.length}` }]
          : []),
        ...('errors' in reading ? reading.errors : []),
      ];
      const earlier = reading.key !== undefined ? seen.get(reading.key) : undefined;
      if (earlier !== undefined)
        errors.push({ column: spec.rows.columns[0], message: `line ${earlier} has it already` });
      if (reading.key !== undefined && earlier === undefined) seen.set(reading.key, line);
      if (errors.length || 'errors' in reading) {
        report.failed += 1;
        report.lines.push({ line, ...(reading.key ? { key: reading.key } : {}), outcome: 'failed', errors });
        continue;
      }
      const existing = await spec.get(reading.key);
      const outcome = !existing ? 'created' : sameEntry(existing, reading.entry) ? 'unchanged' : 'updated';
      if (!query.dryRun && outcome !== 'unchanged') {
        await spec.upsert(reading.entry);
        await store.audit.append(`import:${randomUUID()}`, {
          subject: `directory:${spec.singular}:${reading.key}`,
          at: new Date().toISOString(),
          actor: principal.subject,
          action: `${spec.singular}.${outcome}`,
          detail: { ...spec.audited(reading.entry), import: true },
        });
      }
      report[outcome] += 1;
      report.lines.push({ line, key: reading.key, outcome });
      if ((index + 1) % PROGRESS_EVERY === 0) progress(index + 1, parsed.rows.length);
    }
    return report;
  }
}
