import type { BodyOf, ResponseOf } from '../../../api/types';

// The partner's registrations in the partner's words: what a status means, who a role is.

export type Registration = ResponseOf<'/api/registrations/{id}', 'get'>;
export type RegistrationPage = ResponseOf<'/api/registrations', 'get'>;
export type RegistrationBody = BodyOf<'/api/registrations', 'post'>;
export type PreCheck = ResponseOf<'/api/registrations/pre-check', 'post'>;
export type ConflictCase = ResponseOf<'/api/conflicts/{id}', 'get'>;

/** "channel_manager" → "channel manager". */
export const roleInWords = (role: string): string => role.replace(/_/g, ' ');

/** "a channel manager" (articles for the ladder's roles). */
export const aRole = (role: string): string => `a ${roleInWords(role)}`;

export const ACTIVE = ['pending_review', 'info_requested', 'in_conflict', 'approved'] as const;
export const isActive = (status: string): boolean => (ACTIVE as readonly string[]).includes(status);

/** What the rules would do, in a partner's words; never names another party. */
export const PREVIEW_OUTCOME: Record<PreCheck['outcome'], string> = {
  approved: 'It would be approved at once',
  pending_review: 'It would go to review',
  in_conflict: 'It would go into a conflict case',
  rejected: 'It would be rejected',
};

/** The rule ids a decision's reason does not already name (the rules' reasons usually cite them). */
export const rulesNotInReason = (decision: { reason: string; ruleIds: string[] }): string[] =>
  decision.ruleIds.filter((id) => !decision.reason.includes(id));
