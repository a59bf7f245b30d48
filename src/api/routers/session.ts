import { z } from 'zod';
import { ROLES, type Principal } from '../../domain/principal';
import type { EscalationRole } from '../../domain/directory';
import { DEV_PARTNERS, DEV_TOKENS } from '../../devDirectory';
import type { Store } from '../../store';
import type { RouteTable } from '../routes';

export interface SessionOptions {
  devTokens: boolean;
  /** The Temporal Web UI, shown to ops and admins only. */
  temporalUiUrl?: string;
  /** The Temporal namespace the workflows run in, so the web app can link each to the Temporal UI. */
  temporalNamespace?: string;
  /**
   * The web app's public OIDC client: present when JWT sign-in is configured with a client id.
   * `audience` is the API's resource (AUTH_AUDIENCE): the page asks for an access token for it.
   */
  oidc?: { issuer: string; clientId: string; audience: string };
}

const ROLE_NAMES: Record<EscalationRole, string> = {
  channel_manager: 'Channel manager',
  regional_director: 'Regional director',
  vp_partnerships: 'VP partnerships',
};

/** How the web app's header names the caller: "Northwind Traders (partner)" (a development partner: "Northwind (partner)"), "Channel manager EMEA", "Ops". */
export function displayNameOf(principal: Principal, partnerName?: string): string {
  if (principal.role === 'admin') return 'Admin';
  if (principal.role === 'ops') return 'Ops';
  if (principal.role === 'partner') return `${partnerName ?? principal.partnerId} (partner)`;
  const role = ROLE_NAMES[principal.escalationRoles[principal.escalationRoles.length - 1]];
  return principal.regions.includes('*') ? role : `${role} ${principal.regions.join(', ').toUpperCase()}`;
}

const sessionView = z.object({
  subject: z.string(),
  role: z.enum(ROLES),
  displayName: z.string(),
  partnerId: z.string().optional(),
  partnerName: z.string().optional(),
  escalationRoles: z.array(z.string()).optional(),
  regions: z.array(z.string()).optional(),
  temporalUiUrl: z.string().optional().describe('The Temporal Web UI; for ops and admins only'),
  temporalNamespace: z
    .string()
    .optional()
    .describe('The Temporal namespace of the workflows (for links into the Temporal UI); for ops and admins only'),
});

const authConfigView = z.object({
  devSignIn: z
    .array(z.object({ token: z.string(), name: z.string(), role: z.enum(ROLES) }))
    .describe('The development tokens, while development sign-in is on; else empty'),
  oidc: z
    .object({
      issuer: z.string(),
      clientId: z.string(),
      scope: z.string(),
      audience: z
        .string()
        .describe('The API as a resource (RFC 8707): sent as `resource` so that the access token names it in `aud`'),
    })
    .optional(),
});

export function sessionRoutes(table: RouteTable, deps: { store: Store } & SessionOptions): void {
  table.add({
    method: 'get',
    path: '/api/session',
    summary: 'Say who the caller is',
    tag: 'Session',
    roles: ROLES,
    responses: { 200: { description: 'The caller, for the web app header', schema: sessionView } },
    handler: async ({ principal }) => {
      const partnerName =
        principal.role === 'partner' ? (await deps.store.directory.getPartner(principal.partnerId))?.name : undefined;
      const staff = principal.role === 'admin' || principal.role === 'ops';
      return {
        status: 200,
        body: {
          subject: principal.subject,
          role: principal.role,
          displayName: (deps.devTokens ? devNameOf(principal) : undefined) ?? displayNameOf(principal, partnerName),
          ...(principal.role === 'partner' ? { partnerId: principal.partnerId } : {}),
          ...(partnerName ? { partnerName } : {}),
          ...(principal.role === 'manager'
            ? { escalationRoles: principal.escalationRoles, regions: principal.regions }
            : {}),
          ...(staff && deps.temporalUiUrl ? { temporalUiUrl: deps.temporalUiUrl } : {}),
          ...(staff && deps.temporalNamespace ? { temporalNamespace: deps.temporalNamespace } : {}),
        },
      };
    },
  });

  table.add({
    method: 'get',
    path: '/api/auth/config',
    summary: 'Say how to sign in',
    tag: 'Session',
    roles: 'public',
    responses: { 200: { description: 'The sign-in options of this server', schema: authConfigView } },
    handler: async () => ({
      status: 200,
      body: {
        devSignIn: deps.devTokens
          ? Object.entries(DEV_TOKENS).map(([token, principal]) => ({
              token,
              name: displayNameOf(principal, devPartnerName(principal)),
              role: principal.role,
            }))
          : [],
        ...(deps.oidc ? { oidc: { ...deps.oidc, scope: 'openid profile' } } : {}),
      },
    }),
  });
}

/** A development partner goes by its short name ("Northwind (partner)"), as the sign-in page names it. */
const devPartnerName = (principal: Principal) =>
  principal.role === 'partner' ? DEV_PARTNERS.find((p) => p.id === principal.partnerId)?.name.split(' ')[0] : undefined;

/** The name of a development principal, when the caller is one (development tokens on). */
function devNameOf(principal: Principal): string | undefined {
  const dev = Object.values(DEV_TOKENS).find((p) => p.subject === principal.subject && p.role === principal.role);
  return dev ? displayNameOf(dev, devPartnerName(dev)) : undefined;
}
