import { useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { bearerToken, reportUnauthorized } from '../../../api/client';
import { ApiProblem, problemFrom } from '../../../api/problem';
import { ErrorNotice } from '../../../ui/notices';
import { downloadCsv } from '../../../api/download';

// A directory section's CSV import (a dry run first, then the import in parts of 500 rows, with
// its progress) and export. The API takes text/csv, which the typed JSON client does not send.

export type CsvKind = 'partners' | 'accounts' | 'people' | 'registrations';

/** Where each kind is imported and exported: the directory's kinds under /api/directory. */
const base = (kind: CsvKind) => (kind === 'registrations' ? '/api/registrations' : `/api/directory/${kind}`);

interface ImportLine {
  line: number;
  key?: string;
  /** A registration's id in the PRM it came from. */
  externalId?: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'failed';
  errors?: { column: string; message: string }[];
}
interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  /** Registrations are created or found unchanged, never updated. */
  updated?: number;
  unchanged: number;
  failed: number;
  lines: ImportLine[];
}

const PART_ROWS = 500;

/**
 * The file as parts of at most PART_ROWS data rows, each with the header and the number of lines
 * before it (so the server reports lines of the whole file). Splits on line ends outside quotes.
 */
export function partsOf(text: string): { csv: string; lineOffset: number }[] {
  const lines: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    if (char === '\n' && !quoted) {
      lines.push(current.replace(/\r$/, ''));
      current = '';
    } else current += char;
  }
  if (current.trim()) lines.push(current.replace(/\r$/, ''));
  const [header, ...rows] = lines;
  if (header === undefined) return [];
  const parts: { csv: string; lineOffset: number }[] = [];
  for (let start = 0; start < rows.length || parts.length === 0; start += PART_ROWS) {
    parts.push({ csv: [header, ...rows.slice(start, start + PART_ROWS)].join('\n') + '\n', lineOffset: start });
  }
  return parts;
}

async function send(
  kind: CsvKind,
  part: { csv: string; lineOffset: number },
  dryRun: boolean,
  extraQuery = '',
): Promise<ImportReport> {
  const token = bearerToken();
  let response: Response;
  try {
    response = await fetch(`${base(kind)}/import?dryRun=${dryRun}&lineOffset=${part.lineOffset}${extraQuery}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: part.csv,
    });
  } catch {
    throw new ApiProblem(0, 'Offline', 'The server cannot be reached.');
  }
  if (response.status === 401) reportUnauthorized();
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw problemFrom(response.status, body);
  return body as ImportReport;
}

const sum = (reports: ImportReport[], dryRun: boolean): ImportReport => ({
  dryRun,
  rows: reports.reduce((n, r) => n + r.rows, 0),
  created: reports.reduce((n, r) => n + r.created, 0),
  updated: reports.reduce((n, r) => n + (r.updated ?? 0), 0),
  unchanged: reports.reduce((n, r) => n + r.unchanged, 0),
  failed: reports.reduce((n, r) => n + r.failed, 0),
  lines: reports.flatMap((r) => r.lines),
});

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export function CsvTransfer({
  kind,
  label,
  columns,
  query = '',
}: {
  kind: CsvKind;
  label: string;
  columns: string;
  /** More of the import's query, e.g. `&source=legacy-prm`. */
  query?: string;
}) {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; parts: { csv: string; lineOffset: number }[] }>();
  const [report, setReport] = useState<ImportReport>();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const run = async (parts: { csv: string; lineOffset: number }[], dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    const reports: ImportReport[] = [];
    const total = parts.reduce((n, p) => n + p.csv.split('\n').length - 2, 0);
    setProgress({ done: 0, total });
    try {
      for (const part of parts) {
        reports.push(await send(kind, part, dryRun, query));
        setProgress({ done: reports.reduce((n, r) => n + r.rows, 0), total });
      }
      setReport(sum(reports, dryRun));
      if (!dryRun) await queryClient.invalidateQueries({ queryKey: ['directory', kind] });
    } catch (problem) {
      setError(problem);
      if (reports.length) setReport(sum(reports, dryRun));
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  };

  const choose = async (chosen: File | undefined) => {
    setReport(undefined);
    setError(undefined);
    if (!chosen) return setFile(undefined);
    const parts = partsOf(await chosen.text());
    setFile({ name: chosen.name, parts });
    await run(parts, true);
  };

  const exportCsv = async () => {
    setError(undefined);
    try {
      await downloadCsv(`${base(kind)}/export`, `${kind}.csv`);
    } catch (problem) {
      setError(problem);
    }
  };

  const failed = report?.lines.filter((l) => l.outcome === 'failed') ?? [];
  const writable = report ? report.created + (report.updated ?? 0) : 0;
  return (
    <div className="csv-transfer">
      <div className="csv-actions">
        <label className="button-like">
          Import {label} from CSV…
          <input
            ref={input}
            type="file"
            accept=".csv,text/csv"
            className="visually-hidden"
            disabled={busy}
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </label>
        <button type="button" onClick={() => void exportCsv()}>
          Export {label} as CSV
        </button>
        <span className="field-hint">Columns: {columns}</span>
      </div>
      {progress ? (
        <p role="status">
          <progress
            max={progress.total}
            value={progress.done}
            aria-label={`Rows of ${file?.name ?? 'the file'} checked`}
          />{' '}
          {progress.done.toLocaleString('en')} of {plural(progress.total, 'row')}…
        </p>
      ) : null}
      <ErrorNotice error={error} />
      {report && file ? (
        <section className="csv-report" aria-label={`Import of ${file.name}`}>
          <p role="status" className={report.failed ? 'notice notice-warning' : 'notice notice-ok'}>
            {report.dryRun ? `Checked ${file.name}: ` : `Imported ${file.name}: `}
            {plural(report.rows, 'row')} — {report.created} {report.dryRun ? 'to create' : 'created'},{' '}
            {kind === 'registrations' ? '' : `${report.updated} ${report.dryRun ? 'to update' : 'updated'}, `}
            {report.unchanged} unchanged, {report.failed} {report.dryRun ? 'failing (not imported)' : 'failed'}.
          </p>
          {failed.length > 0 ? (
            <table>
              <caption>Rows that cannot be imported</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Entry</th>
                  <th scope="col">What is wrong</th>
                </tr>
              </thead>
              <tbody>
                {failed.slice(0, 200).map((line) => (
                  <tr key={line.line}>
                    <td>{line.line}</td>
                    <td>
                      {(line.key ?? line.externalId) ? (
                        <code>{line.key ?? line.externalId}</code>
                      ) : (
                        <span className="field-hint">unknown</span>
                      )}
                    </td>
                    <td>
                      {(line.errors ?? []).map((e) => (
                        <div key={`${e.column}:${e.message}`}>
                          <strong>{e.column}</strong>: {e.message}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {failed.length > 200 ? <p className="field-hint">The first 200 of {failed.length} failing rows.</p> : null}
          {report.dryRun ? (
            <p>
              <button
                type="button"
                className="primary"
                disabled={busy || writable === 0}
                onClick={() => void run(file.parts, false)}
              >
                {writable === 0 ? 'Nothing to import' : `Import ${plural(writable, 'row')}`}
              </button>{' '}
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  setFile(undefined);
                  setReport(undefined);
                  if (input.current) input.current.value = '';
                }}
              >
                Cancel
              </button>
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
