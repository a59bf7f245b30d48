import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Store } from '../../store';
import { allOf } from '../../store/directory';
import { accountSegmentSchema, regionSchema } from '../../domain/schemas/directory';
import { currencyCodeSchema } from '../../domain/currencyCode';
import { fieldErrorMap, issuesToFieldErrors } from '../../domain/fieldErrors';
import { toCsv, type parseCsv } from '../../imports/csv';
import { csvRowsOf, importQuery } from '../csvBodies';
import type { MigratedRegistration, RegistrationView } from '../../../workflows/registration/contract';
import { registrationCommands } from '../registrationCommands';
import type { RouteTable } from '../routes';
import { domainSchema } from '../schemas';
import { registrationFacts } from './registrations';

// Registrations brought over from another PRM, with their original submission time and status:
// an ended one is recorded as it ended; an approved or reviewed one lives on here as a process
// (its claim, its expiry, its review). Idempotent per row: the id comes from source + externalId.

const COLUMNS = [
  'externalId',
  'partnerId',
  'accountName',
  'domain',
  'region',
  'segment',
  'title',
  'productLine',
  'amount',
  'currency',
  'expectedCloseDate',
  'submittedAt',
  'status',
  'decidedAt',
  'expiresAt',
  'closedOn',
  'wonAmount',
] as const;
const REQUIRED = COLUMNS.filter((c) => !['segment', 'decidedAt', 'expiresAt', 'closedOn', 'wonAmount'].includes(c));
export const MAX_REGISTRATION_IMPORT_ROWS = 2_000;
/** Registrations started at once: the engine's intake, not one at a time. */
const PARALLEL = 8;

const optional = (cell: string | undefined) => (cell === undefined || cell.trim() === '' ? undefined : cell.trim());
const instant = z.iso
  .datetime({ offset: true })
  .refine((t) => Date.parse(t) <= Date.now(), 'must not be in the future');

const rowSchema = z
  .object({
    externalId: z.string().trim().min(1).max(200),
    partnerId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a partner id of the directory'),
    accountName: z.string().trim().min(1).max(200),
    domain: domainSchema,
    region: regionSchema,
    segment: accountSegmentSchema.optional(),
    title: z.string().trim().min(1).max(300),
    productLine: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a lowercase product line id such as "analytics"'),
    amount: z.coerce.number().nonnegative().max(1e12),
    currency: currencyCodeSchema,
    expectedCloseDate: z.iso.date(),
    submittedAt: instant,
    status: z.enum(['pending_review', 'approved', 'rejected', 'won', 'lost', 'expired', 'withdrawn']),
    decidedAt: instant.optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    closedOn: z.iso.date().optional(),
    wonAmount: z.coerce.number().nonnegative().max(1e12).optional(),
  })
  .superRefine((row, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (row.decidedAt && row.decidedAt < row.submittedAt) issue('decidedAt', 'must not be before submittedAt');
    if (row.expiresAt && row.status !== 'approved') issue('expiresAt', 'only an approved registration has one');
    if (row.expiresAt && Date.parse(row.expiresAt) <= Date.now())
      issue('expiresAt', 'has passed: import the registration as expired');
    if (row.closedOn && row.status !== 'won' && row.status !== 'lost')
      issue('closedOn', 'only a won or lost deal has one');
    if (row.wonAmount !== undefined && row.status !== 'won') issue('wonAmount', 'only a won deal has one');
  });

const reportSchema = z.object({
  dryRun: z.boolean(),
  source: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  unchanged: z.number().int().describe('Imported before: the same source and externalId'),
  failed: z.number().int(),
  lines: z.array(
    z.object({
      line: z.number().int(),
      externalId: z.string().optional(),
      registrationId: z.string().optional(),
      outcome: z.enum(['created', 'unchanged', 'failed']),
      status: z.string().optional().describe('The registration’s status here after the import'),
      errors: z.array(z.object({ column: z.string(), message: z.string() })).optional(),
    }),
  ),
});
type Report = z.infer<typeof reportSchema>;

const registrationIdOf = (source: string, externalId: string) =>
  `reg-${createHash('sha256').update(`${source}\u0000${externalId}`).digest('hex').slice(0, 16)}`;

