import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { fetchEventSource } from '@microsoft/fetch-event-source';
import { useQueryClient } from '@tanstack/react-query';
import { bearerToken, reportUnauthorized } from '../api/client';

// Live: the server pushes every event the caller may see (GET /api/events/stream, the same
// redaction as the reads); on one, the page refetches what it shows. The stream is read with
// fetch so the token goes in the Authorization header, never in a URL. While it is down, the page
// polls instead, and says so.

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

const LiveContext = createContext<LiveStatus>('connecting');

/** How often the page polls while the stream is down. */
export const POLL_WHILE_OFFLINE_MS = 5_000;
const RETRY_MS = 2_000;

class StreamRefused extends Error {}
class SessionEnded extends Error {}

export function LiveUpdates({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const abort = new AbortController();
    let pending: ReturnType<typeof setTimeout> | undefined;
    // A burst of events (a decision writes several) refetches once.
    const refresh = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        void queryClient.invalidateQueries();
      }, 150);
    };
    void fetchEventSource('/api/events/stream', {
      signal: abort.signal,
      openWhenHidden: true,
      headers: { Authorization: `Bearer ${bearerToken() ?? ''}`, Accept: 'text/event-stream' },
      onopen: async (response) => {
        if (response.status === 401) {
          reportUnauthorized();
          throw new SessionEnded();
        }
        if (!response.ok) throw new StreamRefused(`stream answered ${response.status}`);
        setStatus((before) => {
          // Back after a gap: what changed meanwhile is fetched now.
          if (before === 'reconnecting') refresh();
          return 'live';
        });
      },
      onmessage: (message) => {
        if (message.event && message.event !== 'heartbeat') refresh();
      },
      onclose: () => {
        setStatus('reconnecting');
        throw new Error('stream closed');
      },
      onerror: (error) => {
        // A refused token will not be accepted by asking again: the session is over.
        if (error instanceof SessionEnded) throw error;
        setStatus('reconnecting');
        return RETRY_MS;
      },
    }).catch(() => setStatus('reconnecting'));
    return () => {
      abort.abort();
      if (pending) clearTimeout(pending);
    };
  }, [queryClient]);

  useEffect(() => {
    // Polling stands in while the stream is down.
    if (status === 'live') return;
    const poll = setInterval(() => void queryClient.invalidateQueries(), POLL_WHILE_OFFLINE_MS);
    return () => clearInterval(poll);
  }, [queryClient, status]);

  return <LiveContext.Provider value={status}>{children}</LiveContext.Provider>;
}

export const useLiveStatus = (): LiveStatus => useContext(LiveContext);
