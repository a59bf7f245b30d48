import type { BodyOf, ResponseOf } from '../../../api/types';

export type ApiKey = ResponseOf<'/api/api-keys', 'get'>['items'][number];
export type CreatedKey = ResponseOf<'/api/api-keys', 'post'>;
export type NewKeyBody = BodyOf<'/api/api-keys', 'post'>;
export type Grant = NewKeyBody['grant'];

const ROLE_WORDS: Record<string, string> = {
  channel_manager: 'channel manager',
  regional_director: 'regional director',
  vp_partnerships: 'VP partnerships',
};

/** What a key may do, in words: "Partner northwind", "Manager (channel manager) in EMEA", "Ops". */
export function grantInWords(principal: Record<string, unknown>): string {
  const role = String(principal.role);
  if (role === 'partner') return `Partner ${String(principal.partnerId)}`;
  if (role === 'manager') {
    const roles = Array.isArray(principal.escalationRoles)
      ? principal.escalationRoles.map((r) => ROLE_WORDS[r] ?? r)
      : [];
    const regions = Array.isArray(principal.regions) ? (principal.regions as string[]) : [];
    const where = regions.includes('*') ? 'every region' : regions.map((r) => r.toUpperCase()).join(', ');
    return `Manager (${roles.join(', ')}) in ${where}`;
  }
  return role === 'admin' ? 'Admin' : role === 'ops' ? 'Ops' : role;
}
