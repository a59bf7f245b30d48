import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** One data row of a CSV file: its line number in the file (the header is line 1) and its cells by column. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
  /** How many cells the row has, when not as many as the header. */
  width?: number;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * RFC 4180 text (quoted fields, doubled quotes, CRLF or LF, a BOM) read by its header row. A row
 * with more or fewer cells than the header is kept: the import reports it on its own line.
 */
export function parseCsv(text: string): { header: string[]; rows: CsvRow[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    if (error instanceof CsvError) {
      throw new CsvSyntaxError(
        Number(error.lines ?? 1),
        error.message.replace(/: the parsing is finished.*$/, '').toLowerCase(),
      );
    }
    throw error;
  }
  const [first, ...rest] = records;
  if (!first) return { header: [], rows: [] };
  const header = first.record.map((name) => name.trim());
  const rows = rest.map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries(header.map((name, i) => [name, undefused(record[i] ?? '')])),
    ...(record.length !== header.length ? { width: record.length } : {}),
  }));
  return { header, rows };
}

/** CSV with a header row; a cell starting with = + - @ is prefixed with ' so no spreadsheet runs it. */
export function toCsv(header: readonly string[], rows: readonly Record<string, string>[]): string {
  return stringify(
    rows.map((row) => header.map((name) => defused(row[name] ?? ''))),
    { header: true, columns: [...header], record_delimiter: 'windows' },
  );
}

const defused = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
/** What `defused` wrote reads back as it was: an export imports unchanged. */
const undefused = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);
