import { Link } from 'react-router';
import { usePrincipal } from '../../../auth/session';
import { useNow, Due } from '../../../ui/time';
import { Empty } from '../../../ui/notices';
import { holderInWords, moneyInWords, type InboxItem } from './words';

// The work waiting on the manager, soonest due first (the API's order), each item saying what it
// is, who holds the ball and until when; an overdue one says so in words, not only in red.

export function InboxList({
  items,
  selected,
  partnerName,
}: {
  items: InboxItem[];
  selected?: string;
  partnerName: (id: string) => string;
}) {
  const now = useNow(1_000);
  const myRoles = usePrincipal().escalationRoles;
  if (items.length === 0) return <Empty>Nothing waits on you. New reviews and conflict cases appear here.</Empty>;
  return (
    <ol className="inbox-list" aria-label="Waiting on you, soonest due first">
      {items.map((item) => {
        const isOverdue = Date.parse(item.dueAt) < now;
        const isSelected = selected === `${item.kind}/${item.id}`;
        return (
          <li
            key={`${item.kind}/${item.id}`}
            className={`inbox-item${isOverdue ? ' inbox-overdue' : ''}${isSelected ? ' inbox-selected' : ''}`}
          >
            <Link to={linkOf(item)} aria-current={isSelected ? 'page' : undefined} className="inbox-link">
              {titleOf(item, partnerName)}
            </Link>
            <p className="inbox-what">{summaryOf(item)}</p>
            <p className="inbox-ball">
              {isOverdue ? <span className="inbox-breach">SLA breached</span> : null}
              {!isOverdue && wasEscalated(item) ? <span className="inbox-escalated">Escalated to you</span> : null}
              <span>Waiting on: {holderInWords(item.assigneeRole, myRoles)},</span>
              <Due at={item.dueAt} now={now} />
            </p>
          </li>
        );
      })}
    </ol>
  );
}

/** Reached this tier because an earlier one missed its deadline. */
const wasEscalated = (item: InboxItem): boolean =>
  (item.registration?.review?.breaches ?? 0) > 0 || (item.conflict?.breaches.length ?? 0) > 0;

export const linkOf = (item: InboxItem): string =>
  item.kind === 'conflict' ? `/inbox/conflict/${item.id}` : `/inbox/registration/${item.id}`;

function titleOf(item: InboxItem, partnerName: (id: string) => string): string {
  if (item.kind === 'conflict') return `Conflict case on ${item.conflict?.domain ?? item.id}`;
  const r = item.registration;
  if (!r) return `Registration ${item.id}`;
  return `Registration of ${r.account.name} by ${partnerName(r.partnerId)}`;
}

function summaryOf(item: InboxItem): string {
  if (item.kind === 'conflict') {
    const c = item.conflict;
    if (!c) return 'Conflict case';
    return `${c.parties.length} claims on ${c.productLine}, region ${c.region.toUpperCase()}, tier ${c.tier} of the ladder`;
  }
  const r = item.registration;
  if (!r) return 'Registration under review';
  return `${moneyInWords(r.opportunity.amount)} · ${r.opportunity.productLine} · ${r.account.domain}`;
}
