import type { AuthConfig } from '../api/types';

// What the sign-in page and the lazily loaded OIDC client share.

export type OidcConfig = NonNullable<AuthConfig['oidc']>;

export interface OidcSession {
  /** The current access token, when signed in. */
  accessToken: string | undefined;
  redirectToSignIn(): Promise<void>;
  signOut(): Promise<void>;
}

export interface OidcCallbacks {
  onToken(accessToken: string): void;
  onEnded(): void;
}
