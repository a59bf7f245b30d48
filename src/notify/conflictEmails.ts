import type { ConflictParty } from '../../workflows/conflict/contract';
import { YOUR_REGISTRATION, type VisibleConflictView } from '../domain/conflictRedaction';
import { defineTemplate, type RenderedEmail } from './templates';

/** A conflict email: to one party (never told who the others are) or to the tier's assignees. */
export interface ConflictEmailData {
  /** The whole case for the assignees; for a party, the case as that party may see it. */
  view: VisibleConflictView;
  /** Set for an email to a party: the text speaks of their claim only. */
  party?: ConflictParty;
  publicUrl: string;
  note?: string;
}

const link = (d: ConflictEmailData) => ({
  label: 'Open the conflict case',
  url: `${d.publicUrl}/api/conflicts/${encodeURIComponent(d.view.id)}`,
});
const subjectOf = (d: ConflictEmailData) => `${d.view.productLine} on ${d.view.domain}`;
const day = (iso: string | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'not set');
const role = (name: string) => name.replace(/_/g, ' ');

function awardFor(d: ConflictEmailData): string {
  const award = d.view.resolution?.award ?? '';
  if (award === 'direct') return 'awarded to the direct team';
  if (award === 'co_sell') return 'a co-sell between the parties';
  if (award === 'none') return 'no party is awarded the account';
  if (!d.party) return `awarded to registration ${award}`;
  return award === YOUR_REGISTRATION ? 'awarded to your registration' : 'awarded to another party';
}

/** Lines for the assignees, who see every party. */
function partiesLine(d: ConflictEmailData): string {
  return `Parties: ${d.view.parties
    .map((p) =>
      p.kind === 'direct' || !('registrationId' in p)
        ? `the direct team (${day(p.submittedAt)})`
        : `${p.partnerId} with ${p.registrationId} (${day(p.submittedAt)})`,
    )
    .join('; ')}.`;
}

export const CONFLICT_EMAILS = {
  opened: defineTemplate<ConflictEmailData>({
    subject: (d) => `Conflict case ${d.view.id}: ${subjectOf(d)}`,
    paragraphs: (d) => [
      `Another claim exists on ${subjectOf(d)}, so a conflict case is open.`,
      `A ${role(d.view.assigneeRole)} decides by ${day(d.view.dueAt)}; if that tier misses its deadline the case moves up by itself.`,
      'You will hear the decision and the reason. The other parties are not named to you, nor you to them.',
    ],
    action: link,
  }),
  assigned: defineTemplate<ConflictEmailData>({
    subject: (d) => `Conflict to resolve: ${d.view.id} (${subjectOf(d)}) by ${day(d.view.dueAt)}`,
    paragraphs: (d) => [
      `The conflict case on ${subjectOf(d)} waits on a ${role(d.view.assigneeRole)} (tier ${d.view.tier}) until ${day(d.view.dueAt)}.`,
      partiesLine(d),
      ...(d.note ? [d.note] : []),
    ],
    action: link,
  }),
  escalated: defineTemplate<ConflictEmailData>({
    subject: (d) => `Conflict case ${d.view.id} moved to tier ${d.view.tier}`,
    paragraphs: (d) => [
      `The conflict case on ${subjectOf(d)} was not decided in time and now waits on a ${role(d.view.assigneeRole)}, due ${day(d.view.dueAt)}.`,
    ],
    action: link,
  }),
  decided: defineTemplate<ConflictEmailData>({
    subject: (d) => `Conflict case ${d.view.id} ${d.view.status}`,
    paragraphs: (d) => [
      `The conflict case on ${subjectOf(d)} is ${d.view.status}: ${awardFor(d)}.`,
      `Why: ${d.view.resolution?.reason ?? ''}`,
      ...(d.party &&
      d.view.resolution?.award !== YOUR_REGISTRATION &&
      d.view.resolution?.award !== 'co_sell' &&
      d.party.kind === 'partner'
        ? ['You may appeal once within the appeal window of the policy (POST /api/conflicts/{id}/appeal).']
        : []),
      ...(d.party?.kind === 'partner'
        ? [
            `How fair was this decision? Rate it from 1 to 5 in the web app: ${d.publicUrl}/conflicts/${encodeURIComponent(d.view.id)}#feedback`,
          ]
        : []),
    ],
    action: link,
  }),
  appealed: defineTemplate<ConflictEmailData>({
    subject: (d) => `Conflict case ${d.view.id} reopened on appeal`,
    paragraphs: (d) => [
      `A party appealed the decision on ${subjectOf(d)}; the case is open again at tier ${d.view.tier} and waits on a ${role(d.view.assigneeRole)} until ${day(d.view.dueAt)}.`,
    ],
    action: link,
  }),
} satisfies Record<string, (data: ConflictEmailData) => RenderedEmail>;

export type ConflictEmailName = keyof typeof CONFLICT_EMAILS;
