// The draft editor's two views of one policy document: a form field for each common setting and
// the rest as JSON ("Policy document"). Each value lives in exactly one of them, so nothing is
// edited twice; saving merges them back into the document the API checks.

export type PolicyDocumentJson = Record<string, unknown>;

export interface DocumentField {
  /** The field's path in the document, as the API's 400 names it. */
  path: string;
  label: string;
  kind: 'text' | 'duration' | 'integer' | 'amount' | 'currency';
  hint?: string;
  /** Empty means "left out of the document"; `removes` names the object that goes with it. */
  optional?: { removes?: string };
}

export const DOCUMENT_FIELDS: readonly DocumentField[] = [
  { path: 'title', label: 'Title', kind: 'text' },
  { path: 'noticePeriod', label: 'Notice period', kind: 'duration', hint: 'How long partners are told in advance.' },
  {
    path: 'currency',
    label: 'Base currency',
    kind: 'currency',
    hint: 'ISO 4217 code (EUR when empty); thresholds are in it.',
    optional: {},
  },
  {
    path: 'registration.review.autoApprove.maxAmount',
    label: 'Auto-approve up to',
    kind: 'amount',
    hint: 'In the base currency, for the tiers the document names. Empty: no auto-approval.',
    optional: { removes: 'registration.review.autoApprove' },
  },
  { path: 'registration.validity', label: 'Registration validity', kind: 'duration' },
  { path: 'registration.extensions.max', label: 'Extensions allowed', kind: 'integer' },
  { path: 'registration.extensions.length', label: 'Extension length', kind: 'duration' },
  { path: 'registration.staleAfter', label: 'Stale after', kind: 'duration', optional: {} },
  { path: 'registration.review.sla', label: 'Review SLA', kind: 'duration', hint: 'Time for a manager to decide.' },
  { path: 'conflicts.appealWindow', label: 'Appeal window', kind: 'duration' },
];

export const DURATION_HINT = 'ISO 8601 duration: P30D is 30 days, P2W two weeks, PT48H 48 hours.';

/** The form's name for a field (react-hook-form reads dots as nesting). */
export const fieldName = (field: DocumentField): string => field.path.replace(/\./g, '_');

export interface EditorValues {
  fields: Record<string, string>;
  document: string;
}

/** Splits a document into the form's fields and the rest, shown as JSON. */
export function editorValuesOf(document: PolicyDocumentJson): EditorValues {
  const rest = structuredClone(document);
  const fields: Record<string, string> = {};
  for (const field of DOCUMENT_FIELDS) {
    const value = valueAt(document, field.path);
    fields[fieldName(field)] = value === undefined || value === null ? '' : String(value);
    removeAt(rest, field.path);
  }
  return { fields, document: documentText(rest) };
}

export type Merged =
  | { ok: true; document: PolicyDocumentJson }
  | { ok: false; fieldErrors: Record<string, string>; documentError?: string };

/** The document the form describes, or what is wrong with it before the API is asked. */
export function documentOf(values: EditorValues): Merged {
  let rest: unknown;
  try {
    rest = JSON.parse(values.document);
  } catch (error) {
    return { ok: false, fieldErrors: {}, documentError: `not valid JSON: ${(error as Error).message}` };
  }
  if (!rest || typeof rest !== 'object' || Array.isArray(rest))
    return { ok: false, fieldErrors: {}, documentError: 'must be a JSON object: { … }' };
  const document = rest as PolicyDocumentJson;
  const fieldErrors: Record<string, string> = {};
  for (const field of DOCUMENT_FIELDS) {
    const text = (values.fields[fieldName(field)] ?? '').trim();
    if (!text) {
      if (field.optional) removeAt(document, field.optional.removes ?? field.path);
      else fieldErrors[field.path] = 'required';
      continue;
    }
    const parsed = parsedValue(field, text);
    if (typeof parsed === 'object') fieldErrors[field.path] = parsed.problem;
    else setAt(document, field.path, parsed);
  }
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : { ok: true, document };
}

// The same formats the API checks (src/domain/duration.ts, currencyCode.ts); the API has the last word.
const DURATION_PATTERN = /^P(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

function parsedValue(field: DocumentField, text: string): string | number | { problem: string } {
  switch (field.kind) {
    case 'duration':
      return DURATION_PATTERN.test(text) && text !== 'P' && !text.endsWith('T')
        ? text
        : { problem: `expected an ISO 8601 duration such as "P90D", "P2W" or "PT48H"` };
    case 'currency':
      return /^[A-Z]{3}$/.test(text) ? text : { problem: 'expected a three-letter ISO 4217 code, such as "EUR"' };
    case 'integer':
      return /^\d+$/.test(text) ? Number(text) : { problem: 'must be a whole number' };
    case 'amount': {
      const amount = Number(text);
      return Number.isFinite(amount) && amount > 0 ? amount : { problem: 'must be a positive number' };
    }
    default:
      return text;
  }
}

/** The field an API error belongs to, if the form has one for its path. */
export function fieldForPath(path: string): DocumentField | undefined {
  return DOCUMENT_FIELDS.find((field) => path === field.path || path.startsWith(`${field.path}.`));
}

// ---------------------------------------------------------------- the JSON text and its lines

export const documentText = (value: unknown): string => JSON.stringify(value, null, 2);

/**
 * The line (1-based) of each path in `documentText(value)`, so an error for `routes.1.route` can
 * point at its line. Mirrors JSON.stringify's two-space layout.
 */
export function linesOfPaths(value: unknown): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  const walk = (node: unknown, path: string) => {
    lines.set(path, line);
    if (node && typeof node === 'object') {
      const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
      if (entries.length === 0) return;
      for (const [key, child] of entries) {
        line += 1;
        walk(child, path ? `${path}.${key}` : key);
      }
      line += 1; // the closing bracket
    }
  };
  walk(value, '');
  return lines;
}

/** The line of a path, or of its nearest ancestor that the document has. */
export function lineOf(lines: Map<string, number>, path: string): number {
  const parts = path ? path.split('.') : [];
  while (parts.length > 0 && !lines.has(parts.join('.'))) parts.pop();
  return lines.get(parts.join('.')) ?? 1;
}

// ---------------------------------------------------------------- paths

function valueAt(document: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
}

function setAt(document: PolicyDocumentJson, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = document;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function removeAt(document: PolicyDocumentJson, path: string): void {
  const keys = path.split('.');
  const parent = valueAt(document, keys.slice(0, -1).join('.') || '') ?? document;
  const owner = keys.length === 1 ? document : parent;
  if (isObject(owner)) delete owner[keys[keys.length - 1]];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);
