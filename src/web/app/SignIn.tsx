import { useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorNotice, Loading } from '../ui/notices';

/** Sign-in: each development principal as a button named for who it is, or single sign-on. */
export function SignIn() {
  const { state, config, signInWithDevToken, signInWithOidc } = useSession();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const reason = state.status === 'signed-out' ? state.reason : undefined;

  const attempt = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await step();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to RoE Orchestrator</h1>
      <p className="lead">Partner Rules of Engagement: registrations, conflict cases, policies and rollouts.</p>
      {reason ? (
        <p role="status" className="notice notice-warning">
          {reason}
        </p>
      ) : null}
      <ErrorNotice error={error} />
      {!config ? <Loading what="sign-in options" /> : null}
      {config?.oidc ? (
        <section aria-labelledby="sso">
          <h2 id="sso">Your organisation’s account</h2>
          <button type="button" className="primary" disabled={busy} onClick={() => attempt(signInWithOidc)}>
            Sign in with single sign-on
          </button>
        </section>
      ) : null}
      {config && config.devSignIn.length > 0 ? (
        <section aria-labelledby="dev">
          <h2 id="dev">Development sign-in</h2>
          <p>Development tokens are on: choose who you are.</p>
          <ul className="principal-list">
            {config.devSignIn.map((p) => (
              <li key={p.token}>
                <button type="button" disabled={busy} onClick={() => attempt(() => signInWithDevToken(p.token))}>
                  {p.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {config && !config.oidc && config.devSignIn.length === 0 ? (
        <p className="notice notice-warning">
          No sign-in is configured on this server: set AUTH_ISSUER, AUTH_AUDIENCE and AUTH_CLIENT_ID.
        </p>
      ) : null}
    </main>
  );
}
