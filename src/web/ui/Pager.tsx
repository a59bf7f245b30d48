// "Previous page" and "Next page" through a list the API pages by cursor: `cursors` are those of
// the pages before this one (empty on the first page), so going back is dropping the last.

export function Pager({
  cursors,
  nextCursor,
  onChange,
}: {
  cursors: string[];
  nextCursor?: string;
  onChange: (cursors: string[]) => void;
}) {
  return (
    <div className="pager">
      {cursors.length > 0 ? (
        <button type="button" onClick={() => onChange(cursors.slice(0, -1))}>
          Previous page
        </button>
      ) : null}
      {nextCursor ? (
        <button type="button" onClick={() => onChange([...cursors, nextCursor])}>
          Next page
        </button>
      ) : null}
    </div>
  );
}
