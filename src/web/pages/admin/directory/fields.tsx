import { useEffect, useRef, type ReactNode } from 'react';
import { ApiProblem } from '../../../api/problem';
import { ErrorNotice } from '../../../ui/notices';

// What the directory's editors share: the heading they open on, the API's refusal placed at its
// fields or in words, and Save / Cancel.

/** The editor's heading, focused whenever the editor opens on an entry (keyboard and screen reader users land in it). */
export function EditorHeading({ entry, children }: { entry: string | undefined; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [entry]);
  return (
    <h3 ref={heading} tabIndex={-1}>
      {children}
    </h3>
  );
}

/** The refusal in words where no field carries it (else a pointer to the marked fields), then Save and Cancel. */
export function EditorFooter({
  error,
  paths,
  saving,
  saveLabel,
  onClose,
}: {
  error: unknown;
  paths: readonly string[];
  saving: boolean;
  saveLabel: string;
  onClose: () => void;
}) {
  const unplaced = unplacedError(error, paths);
  return (
    <>
      <ErrorNotice error={unplaced} />
      {error && !unplaced ? (
        <p role="alert" className="notice notice-error">
          Not saved: correct the fields marked above.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : saveLabel}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </>
  );
}

/** The API's message for a field of the last refused save, if any. */
export function apiFieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiProblem ? error.forField(path) : undefined;
}

/** The refusal's words when no field carries them (a 403, a 409, a lost connection). */
export function unplacedError(error: unknown, paths: readonly string[]): unknown {
  if (!(error instanceof ApiProblem)) return error;
  if (
    error.fieldErrors.length > 0 &&
    error.fieldErrors.every((e) => paths.some((p) => e.path === p || e.path.startsWith(`${p}.`)))
  )
    return undefined;
  return error;
}

/** "emea, na" → ["emea", "na"]. */
export const listFromText = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export const words = (value: string): string => value.replace(/_/g, ' ');
