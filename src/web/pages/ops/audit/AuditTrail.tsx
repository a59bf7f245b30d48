import type { ResponseOf } from '../../../api/types';
import { When } from '../../../ui/time';
import { Facts } from '../Facts';

export type AuditEvent = ResponseOf<'/api/audit', 'get'>['items'][number];

/** "registration.sla_default_approved" → "Sla default approved" under "registration". */
export function actionWords(action: string): string {
  const verb = action.includes('.') ? action.slice(action.indexOf('.') + 1) : action;
  const words = verb.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "system:rules" → "the rules engine"; people and keys by their subject. */
export function actorWords(actor: string): string {
  if (actor === 'system:rules') return 'the rules engine';
  if (actor.startsWith('system:')) return `the system (${actor.slice('system:'.length).replace(/[_-]/g, ' ')})`;
  return actor;
}

/** A subject's events in the order they happened: when, who, what, and the detail in words. */
export function AuditTrail({ events, firstNumber }: { events: AuditEvent[]; firstNumber: number }) {
  return (
    <ol className="timeline audit-trail" start={firstNumber}>
      {events.map((event, index) => (
        <li key={`${event.at}-${index}`}>
          <div className="audit-event-head">
            <span className="when">
              <When at={event.at} />
            </span>
            <span className="audit-action">{actionWords(event.action)}</span>
            <span className="audit-actor">by {actorWords(event.actor)}</span>
            <span className="mono field-hint">{event.action}</span>
          </div>
          {Object.keys(event.detail).length > 0 ? <Facts value={event.detail} /> : null}
        </li>
      ))}
    </ol>
  );
}