export function registrationImportRoutes(
  table: RouteTable,
  deps: { store: Store; temporal: Client; taskQueue: string },
) {
  const { store } = deps;
  const commands = registrationCommands(deps.temporal, deps.taskQueue, store);

  table.add({
    method: 'post',
    path: '/api/registrations/import',
    summary: `Import registrations from another PRM as CSV (columns ${COLUMNS.join(', ')})`,
    tag: 'Registrations',
    roles: ['admin'],
    query: importQuery.extend({
      source: z.string().trim().min(1).max(100).default('another PRM').describe('The PRM the rows come from'),
    }),
    body: z
      .string()
      .max(5_000_000)
      .describe(`CSV with a header row: ${COLUMNS.join(',')}`),
    bodyContentType: 'text/csv',
    responses: {
      200: { description: 'What happened to every row, by its line number', schema: reportSchema },
      400: { description: 'The CSV cannot be read, or a column is missing' },
      413: { description: `Over ${MAX_REGISTRATION_IMPORT_ROWS} rows: split the file` },
    },
    handler: async ({ query, body, req }) => {
      const parsed = csvRowsOf(body, {
        columns: REQUIRED,
        lineOffset: query.lineOffset,
        maxRows: MAX_REGISTRATION_IMPORT_ROWS,
      });
      const report: Report = {
        dryRun: query.dryRun,
        source: query.source,
        rows: parsed.rows.length,
        created: 0,
        unchanged: 0,
        failed: 0,
        lines: [],
      };
      const lines: Report['lines'] = new Array(parsed.rows.length);
      const seen = new Map<string, number>();
      let next = 0;
      let done = 0;
      const work = async () => {
        for (let index = next++; index < parsed.rows.length; index = next++) {
          lines[index] = await importRow(parsed.rows[index], query, seen);
          if (++done % 100 === 0) req.log.info({ done, total: parsed.rows.length }, 'registration import progress');
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, work));
      for (const line of lines) {
        report.lines.push(line);
        report[line.outcome] += 1;
      }
      return { status: 200, body: report };
    },
  });

  async function importRow(
    row: ReturnType<typeof parseCsv>['rows'][number],
    query: { dryRun: boolean; source: string; lineOffset: number },
    seen: Map<string, number>,
  ): Promise<Report['lines'][number]> {
    const line = row.line + query.lineOffset;
    const cells = Object.fromEntries(COLUMNS.map((c) => [c, optional(row.cells[c])]));
    const parsed = rowSchema.safeParse(cells, { error: fieldErrorMap });
    const externalId = optional(row.cells.externalId);
    const failed = (errors: { column: string; message: string }[]) => ({
      line,
      ...(externalId ? { externalId } : {}),
      outcome: 'failed' as const,
      errors,
    });
    if (!parsed.success) {
      return failed(
        issuesToFieldErrors(parsed.error.issues).map((e) => ({
          column: e.path.split('.')[0] || 'row',
          message: e.message,
        })),
      );
    }
    const r = parsed.data;
    const earlier = seen.get(r.externalId);
    if (earlier !== undefined) return failed([{ column: 'externalId', message: `line ${earlier} has it already` }]);
    seen.set(r.externalId, line);
    const registrationId = registrationIdOf(query.source, r.externalId);
    const existing = await store.registrations.get(registrationId);
    if (existing)
      return { line, externalId: r.externalId, registrationId, outcome: 'unchanged', status: existing.status };
    if (!(await store.directory.getPartner(r.partnerId))) {
      return failed([{ column: 'partnerId', message: `no partner ${r.partnerId} in the directory` }]);
    }
    if (query.dryRun) return { line, externalId: r.externalId, registrationId, outcome: 'created', status: r.status };
    const migrated: MigratedRegistration = {
      source: query.source,
      externalId: r.externalId,
      status: r.status,
      ...(r.decidedAt ? { decidedAt: new Date(r.decidedAt).toISOString() } : {}),
      ...(r.expiresAt ? { expiresAt: new Date(r.expiresAt).toISOString() } : {}),
      ...(r.closedOn ? { closedOn: r.closedOn } : {}),
      ...(r.wonAmount !== undefined ? { wonAmount: { value: r.wonAmount, currency: r.currency } } : {}),
    };
    const facts = await registrationFacts(
      store,
      r.partnerId,
      {
        account: {
          name: r.accountName,
          domain: r.domain,
          region: r.region,
          ...(r.segment ? { segment: r.segment } : {}),
        },
        opportunity: {
          title: r.title,
          productLine: r.productLine,
          amount: { value: r.amount, currency: r.currency },
          expectedCloseDate: r.expectedCloseDate,
        },
      },
      new Date(r.submittedAt).toISOString(),
    );
    const view: RegistrationView = await commands.submit({ ...facts, registrationId, migrated });
    return { line, externalId: r.externalId, registrationId, outcome: 'created', status: view.status };
  }

  table.add({
    method: 'get',
    path: '/api/registrations/export',
    summary: 'Export registrations as CSV, in the columns the import reads (plus id and policyVersion)',
    tag: 'Registrations',
    roles: ['admin', 'ops'],
    responses: { 200: { description: 'Every registration', schema: z.string(), contentType: 'text/csv' } },
    handler: async () => {
      const rows = (await allOf((limit, cursor) => store.registrations.list({}, limit, cursor))).map(exportRow);
      return {
        status: 200,
        text: { contentType: 'text/csv; charset=utf-8', body: toCsv(['id', ...COLUMNS, 'policyVersion'], rows) },
      };
    },
  });
}

function exportRow(v: RegistrationView): Record<string, string> {
  return {
    id: v.id,
    externalId: v.id,
    partnerId: v.partnerId,
    accountName: v.account.name,
    domain: v.account.domain,
    region: v.account.region,
    segment: v.account.segment ?? '',
    title: v.opportunity.title,
    productLine: v.opportunity.productLine,
    amount: String(v.opportunity.amount.value),
    currency: v.opportunity.amount.currency,
    expectedCloseDate: v.opportunity.expectedCloseDate,
    submittedAt: v.submittedAt,
    status: v.status,
    decidedAt:
      v.decision && v.decision.outcome !== 'pending_review' && v.decision.outcome !== 'in_conflict'
        ? v.decision.decidedAt
        : '',
    expiresAt: v.status === 'approved' ? (v.expiresAt ?? '') : '',
    closedOn: v.closure?.closedOn ?? '',
    wonAmount: v.closure?.outcome === 'won' && v.closure.amount ? String(v.closure.amount.value) : '',
    policyVersion: String(v.policyVersion),
  };
}
