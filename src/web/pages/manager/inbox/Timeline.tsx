import { When } from '../../../ui/time';

/** What happened, oldest first, each step with its local time (UTC on hover). */
export function Timeline({
  entries,
  describe,
}: {
  entries: { at: string; event: string; detail: string }[];
  describe: (event: string) => string;
}) {
  if (entries.length === 0) return <p className="empty">Nothing has happened yet.</p>;
  return (
    <ol className="timeline">
      {entries.map((entry, index) => (
        <li key={`${entry.at}-${index}`}>
          <span className="when">
            <When at={entry.at} />
          </span>
          <br />
          <strong>{describe(entry.event)}</strong>
          {entry.detail ? ` — ${entry.detail}` : ''}
        </li>
      ))}
    </ol>
  );
}
