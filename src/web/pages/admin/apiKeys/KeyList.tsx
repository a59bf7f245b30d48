import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { Empty, ErrorNotice, StatusBadge } from '../../../ui/notices';
import { When } from '../../../ui/time';
import { grantInWords, type ApiKey } from './types';

/** Every key (never the secret), newest first, each live one with "Revoke" behind a confirmation. */
export function KeyList({ keys, onRevoked }: { keys: ApiKey[]; onRevoked: (words: string) => void }) {
  const [confirming, setConfirming] = useState<string>();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: async (revoked) => {
      setConfirming(undefined);
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
      onRevoked(`Revoked “${revoked.name}”: calls with it are now refused.`);
    },
  });
  if (keys.length === 0) return <Empty>No API keys yet.</Empty>;
  const newestFirst = [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <ErrorNotice error={revoke.error} />
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Acts as</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((key) => (
              <tr key={key.id} className={confirming === key.id ? 'selected' : undefined}>
                <td>
                  {key.name}
                  <br />
                  <span className="field-hint">
                    id <code>{key.id}</code>
                  </span>
                </td>
                <td>{grantInWords(key.principal)}</td>
                <td>
                  <When at={key.createdAt} />
                </td>
                <td>
                  {key.revokedAt ? (
                    <>
                      <StatusBadge status="revoked" /> <When at={key.revokedAt} />
                    </>
                  ) : (
                    <StatusBadge status="active" />
                  )}
                </td>
                <td>
                  {key.revokedAt ? null : confirming === key.id ? (
                    <div className="confirm" role="group" aria-label={`Confirm revoking ${key.name}`}>
                      <p>Revoke “{key.name}”? Anything using it gets 401 from now on; this cannot be undone.</p>
                      <div className="actions">
                        <button
                          type="button"
                          className="danger"
                          disabled={revoke.isPending}
                          onClick={() => revoke.mutate(key.id)}
                        >
                          Yes, revoke
                        </button>
                        <button type="button" onClick={() => setConfirming(undefined)}>
                          Keep it
                        </button>
                      </div>
                    </div>
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => setConfirming(key.id)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
