import type { OidcCallbacks, OidcConfig, OidcSession } from './oidcTypes';

// OpenID Connect sign-in (authorization code + PKCE) against the issuer the API trusts. The
// tokens stay in memory; a reload signs in again silently when the issuer's session allows.

export type { OidcCallbacks, OidcConfig, OidcSession } from './oidcTypes';

/** Completes a sign-in redirect, or tries a silent sign-in; resolves to the session either way. */
export async function oidcSignIn(config: OidcConfig, callbacks: OidcCallbacks): Promise<OidcSession> {
  const { startOidcSession } = await import('./oidcSession');
  return startOidcSession(config, callbacks);
}
