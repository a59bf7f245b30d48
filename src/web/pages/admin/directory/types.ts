import type { BodyOf, ResponseOf } from '../../../api/types';

export type Partner = ResponseOf<'/api/directory/partners/{partnerId}', 'get'>;
export type PartnerBody = BodyOf<'/api/directory/partners/{partnerId}', 'put'>;
export type Account = ResponseOf<'/api/directory/accounts/{domain}', 'get'>;
export type AccountBody = BodyOf<'/api/directory/accounts/{domain}', 'put'>;
export type Person = ResponseOf<'/api/directory/people/{personId}', 'get'>;
export type PersonBody = BodyOf<'/api/directory/people/{personId}', 'put'>;

// The program's vocabulary, as the API's schemas name it (src/domain/directory.ts).
export const PARTNER_TIERS = ['registered', 'silver', 'gold', 'platinum'] as const satisfies readonly Partner['tier'][];
export const PARTNER_TYPES = [
  'reseller',
  'system_integrator',
  'distributor',
  'msp',
  'referral',
  'isv',
] as const satisfies readonly Partner['type'][];
export const ACCOUNT_SEGMENTS = [
  'smb',
  'mid_market',
  'enterprise',
  'strategic',
  'public_sector',
] as const satisfies readonly NonNullable<Account['segment']>[];
export const ESCALATION_ROLES = [
  'channel_manager',
  'regional_director',
  'vp_partnerships',
] as const satisfies readonly Person['escalationRoles'][number][];
