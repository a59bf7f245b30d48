import { z } from 'zod';
import { CsvSyntaxError, parseCsv } from '../imports/csv';
import { Problem, badRequest } from './problem';

// What every CSV import reads the same way: the dry run and line offset of its query, and its
// body as rows, refusing unreadable CSV, missing columns and too many rows before any row is read.

export const importQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('true: validate and report, write nothing'),
  lineOffset: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .default(0)
    .describe('added to every line number: a part of a bigger file reports the lines of the whole file'),
});

/** The body's rows, or a 400 naming the line or the missing columns, or a 413 over `maxRows`. */
export function csvRowsOf(
  text: string,
  expect: { columns: readonly string[]; lineOffset: number; maxRows: number },
): ReturnType<typeof parseCsv> {
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    const message = `line ${error.line + expect.lineOffset}: ${error.message.replace(/^line \d+: /, '')}`;
    throw badRequest(`body: ${message}`, [{ path: 'body', message }]);
  }
  const missing = expect.columns.filter((column) => !parsed.header.includes(column));
  if (parsed.header.length === 0 || missing.length) {
    const message = `the header row must name the columns ${expect.columns.join(', ')}; missing: ${missing.join(', ')}`;
    throw badRequest(`body: ${message}`, [{ path: 'body', message }]);
  }
  if (parsed.rows.length > expect.maxRows) {
    throw new Problem(
      413,
      'body-too-large',
      `${parsed.rows.length} rows: at most ${expect.maxRows} per import, split the file`,
    );
  }
  return parsed;
}
