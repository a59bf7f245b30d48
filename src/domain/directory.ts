import { z } from 'zod';

// The vocabulary of the partner program; policies and the directory both refer to these names.
export const PARTNER_TIERS = ['registered', 'silver', 'gold', 'platinum'] as const;
export const PARTNER_TYPES = ['reseller', 'system_integrator', 'distributor', 'msp', 'referral', 'isv'] as const;
export const ACCOUNT_SEGMENTS = ['smb', 'mid_market', 'enterprise', 'strategic', 'public_sector'] as const;
// Ordered from the first tier of the escalation ladder upwards.
export const ESCALATION_ROLES = ['channel_manager', 'regional_director', 'vp_partnerships'] as const;

export const partnerTierSchema = z.enum(PARTNER_TIERS);
export const partnerTypeSchema = z.enum(PARTNER_TYPES);
export const accountSegmentSchema = z.enum(ACCOUNT_SEGMENTS);
export const escalationRoleSchema = z.enum(ESCALATION_ROLES);
export const regionSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{1,31}$/, 'a region is a lowercase slug such as "emea" or "na"');

export type PartnerTier = z.infer<typeof partnerTierSchema>;
export type PartnerType = z.infer<typeof partnerTypeSchema>;
export type AccountSegment = z.infer<typeof accountSegmentSchema>;
export type EscalationRole = z.infer<typeof escalationRoleSchema>;

/** True when `held` is `needed` or a role above it on the escalation ladder. */
export function isRoleAtOrAbove(held: EscalationRole, needed: EscalationRole): boolean {
  return ESCALATION_ROLES.indexOf(held) >= ESCALATION_ROLES.indexOf(needed);
}
