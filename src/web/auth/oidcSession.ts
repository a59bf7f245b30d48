import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { OidcCallbacks, OidcConfig, OidcSession } from './oidcTypes';

// Loaded only when the server names an issuer: development sign-in never downloads this.

export const SIGN_IN_CALLBACK_PATH = '/auth/callback';
export const SILENT_RENEW_PATH = '/auth/silent';

function userManagerFor(config: OidcConfig): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${origin}${SIGN_IN_CALLBACK_PATH}`,
    silent_redirect_uri: `${origin}${SILENT_RENEW_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: config.scope,
    // The access token is for the API (RFC 8707 resource indicator = AUTH_AUDIENCE), asked for
    // on the authorization request and again when the code is exchanged.
    extraQueryParams: { resource: config.audience },
    extraTokenParams: { resource: config.audience },
    // Tokens in memory only; the PKCE verifier and state must survive the redirect, briefly.
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
    // Renew half a minute before the access token expires (through the /auth/silent iframe).
    accessTokenExpiringNotificationTimeInSeconds: 30,
  });
}

export async function startOidcSession(config: OidcConfig, callbacks: OidcCallbacks): Promise<OidcSession> {
  const manager = userManagerFor(config);
  let accessToken: string | undefined;
  const adopt = (token: string | undefined) => {
    accessToken = token;
    if (token) callbacks.onToken(token);
  };
  manager.events.addUserLoaded((user) => adopt(user.access_token));
  manager.events.addAccessTokenExpired(() => {
    accessToken = undefined;
    callbacks.onEnded();
  });
  manager.events.addSilentRenewError(() => undefined);

  if (window.location.pathname === SIGN_IN_CALLBACK_PATH) {
    const user = await manager.signinRedirectCallback();
    adopt(user.access_token);
    const back = typeof user.state === 'string' && user.state.startsWith('/') ? user.state : '/';
    window.history.replaceState(null, '', back);
  } else {
    // A reload: the issuer's own session may still be on, so try without showing anything.
    const user = await manager.signinSilent().catch(() => null);
    adopt(user?.access_token);
  }

  return {
    get accessToken() {
      return accessToken;
    },
    redirectToSignIn: () => manager.signinRedirect({ state: window.location.pathname }),
    signOut: async () => {
      accessToken = undefined;
      await manager.signoutRedirect().catch(() => manager.removeUser());
    },
  };
}

/** The page inside the silent-renew iframe: hands the answer to the parent and does nothing else. */
export async function completeSilentRenew(config: OidcConfig): Promise<void> {
  await userManagerFor(config).signinSilentCallback();
}
