// The vocabulary of the partner program; policies and the directory both refer to these names.
export const PARTNER_TIERS = ['registered', 'silver', 'gold', 'platinum'] as const;
export const PARTNER_TYPES = ['reseller', 'system_integrator', 'distributor', 'msp', 'referral', 'isv'] as const;
export const ACCOUNT_SEGMENTS = ['smb', 'mid_market', 'enterprise', 'strategic', 'public_sector'] as const;
// Ordered from the first tier of the escalation ladder upwards.
export const ESCALATION_ROLES = ['channel_manager', 'regional_director', 'vp_partnerships'] as const;

export type PartnerTier = (typeof PARTNER_TIERS)[number];
export type PartnerType = (typeof PARTNER_TYPES)[number];
export type AccountSegment = (typeof ACCOUNT_SEGMENTS)[number];
export type EscalationRole = (typeof ESCALATION_ROLES)[number];

/** True when `held` is `needed` or a role above it on the escalation ladder. */
export function isRoleAtOrAbove(held: EscalationRole, needed: EscalationRole): boolean {
  return ESCALATION_ROLES.indexOf(held) >= ESCALATION_ROLES.indexOf(needed);
}
