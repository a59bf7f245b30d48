import { useEffect, useRef, useState } from 'react';
import type { CreatedKey } from './types';

/** The secret of a key just created: shown this once, with a copy button. */
export function NewKeySecret({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const [copied, setCopied] = useState<'' | 'copied' | 'failed'>('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="card new-key" aria-labelledby="new-key-heading">
      <h2 id="new-key-heading" ref={heading} tabIndex={-1}>
        Key “{created.name}” created
      </h2>
      <p className="notice notice-warning">
        Copy this key now: it will not be shown again. Only its hash is kept, so a lost key cannot be recovered — revoke
        it and create another.
      </p>
      <label htmlFor="new-key-secret">Secret key</label>
      <div className="secret-row">
        <input id="new-key-secret" className="secret" readOnly value={created.key} onFocus={(e) => e.target.select()} />
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy key
        </button>
      </div>
      <p role="status" className="field-hint">
        {copied === 'copied'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'The browser did not allow copying: select the key and copy it yourself.'
            : ''}
      </p>
      <p className="field-hint">
        Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <div className="actions">
        <button type="button" onClick={onDone}>
          I have copied the key
        </button>
      </div>
    </section>
  );
}
