import { When } from '../../ui/time';

// Any JSON value an operator reads (a workflow's state, an audit event's detail) as key–value
// facts in words: keys spelled out, instants in the viewer's zone, nested values indented.

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** A code word such as a status or role ("pending_review", "channel_manager"), read as words. */
const CODE_WORD = /^[a-z]+(_[a-z]+)+$/;

/** "decidedAt" → "Decided at", "policy_version" → "Policy version". */
export function wordsOfKey(key: string): string {
  const spaced = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="facts-none">none</span>;
  if (typeof value === 'boolean') return <>{value ? 'yes' : 'no'}</>;
  if (typeof value === 'string') {
    if (ISO_INSTANT.test(value)) return <When at={value} />;
    return <>{CODE_WORD.test(value) ? value.replace(/_/g, ' ') : value}</>;
  }
  if (typeof value === 'number') return <>{value.toLocaleString('en-GB')}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="facts-none">none</span>;
    if (value.every((v) => typeof v !== 'object' || v === null))
      return <>{value.map((v) => (v === null ? 'none' : String(v))).join(', ')}</>;
    return (
      <ol className="facts-list">
        {value.map((item, index) => (
          <li key={index}>
            <Value value={item} />
          </li>
        ))}
      </ol>
    );
  }
  if (isRecord(value)) return <Facts value={value} />;
  return <>{String(value)}</>;
}

/** A record as a definition list; any other value in words. */
export function Facts({ value }: { value: unknown }) {
  if (!isRecord(value)) return <Value value={value} />;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return <span className="facts-none">nothing recorded</span>;
  return (
    <dl className="facts ops-facts">
      {entries.map(([key, v]) => (
        <div key={key} className="ops-fact">
          <dt>{wordsOfKey(key)}</dt>
          <dd>
            <Value value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
