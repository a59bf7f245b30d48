import type { Principal } from '../domain/principal';
import { eventSubjectOf, eventTypeOf, isEventTypeIn, type EventSubject } from '../domain/eventTypes';
import { encodeCursor } from '../store/directory';
import { FEED_START, type AuditStore, type FeedPosition, type FeedRow } from '../store/audit';

/** One event of `GET /api/events`, as one caller may see it. */
export interface FeedEvent {
  id: string;
  type: string;
  at: string;
  subject: EventSubject;
  data: Record<string, unknown>;
}

/** Rows read from the audit trail per request at most: a partner's quiet feed still answers quickly. */
const ROWS_SCANNED_PER_READ = 1_000;
const BATCH = 250;

export const cursorOf = (position: FeedPosition): string => encodeCursor(`${position.txid}.${position.seq}`);

/** The position a cursor this feed issued names, else undefined (hand-made, truncated, another list's). */
export function positionOfCursor(cursor: string): FeedPosition | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(0|[1-9]\d{0,19})\.(0|[1-9]\d{0,18})$/.exec(text);
  if (!match || encodeCursor(text) !== cursor) return undefined;
  return { txid: match[1], seq: match[2] };
}

export const isAfter = (a: FeedPosition, b: FeedPosition): boolean =>
  BigInt(a.txid) > BigInt(b.txid) || (a.txid === b.txid && BigInt(a.seq) > BigInt(b.seq));

const MANAGER_KINDS = new Set(['registration', 'conflict', 'policy', 'rollout']);

/**
 * The event as `principal` may see it, else undefined. Admins and ops see every event; managers
 * the registrations, conflict cases, policies and rollouts they may read (all of them, as the
 * reads allow); a partner its own registrations, the cases it is a party to and published
 * policies, with data that names no one (the status at most).
 */
export function eventFor(principal: Principal, row: FeedRow): FeedEvent | undefined {
  const subject = { ...eventSubjectOf(row.subject), ...(row.version !== undefined ? { version: row.version } : {}) };
  const type = eventTypeOf(subject.kind, row.action);
  const event = { id: `evt_${row.seq}`, type, at: row.at, subject };
  if (principal.role === 'admin' || principal.role === 'ops') return { ...event, data: row.detail };
  if (principal.role === 'manager') return MANAGER_KINDS.has(subject.kind) ? { ...event, data: row.detail } : undefined;
  return isPartnerEvent(principal.partnerId, subject, type, row) ? { ...event, data: partnerData(row) } : undefined;
}

function isPartnerEvent(partnerId: string, subject: EventSubject, type: string, row: FeedRow): boolean {
  if (subject.kind === 'registration' || subject.kind === 'conflict') return row.partnerIds.includes(partnerId);
  if (subject.kind !== 'policy') return false;
  // Drafts are the admin's work in progress; another partner's acknowledgement is its own business.
  if (type === 'policy.drafted') return false;
  if (type === 'policy.acknowledged') return row.detail.partnerId === partnerId;
  return true;
}

const partnerData = (row: FeedRow): Record<string, unknown> =>
  typeof row.detail.status === 'string' ? { status: row.detail.status } : {};

export interface FeedPage {
  events: { event: FeedEvent; position: FeedPosition }[];
  /** Where the next read resumes: after the last event, or after the rows read past that none matched. */
  next: FeedPosition;
}

/** Up to `limit` events after `after` that `principal` may see and `types` (if given) names. */
export async function readEvents(
  audit: AuditStore,
  principal: Principal,
  query: { after?: FeedPosition; types?: readonly string[]; limit: number },
): Promise<FeedPage> {
  const events: FeedPage['events'] = [];
  let next = query.after ?? FEED_START;
  for (let scanned = 0; scanned < ROWS_SCANNED_PER_READ;) {
    const rows = await audit.feedAfter(next, BATCH);
    for (const row of rows) {
      next = { txid: row.txid, seq: row.seq };
      const event = eventFor(principal, row);
      if (event && (!query.types || isEventTypeIn(event.type, query.types))) {
        events.push({ event, position: next });
        if (events.length === query.limit) return { events, next };
      }
    }
    scanned += rows.length;
    if (rows.length < BATCH) break;
  }
  return { events, next };
}
