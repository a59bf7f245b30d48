import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { lazy, Suspense, useMemo } from 'react';
import { useSession } from '../auth/session';
import { LiveUpdates } from '../live/liveUpdates';
import { Loading } from '../ui/notices';
import { Layout } from './Layout';
import { SignIn } from './SignIn';
import { pagesFor } from './pageTable';

const EmailAction = lazy(() => import('../pages/public/EmailAction'));
/** An email's action link: /act/<token>. Its page needs no sign-in, the token is the credential. */
const EMAIL_ACTION = /^\/act\/([^/]+)$/;

export function App() {
  const action = EMAIL_ACTION.exec(window.location.pathname);
  if (action) {
    return (
      <Suspense fallback={<Loading what="the page" />}>
        <EmailAction token={decodeURIComponent(action[1])} />
      </Suspense>
    );
  }
  return <SignedInApp />;
}

function SignedInApp() {
  const { state } = useSession();
  if (state.status === 'loading') return <Loading what="your session" />;
  if (state.status === 'signed-out') return <SignIn />;
  return (
    <LiveUpdates key={state.principal.subject}>
      <PagesOf role={state.principal.role} />
    </LiveUpdates>
  );
}

function PagesOf({ role }: { role: string }) {
  const router = useMemo(() => {
    const pages = pagesFor(role);
    return createBrowserRouter([
      {
        path: '/',
        element: <Layout />,
        children: [
          { index: true, element: <Navigate to={pages[0]?.path ?? '/'} replace /> },
          ...pages.map((p) => ({ path: `${p.path}/*`, element: <p.component /> })),
          { path: '*', element: <NotFound /> },
        ],
      },
    ]);
  }, [role]);
  return <RouterProvider router={router} />;
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no such page for you. Choose one of your pages above.</p>
    </section>
  );
}
