import type { Request, Response } from 'express';
import type { Logger } from '../logger';
import type { Principal } from '../domain/principal';
import type { AuditStore, FeedPosition } from '../store/audit';
import { cursorOf, readEvents } from '../events/feed';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;

/**
 * The open `GET /api/events/stream` connections of one API process. Each reads the feed after
 * its own position every half second (one query while nothing happens); `close()` ends them
 * all, so that an open stream never holds up the server's shutdown.
 */
export function eventStreams(audit: AuditStore, logger?: Logger) {
  const open = new Set<() => void>();

  function serve(
    req: Request,
    res: Response,
    stream: { principal: Principal; after?: FeedPosition; types?: string[] },
  ) {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    // A reverse proxy (nginx) would otherwise hold events back until its buffer fills.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': connected\n\n');

    let position = stream.after;
    let ended = false;
    let poll: NodeJS.Timeout | undefined;
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(poll);
      clearInterval(heartbeat);
      open.delete(end);
      res.end();
    };
    open.add(end);
    req.on('close', end);
    res.on('close', end);
    // The caller may have gone while the request waited on its authentication: its 'close' has
    // fired already, and a stream opened now would poll the store for nobody, forever.
    if (req.destroyed || res.destroyed) end();

    const deliver = async () => {
      try {
        position ??= await audit.feedEnd();
        let full = true;
        while (full && !ended) {
          const page = await readEvents(audit, stream.principal, { after: position, types: stream.types, limit: 100 });
          for (const { event, position: at } of page.events) {
            if (ended) return;
            res.write(`id: ${cursorOf(at)}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          }
          full = page.events.length === 100;
          position = page.next;
        }
      } catch (error) {
        // The store being away is a pause for the stream, not its end: the next poll tries again.
        logger?.warn({ err: error }, 'event stream could not read the feed');
      }
      if (!ended) poll = setTimeout(() => void deliver(), POLL_MS);
    };
    void deliver();
  }

  return {
    serve,
    /** Ends every open stream (the server is stopping). */
    close(): void {
      for (const end of [...open]) end();
    },
    get openCount(): number {
      return open.size;
    },
  };
}

export type EventStreams = ReturnType<typeof eventStreams>;
