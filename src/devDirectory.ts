import type { Principal } from './domain/principal';
import type { Account, Partner, Person } from './store/directory';

/** The development directory that dev auth's tokens belong to (API.md, "Roles and the development directory"). */
export const DEV_PARTNERS: Omit<Partner, 'updatedAt'>[] = [
  {
    id: 'northwind',
    name: 'Northwind Traders',
    type: 'reseller',
    tier: 'gold',
    regions: ['emea'],
    contacts: [{ name: 'Nora Wind', email: 'nora@northwind.example' }],
  },
  {
    id: 'contoso',
    name: 'Contoso Ltd',
    type: 'reseller',
    tier: 'silver',
    regions: ['emea'],
    contacts: [{ name: 'Carl Toso', email: 'carl@contoso.example' }],
  },
  {
    id: 'fabrikam',
    name: 'Fabrikam Systems',
    type: 'system_integrator',
    tier: 'platinum',
    regions: ['emea', 'na'],
    contacts: [
      { name: 'Fiona Brik', email: 'fiona@fabrikam.example' },
      { name: 'Frank Kam', email: 'frank@fabrikam.example' },
    ],
  },
];

export const DEV_PEOPLE: Omit<Person, 'updatedAt'>[] = [
  {
    id: 'cm-emea',
    name: 'Chris Channel',
    email: 'chris.channel@vendor.example',
    escalationRoles: ['channel_manager'],
    regions: ['emea'],
  },
  {
    id: 'rd-emea',
    name: 'Rita Regional',
    email: 'rita.regional@vendor.example',
    escalationRoles: ['regional_director'],
    regions: ['emea'],
  },
  {
    id: 'vp',
    name: 'Victor Vance',
    email: 'victor.vance@vendor.example',
    escalationRoles: ['vp_partnerships'],
    regions: ['*'],
  },
];

export const DEV_ACCOUNTS: Omit<Account, 'updatedAt'>[] = [
  { domain: 'globex.example', name: 'Globex Corporation', segment: 'enterprise', region: 'emea' },
  { domain: 'initech.example', name: 'Initech', segment: 'mid_market', region: 'emea' },
  { domain: 'umbrella.example', name: 'Umbrella Group', segment: 'strategic', region: 'emea' },
  {
    domain: 'hooli.example',
    name: 'Hooli',
    segment: 'mid_market',
    region: 'emea',
    directOwner: { name: 'Dana Direct', email: 'dana.direct@vendor.example' },
  },
];

export const DEV_TOKENS: Record<string, Principal> = {
  'dev-admin': { role: 'admin', subject: 'dev-admin' },
  'dev-ops': { role: 'ops', subject: 'dev-ops' },
  'dev-cm-emea': { role: 'manager', subject: 'cm-emea', escalationRoles: ['channel_manager'], regions: ['emea'] },
  'dev-rd-emea': { role: 'manager', subject: 'rd-emea', escalationRoles: ['regional_director'], regions: ['emea'] },
  'dev-vp': { role: 'manager', subject: 'vp', escalationRoles: ['vp_partnerships'], regions: ['*'] },
  'dev-partner-northwind': { role: 'partner', subject: 'partner:northwind', partnerId: 'northwind' },
  'dev-partner-contoso': { role: 'partner', subject: 'partner:contoso', partnerId: 'contoso' },
  'dev-partner-fabrikam': { role: 'partner', subject: 'partner:fabrikam', partnerId: 'fabrikam' },
};
