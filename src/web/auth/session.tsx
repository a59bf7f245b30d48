import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, call, connectSession } from '../api/client';
import type { AuthConfig, Session } from '../api/types';
import { oidcSignIn, type OidcSession } from './oidc';

export type Principal = Session;
export type { AuthConfig };

type SessionState =
  { status: 'loading' } | { status: 'signed-out'; reason?: string } | { status: 'signed-in'; principal: Principal };

interface SessionApi {
  state: SessionState;
  config: AuthConfig | undefined;
  signInWithDevToken(token: string): Promise<void>;
  signInWithOidc(): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

// Development tokens are public test identities, so the chosen one survives a reload in this
// tab; a real (OIDC) token lives in memory only and is renewed silently.
const DEV_TOKEN_KEY = 'roe.devToken';

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [config, setConfig] = useState<AuthConfig>();
  const token = useRef<string | undefined>(undefined);
  const oidc = useRef<OidcSession | undefined>(undefined);

  const endSession = useCallback(
    (reason?: string) => {
      token.current = undefined;
      sessionStorage.removeItem(DEV_TOKEN_KEY);
      queryClient.clear();
      setState({ status: 'signed-out', ...(reason ? { reason } : {}) });
    },
    [queryClient],
  );

  useEffect(() => {
    connectSession(
      () => token.current,
      () => {
        if (token.current) endSession('Your session has ended. Sign in again to go on.');
      },
    );
  }, [endSession]);

  const adopt = useCallback(async (accessToken: string) => {
    token.current = accessToken;
    const principal = await call(api.GET('/api/session'));
    setState({ status: 'signed-in', principal });
  }, []);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const loaded = await call(api.GET('/api/auth/config')).catch(() => undefined);
      if (cancelled) return;
      setConfig(loaded);
      const saved = sessionStorage.getItem(DEV_TOKEN_KEY);
      if (saved && loaded?.devSignIn.some((p) => p.token === saved)) {
        await adopt(saved).catch(() => endSession());
        return;
      }
      if (loaded?.oidc) {
        const session = await oidcSignIn(loaded.oidc, {
          onToken: (accessToken) => {
            token.current = accessToken;
          },
          onEnded: () => endSession('Your session has ended. Sign in again to go on.'),
        }).catch(() => undefined);
        if (cancelled) return;
        oidc.current = session;
        if (session?.accessToken) {
          await adopt(session.accessToken).catch(() => endSession());
          return;
        }
      }
      setState({ status: 'signed-out' });
    })();
    return () => {
      cancelled = true;
    };
  }, [adopt, endSession]);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      config,
      signInWithDevToken: async (devToken) => {
        await adopt(devToken);
        sessionStorage.setItem(DEV_TOKEN_KEY, devToken);
      },
      signInWithOidc: async () => {
        if (!oidc.current) throw new Error('single sign-on is not configured');
        await oidc.current.redirectToSignIn();
      },
      signOut: () => {
        const session = oidc.current;
        endSession();
        if (session?.accessToken) void session.signOut();
      },
    }),
    [state, config, adopt, endSession],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in person; only for pages behind the sign-in gate. */
export function usePrincipal(): Principal {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('usePrincipal while signed out');
  return state.principal;
}
