import { Suspense, useEffect } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { usePrincipal, useSession } from '../auth/session';
import { useLiveStatus } from '../live/liveUpdates';
import { Loading } from '../ui/notices';
import { PageErrorBoundary } from './PageErrorBoundary';
import { pagesFor } from './pageTable';

/** The frame of every signed-in page: who you are, your pages, whether the page is live. */
export function Layout() {
  const principal = usePrincipal();
  const { signOut } = useSession();
  const pages = pagesFor(principal.role);
  const location = useLocation();
  const current = pages.find((p) => location.pathname.startsWith(p.path));

  useEffect(() => {
    document.title = current ? `${current.title} · RoE Orchestrator` : 'RoE Orchestrator';
  }, [current]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">RoE Orchestrator</span>
        <nav aria-label="Pages" className="nav">
          <ul>
            {pages.map((p) => (
              <li key={p.path}>
                <NavLink to={p.path}>{p.title}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <LiveIndicator />
          <span className="principal">{principal.displayName}</span>
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <PageErrorBoundary page={location.pathname}>
          <Suspense fallback={<Loading what="the page" />}>
            <Outlet />
          </Suspense>
        </PageErrorBoundary>
      </main>
    </div>
  );
}

function LiveIndicator() {
  const status = useLiveStatus();
  const words = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[status];
  return (
    <span className={`live live-${status}`} title="Changes appear without a reload while live">
      {words}
    </span>
  );
}

function ConnectionBanner() {
  const status = useLiveStatus();
  if (status !== 'reconnecting') return null;
  return (
    <p role="status" className="notice notice-warning banner">
      Connection to the server lost — reconnecting. Until then this page refreshes every few seconds.
    </p>
  );
}
