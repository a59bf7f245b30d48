import type { ReactNode } from 'react';

// A labelled form field whose error (the browser's check or the API's 400) is shown at the field
// and tied to it for screen readers: the hint and the error describe the control, which is invalid
// while an error shows.

/** What the control inside a field takes to be named, described and marked invalid. */
export interface FieldControl {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

export function Field({
  id,
  label,
  hint,
  error,
  describedAlsoBy = [],
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  /** Ids of hints shared with other fields, read after the field's own hint. */
  describedAlsoBy?: string[];
  children: (control: FieldControl) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : '', ...describedAlsoBy, error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(described ? { 'aria-describedby': described } : {}) })}
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
