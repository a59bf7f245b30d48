import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { ErrorNotice, Loading } from '../../ui/notices';
import { CreateKeyForm } from './apiKeys/CreateKeyForm';
import { KeyList } from './apiKeys/KeyList';
import { NewKeySecret } from './apiKeys/NewKeySecret';
import type { CreatedKey } from './apiKeys/types';
import './directory/directory.css';
import './apiKeys/apiKeys.css';

// Service API keys: a partner's CRM or an internal tool calls the API with one. The secret is
// shown once, when the key is created; only its hash is kept.

export default function ApiKeys() {
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => call(api.GET('/api/api-keys')) });
  const [created, setCreated] = useState<CreatedKey>();
  const [outcome, setOutcome] = useState('');

  return (
    <section className="api-keys">
      <h1>API keys</h1>
      <p className="lead">Keys for services that call the API on their own: each acts as the role it is granted.</p>
      <p role="status" className={outcome ? 'notice notice-ok' : 'visually-hidden'}>
        {outcome}
      </p>
      {created ? (
        <NewKeySecret
          created={created}
          onDone={() => {
            setCreated(undefined);
            setOutcome(`Key “${created.name}” is active.`);
          }}
        />
      ) : null}
      <div className="split">
        <div className="editor">
          <CreateKeyForm
            onCreated={(key) => {
              setOutcome('');
              setCreated(key);
            }}
          />
        </div>
        <section aria-labelledby="keys-heading">
          <h2 id="keys-heading">Keys</h2>
          {keys.isPending ? <Loading what="API keys" /> : null}
          <ErrorNotice error={keys.error} />
          {keys.data ? (
            <KeyList
              keys={keys.data.items}
              onRevoked={(text) => {
                setCreated(undefined);
                setOutcome(text);
              }}
            />
          ) : null}
        </section>
      </div>
    </section>
  );
}
