import type { RegistrationView } from '../../workflows/registration/contract';
import { defineTemplate, type RenderedEmail } from './templates';

/** What a registration email needs: the view as the workflow has it, plus the moment's facts. */
export interface RegistrationEmailData {
  view: RegistrationView;
  publicUrl: string;
  /** Reminder offsets, breach details, the info request's message… */
  note?: string;
  /** A reviewer's one-click steps (approve, reject, request info), each link for this reviewer alone. */
  actions?: { label: string; url: string }[];
}

/** The review's steps as links: each opens a page that asks before it does anything. */
const actionLines = (d: RegistrationEmailData) =>
  d.actions?.length
    ? [
        'Decide from here: each link opens a page in RoE Orchestrator that asks you to confirm (with a reason) before anything changes. The links are yours alone, work once, and expire in 72 hours or when the review moves on.',
        d.actions.map((a) => `${a.label}: ${a.url}`).join('\n'),
      ]
    : [];

const link = (d: RegistrationEmailData) => ({
  label: 'Open the registration',
  url: `${d.publicUrl}/api/registrations/${encodeURIComponent(d.view.id)}`,
});
const deal = (d: RegistrationEmailData) =>
  `"${d.view.opportunity.title}" on ${d.view.account.name} (${d.view.account.domain}), ${d.view.opportunity.productLine}, ${d.view.opportunity.amount.value} ${d.view.opportunity.amount.currency}`;
const day = (iso: string | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'not set');

// Partner-facing texts never name another partner: a collision says only that a claim exists.
export const REGISTRATION_EMAILS = {
  received: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Registration ${d.view.id} received`,
    paragraphs: (d) => [
      `We received your registration of ${deal(d)}.`,
      `It is evaluated under policy version ${d.view.policyVersion}; you will hear the decision and the rule behind it.`,
    ],
    action: link,
  }),
  decided: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Registration ${d.view.id}: ${d.view.status.replace('_', ' ')}`,
    paragraphs: (d) => [
      `Your registration of ${deal(d)} is now ${d.view.status.replace('_', ' ')}.`,
      `Why: ${d.view.decision?.reason ?? 'see the registration'} (rules ${d.view.decision?.ruleIds.join(', ') || '—'}, policy version ${d.view.policyVersion}).`,
      ...(d.view.status === 'approved' ? [`It is protected until ${day(d.view.expiresAt)}.`] : []),
      ...(d.view.status === 'pending_review'
        ? [`A ${d.view.review?.assigneeRole.replace('_', ' ')} will decide by ${day(d.view.review?.dueAt)}.`]
        : []),
      ...(d.view.status === 'approved' || d.view.status === 'rejected'
        ? [
            `How was this decision for you? Rate it from 1 to 5 in the web app: ${d.publicUrl}/registrations/${encodeURIComponent(d.view.id)}#feedback`,
          ]
        : []),
    ],
    action: link,
  }),
  infoRequested: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Registration ${d.view.id}: information requested`,
    paragraphs: (d) => [
      `The reviewer of ${deal(d)} asks for more information: ${d.note ?? ''}`,
      'The review clock is paused until you answer (POST /api/registrations/{id}/info).',
    ],
    action: link,
  }),
  expiryReminder: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Registration ${d.view.id} expires ${day(d.view.expiresAt)}`,
    paragraphs: (d) => [
      `Your protection on ${deal(d)} ends ${day(d.view.expiresAt)} (${d.note ?? 'reminder'}).`,
      'Close it as won or lost, or ask for an extension if the policy allows one.',
    ],
    action: link,
  }),
  staleReminder: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Registration ${d.view.id}: no update for a while`,
    paragraphs: (d) => [
      `We have had no progress update on ${deal(d)} since ${day(d.view.lastPartnerUpdateAt)}.`,
      `Post an update to keep it protected; without one its protection is released ${d.note ?? 'soon'}.`,
    ],
    action: link,
  }),
  expired: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Registration ${d.view.id} expired`,
    paragraphs: (d) => [
      `Your protection on ${deal(d)} has ended: ${d.note ?? 'its validity ran out'}.`,
      'The claim on the account is released; register again if the opportunity is still open.',
    ],
    action: link,
  }),
  extended: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Registration ${d.view.id} extended to ${day(d.view.expiresAt)}`,
    paragraphs: (d) => [`Your protection on ${deal(d)} now lasts until ${day(d.view.expiresAt)}.`],
    action: link,
  }),
  reviewAssigned: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Review needed: registration ${d.view.id} by ${day(d.view.review?.dueAt)}`,
    paragraphs: (d) => [
      `Partner ${d.view.partnerId} registered ${deal(d)}.`,
      `It waits on a ${d.view.review?.assigneeRole.replace('_', ' ')}; decide by ${day(d.view.review?.dueAt)} (${d.view.decision?.reason ?? ''}).`,
      ...(d.view.possibleDuplicates.length
        ? [`Possible duplicates: ${d.view.possibleDuplicates.map((p) => `${p.name} (${p.domain})`).join(', ')}.`]
        : []),
      ...(d.note ? [d.note] : []),
      ...actionLines(d),
    ],
    action: link,
  }),
  reviewReminder: defineTemplate<RegistrationEmailData>({
    subject: (d) => `Reminder: registration ${d.view.id} is due ${day(d.view.review?.dueAt)}`,
    paragraphs: (d) => [`The review of ${deal(d)} is due ${day(d.view.review?.dueAt)}.`, ...actionLines(d)],
    action: link,
  }),
  reviewBreached: defineTemplate<RegistrationEmailData>({
    subject: (d) => `SLA breached: registration ${d.view.id}`,
    paragraphs: (d) => [`The review SLA of ${deal(d)} passed without a decision.`, d.note ?? ''],
    action: link,
  }),
} satisfies Record<string, (data: RegistrationEmailData) => RenderedEmail>;

export type RegistrationEmailName = keyof typeof REGISTRATION_EMAILS;
