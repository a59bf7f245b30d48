/**
 * The event types of `GET /api/events`, named from the audit trail's actions (`registration.evaluated`
 * is `registration.decided`): the one table a client's `types` filter and a webhook subscription read.
 */
const EVENT_TYPE_OF_ACTION: Readonly<Record<string, string>> = {
  'registration.submitted': 'registration.submitted',
  'registration.evaluated': 'registration.decided',
  'registration.approved': 'registration.decided',
  'registration.rejected': 'registration.decided',
  'registration.sla_default_approved': 'registration.decided',
  'registration.sla_default_rejected': 'registration.decided',
  'registration.conflict_awarded': 'registration.decided',
  'registration.conflict_lost': 'registration.decided',
  'registration.review_escalated': 'registration.escalated',
  'registration.review_overdue': 'registration.overdue',
  'registration.review_reminder': 'registration.reminded',
  'registration.expiry_reminder': 'registration.reminded',
  'registration.stale_reminder': 'registration.reminded',
  'registration.info_requested': 'registration.info_requested',
  'registration.info_provided': 'registration.info_provided',
  'registration.extended': 'registration.extended',
  'registration.progress_update': 'registration.progress_updated',
  'registration.expired': 'registration.expired',
  'registration.stale_released': 'registration.expired',
  'registration.closed_won': 'registration.closed',
  'registration.closed_lost': 'registration.closed',
  'registration.withdrawn': 'registration.withdrawn',
  'registration.conflict_opened': 'registration.in_conflict',
  'registration.conflict_reopened': 'registration.in_conflict',
  'registration.claim_released': 'registration.claim_released',
  'conflict.opened': 'conflict.opened',
  'conflict.party_joined': 'conflict.party_joined',
  'conflict.party_left': 'conflict.party_left',
  'conflict.escalated': 'conflict.escalated',
  'conflict.resolved': 'conflict.resolved',
  'conflict.defaulted': 'conflict.resolved',
  'conflict.appealed': 'conflict.appealed',
  'conflict.closed': 'conflict.closed',
  'policy.draft_created': 'policy.drafted',
  'policy.draft_replaced': 'policy.drafted',
  'policy.publish_requested': 'policy.published',
  'policy.published': 'policy.published',
  'policy.seeded_effective': 'policy.effective',
  'policy.effective': 'policy.effective',
  'policy.cancelled': 'policy.cancelled',
  'policy.reminder': 'policy.reminded',
  'policy.acknowledged': 'policy.acknowledged',
};

/** What an audit subject (`registration:reg-…`, `directory:partner:northwind`) is about. */
export interface EventSubject {
  kind: string;
  id: string;
  /** The object's version after the event (its process's step number), when a process recorded it. */
  version?: number;
}

export function eventSubjectOf(subject: string): EventSubject {
  const [prefix, ...rest] = subject.split(':');
  // Directory subjects carry their own kind: `directory:api-key:ID` is an `api_key`.
  if (prefix === 'directory' && rest.length >= 2) {
    return { kind: rest[0].replace(/-/g, '_'), id: rest.slice(1).join(':') };
  }
  return { kind: prefix, id: rest.join(':') };
}

/**
 * The event type of an audit action on a subject of `kind`: the table's name, else the action as
 * written when it already starts with a kind (`rollout.stage_opened`), else `<kind>.<action>`.
 */
export function eventTypeOf(kind: string, action: string): string {
  const named = EVENT_TYPE_OF_ACTION[action];
  if (named) return named;
  return /^[a-z_]+\.[a-z_]+$/.test(action) ? action : `${kind}.${action.replace(/[^a-z0-9_]+/gi, '_').toLowerCase()}`;
}

/** `registration.decided`, or a wildcard over one kind: `registration.*`. */
export const EVENT_TYPE_PATTERN = /^[a-z_]+\.(\*|[a-z_]+)$/;

/** Whether `type` is one of `patterns` (`registration.*` matches every registration event). */
export function isEventTypeIn(type: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('.*') ? type.startsWith(p.slice(0, -1)) : type === p));
}
