import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiProblem } from './api/problem';
import { SessionProvider } from './auth/session';
import { App } from './app/App';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      // A refusal will not change by asking again; a lost connection may.
      retry: (count, error) => !(error instanceof ApiProblem && error.status > 0 && error.status < 500) && count < 3,
    },
  },
});

const root = document.getElementById('root');
if (window.location.pathname === '/auth/silent') {
  // Inside the silent-renew iframe: hand the issuer's answer to the page and render nothing.
  void import('./auth/silentRenew').then(({ completeSilentRenewHere }) => completeSilentRenewHere());
} else if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
