import { z } from 'zod';
import { EVENT_TYPE_PATTERN } from '../../domain/eventTypes';
import type { Store } from '../../store';
import type { RouteTable } from '../routes';
import { badRequest } from '../problem';
import { cursorOf, positionOfCursor, readEvents } from '../../events/feed';
import type { EventStreams } from '../eventStreams';

const EVERY_ROLE = ['admin', 'ops', 'manager', 'partner'] as const;
const CURSOR_MESSAGE = 'not a cursor returned by this feed; pass nextCursor (or an event stream id) as it was given';

const afterSchema = z
  .string()
  .refine((cursor) => positionOfCursor(cursor) !== undefined, CURSOR_MESSAGE)
  .describe('Resume after this cursor (a nextCursor, or an event stream id); absent: from the first event');
const typesSchema = z
  .string()
  .transform((text) => text.split(',').map((type) => type.trim()))
  .refine(
    (types) => types.every((type) => EVENT_TYPE_PATTERN.test(type)),
    'comma-separated event types such as registration.decided or registration.*',
  )
  .describe('Only these event types, comma-separated; `registration.*` names every registration event');

const eventView = z.object({
  id: z.string().describe('Stable: evt_<n>'),
  type: z.string().describe('<kind>.<verb>, such as registration.decided'),
  at: z.string(),
  subject: z.object({
    kind: z.string(),
    id: z.string(),
    version: z
      .number()
      .int()
      .optional()
      .describe("The object's version after this event (its process's step number), when a process recorded it"),
  }),
  data: z.record(z.string(), z.unknown()).describe("What changed, as the caller may see it (a partner's: status)"),
});

export function eventRoutes(table: RouteTable, deps: { store: Store; streams: EventStreams }): void {
  table.add({
    method: 'get',
    path: '/api/events',
    summary: 'Read the event feed',
    tag: 'Events',
    roles: EVERY_ROLE,
    query: z.strictObject({
      after: afterSchema.optional(),
      types: typesSchema.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    responses: {
      200: {
        description:
          'Events in the order they happened, as the caller may see them; nextCursor is always there to poll on',
        schema: z.object({ items: z.array(eventView), nextCursor: z.string() }),
      },
    },
    handler: async ({ query, principal }) => {
      const after = query.after === undefined ? undefined : positionOfCursor(query.after);
      const page = await readEvents(deps.store.audit, principal, { after, types: query.types, limit: query.limit });
      return {
        status: 200,
        body: { items: page.events.map((e) => e.event), nextCursor: cursorOf(page.next) },
      };
    },
  });

  table.add({
    method: 'get',
    path: '/api/events/stream',
    summary: 'Follow the event feed as server-sent events',
    tag: 'Events',
    roles: EVERY_ROLE,
    query: z.strictObject({ after: afterSchema.optional(), types: typesSchema.optional() }),
    responses: {
      200: {
        description:
          'text/event-stream: each message `id: <cursor>`, `event: <type>`, `data: <event as in GET /api/events>`; ' +
          'a comment every 15 s. Resumes after the Last-Event-ID header, else `after`, else from now.',
        contentType: 'text/event-stream',
      },
    },
    handler: async ({ query, principal, req, res }) => {
      const lastEventId = req.get('last-event-id');
      const resumeFrom = lastEventId ?? query.after;
      const after = resumeFrom === undefined ? undefined : positionOfCursor(resumeFrom);
      if (lastEventId !== undefined && !after) {
        throw badRequest(`Last-Event-ID: ${CURSOR_MESSAGE}`, [{ path: 'Last-Event-ID', message: CURSOR_MESSAGE }]);
      }
      deps.streams.serve(req, res, { principal, after, types: query.types });
      return { status: 200, streaming: true };
    },
  });
}
