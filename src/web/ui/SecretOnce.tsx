import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A secret shown this once (a new API key, a webhook's signing secret), with a copy button. Its
 * heading takes the focus, so keyboard and screen reader users land on what they must copy.
 */
export function SecretOnce({
  id,
  heading,
  warning,
  label,
  secret,
  copyLabel,
  doneLabel,
  onDone,
  children,
}: {
  id: string;
  heading: string;
  warning: ReactNode;
  label: string;
  secret: string;
  copyLabel: string;
  doneLabel: string;
  onDone: () => void;
  /** How to use the secret, under it. */
  children?: ReactNode;
}) {
  const [copied, setCopied] = useState<'' | 'copied' | 'failed'>('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [secret]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="card secret-once" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} ref={headingRef} tabIndex={-1}>
        {heading}
      </h2>
      <p className="notice notice-warning">{warning}</p>
      <label htmlFor={`${id}-secret`}>{label}</label>
      <div className="secret-row">
        <input id={`${id}-secret`} className="secret" readOnly value={secret} onFocus={(e) => e.target.select()} />
        <button type="button" className="primary" onClick={() => void copy()}>
          {copyLabel}
        </button>
      </div>
      <p role="status" className="field-hint">
        {copied === 'copied'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'The browser did not allow copying: select the secret and copy it yourself.'
            : ''}
      </p>
      {children}
      <div className="actions">
        <button type="button" onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </section>
  );
}
