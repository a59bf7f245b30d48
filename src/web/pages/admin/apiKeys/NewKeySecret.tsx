import { SecretOnce } from '../../../ui/SecretOnce';
import type { CreatedKey } from './types';

/** The secret of a key just created: shown this once, with a copy button. */
export function NewKeySecret({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  return (
    <SecretOnce
      id="new-key"
      heading={`Key “${created.name}” created`}
      warning="Copy this key now: it will not be shown again. Only its hash is kept, so a lost key cannot be recovered — revoke it and create another."
      label="Secret key"
      secret={created.key}
      copyLabel="Copy key"
      doneLabel="I have copied the key"
      onDone={onDone}
    >
      <p className="field-hint">
        Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
    </SecretOnce>
  );
}
