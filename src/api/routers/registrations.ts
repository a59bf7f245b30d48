import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Request } from 'express';
import { accountSegmentSchema, regionSchema } from '../../domain/schemas/directory';
import { accountKeyOf } from '../../domain/accountKey';
import { similarAccountNames } from '../../domain/rules';
import { currencyCodeSchema } from '../../domain/currencyCode';
import type { Principal } from '../../domain/principal';
import type { Store } from '../../store';
import { isIssuedCursor } from '../../store/directory';
import {
  closeUpdate,
  decideUpdate,
  provideInfoUpdate,
  recordProgressUpdate,
  requestExtensionUpdate,
  withdrawUpdate,
} from '../../../workflows/registration/contract';
import {
  REGISTRATION_STATUSES,
  type RegistrationInput,
  type RegistrationView,
} from '../../../workflows/registration/contract';
import { objectSteps, type RouteTable } from '../routes';
import { badRequest, conflict, forbidden, notFound } from '../problem';
import { domainSchema, idempotencyKeySchema, listCursor, pageOf } from '../schemas';
import { actorOf, newRegistrationId, registrationCommands, viewFor } from '../registrationCommands';
import { idempotentResourceId } from '../idempotency';
import { preCheckAnswer, preCheckOf } from '../registrationPreCheck';
import { conflictView } from './conflicts';

const EVERY_ROLE = ['admin', 'ops', 'manager', 'partner'] as const;
const productLineSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a lowercase product line id such as "analytics"');
const reasonSchema = z.string().trim().min(1).max(2000);
/** A deal cannot be expected to close before the day it is registered (the UTC day, as every timestamp here). */
const expectedCloseDateSchema = z.iso.date().pipe(
  z.string().superRefine((date, ctx) => {
    const today = new Date().toISOString().slice(0, 10);
    if (date < today)
      ctx.addIssue({ code: 'custom', message: `must not be before the day of submission, ${today} (UTC)` });
  }),
);

const registrationBody = z.strictObject({
  account: z.strictObject({
    name: z.string().trim().min(1).max(200),
    domain: domainSchema,
    region: regionSchema,
    segment: accountSegmentSchema.optional(),
  }),
  opportunity: z.strictObject({
    title: z.string().trim().min(1).max(300),
    productLine: productLineSchema,
    amount: z.strictObject({
      value: z.number().nonnegative().max(1e12),
      currency: currencyCodeSchema,
    }),
    expectedCloseDate: expectedCloseDateSchema,
  }),
});

const moneySchema = z.strictObject({ value: z.number().nonnegative().max(1e12), currency: currencyCodeSchema });
/** The day a deal closed: not in the future (UTC); the workflow refuses one before its registration. */
const closedOnSchema = z.iso
  .date()
  .refine((date) => date <= new Date().toISOString().slice(0, 10), 'must not be after today (UTC)');
const closeBody = z
  .strictObject({
    outcome: z.enum(['won', 'lost']),
    amount: moneySchema.optional().describe('What the customer signed (won only); default: the registered amount'),
    closedOn: closedOnSchema.optional().describe('The day it closed (YYYY-MM-DD, UTC); default: today'),
  })
  .superRefine((body, ctx) => {
    if (body.outcome === 'lost' && body.amount)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'only a won deal has a signed amount' });
  });

const registrationView = z.object({
  id: z.string(),
  workflowId: z.string(),
  partnerId: z.string(),
  account: z.object({ name: z.string(), domain: z.string(), region: z.string(), segment: z.string().optional() }),
  opportunity: z.object({
    title: z.string(),
    productLine: z.string(),
    amount: z.object({ value: z.number(), currency: z.string() }),
    expectedCloseDate: z.string(),
  }),
  status: z.enum(REGISTRATION_STATUSES),
  policyVersion: z.number(),
  submittedAt: z.string(),
  decision: z
    .object({
      outcome: z.string(),
      reason: z.string(),
      ruleIds: z.array(z.string()),
      decidedBy: z.string(),
      decidedAt: z.string(),
    })
    .optional(),
  review: z
    .object({ assigneeRole: z.string(), dueAt: z.string(), breaches: z.number(), pausedAt: z.string().optional() })
    .optional(),
  conflictId: z.string().optional(),
  expiresAt: z.string().optional(),
  extensions: z.array(z.object({ requestedAt: z.string(), newExpiresAt: z.string(), reason: z.string() })),
  lastPartnerUpdateAt: z
    .string()
    .optional()
    .describe("The partner's last progress update; restarts the staleAfter clock"),
  possibleDuplicates: z
    .array(z.object({ domain: z.string(), name: z.string() }))
    .describe('Near-identical account names on other domains, for reviewers; always empty to partners'),
  closure: z
    .object({
      outcome: z.enum(['won', 'lost']),
      amount: z.object({ value: z.number(), currency: z.string() }).optional(),
      closedOn: z.string(),
      closedAt: z.string(),
    })
    .optional()
    .describe('How the deal ended: won with the amount signed, or lost'),
  timeline: z.array(z.object({ at: z.string(), event: z.string(), detail: z.string() })),
});
const idParam = z.strictObject({
  id: z.string().regex(/^reg-[0-9a-f]{16}$/, 'a registration id such as "reg-0123456789abcdef"'),
});
const actionResponses = {
  200: { description: 'The registration after the step', schema: registrationView },
  404: { description: 'No such registration (or not yours)' },
  409: { description: 'Not allowed in its current state; names the rule' },
};

export function registrationRoutes(
  table: RouteTable,
  deps: { store: Store; temporal: Client; taskQueue: string },
): void {
  const commands = registrationCommands(deps.temporal, deps.taskQueue, deps.store);
  const visible = commands.visibleTo;

  table.add({
    method: 'post',
    path: '/api/registrations',
    summary: 'Register a deal',
    tag: 'Registrations',
    roles: ['partner'],
    body: registrationBody,
    idempotencyKey: true,
    responses: {
      201: { description: 'The registration after its first evaluation', schema: registrationView },
      409: { description: 'No policy version is in effect yet, or the partner is not in the directory' },
      422: { description: 'The Idempotency-Key was already used with a different body' },
    },
    handler: async ({ body, principal, req }) => {
      if (principal.role !== 'partner') throw notFound('partner');
      const idempotencyKey = idempotencyKeyOf(req);
      const facts = await registrationFacts(deps.store, principal.partnerId, body);
      // A request refused above (400, 409) leaves its key unused: only one that would start a process claims it.
      const registrationId = await idempotentResourceId(
        deps.store.idempotencyKeys,
        { caller: `partner:${principal.partnerId}`, key: idempotencyKey, body },
        newRegistrationId,
      );
      const view = await commands.submit({ registrationId, ...facts });
      return {
        status: 201,
        body: viewFor(principal, view, view.id),
        headers: { Location: `/api/registrations/${view.id}` },
      };
    },
  });
  table.add({
    method: 'post',
    path: '/api/registrations/pre-check',
    summary: 'Pre-check a registration',
    tag: 'Registrations',
    roles: ['partner'],
    body: registrationBody,
    idempotencyKey: true,
    responses: {
      200: {
        description: 'What the rules would decide if the body were submitted now; nothing is claimed',
        schema: preCheckAnswer,
      },
      409: { description: 'No policy version is in effect yet, or the partner is not in the directory' },
      422: { description: 'The Idempotency-Key was already used with a different body' },
    },
    handler: async ({ body, principal, req }) => {
      if (principal.role !== 'partner') throw notFound('partner');
      const idempotencyKey = idempotencyKeyOf(req);
      const facts = await registrationFacts(deps.store, principal.partnerId, body);
      // Its own key space: a pre-check's key never stands for the registration a later POST creates.
      await idempotentResourceId(
        deps.store.idempotencyKeys,
        { caller: `pre-check:partner:${principal.partnerId}`, key: idempotencyKey, body },
        () => 'pre-check',
      );
      return { status: 200, body: await preCheckOf(deps.temporal, facts) };
    },
  });
  table.add({
    method: 'get',
    path: '/api/registrations',
    summary: 'List registrations',
    tag: 'Registrations',
    roles: EVERY_ROLE,
    query: z.strictObject({
      status: z.enum(REGISTRATION_STATUSES).optional(),
      partnerId: z.string().max(64).optional(),
      domain: z.string().max(300).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: listCursor(isIssuedCursor).optional(),
    }),
    responses: { 200: { description: 'Newest first; a partner sees only its own', schema: pageOf(registrationView) } },
    handler: async ({ query, principal }) => {
      const partnerId = principal.role === 'partner' ? principal.partnerId : query.partnerId;
      if (principal.role === 'partner' && query.partnerId && query.partnerId !== principal.partnerId) {
        return { status: 200, body: { items: [] } };
      }
      const domain = query.domain ? (accountKeyOf(query.domain) ?? query.domain) : undefined;
      const page = await deps.store.registrations.list(
        { partnerId, status: query.status, domain },
        query.limit,
        query.cursor,
      );
      return { status: 200, body: { ...page, items: page.items.map((v) => viewFor(principal, v, v.id)) } };
    },
  });
  table.add({
    method: 'get',
    path: '/api/registrations/{id}',
    summary: 'Read a registration',
    tag: 'Registrations',
    roles: EVERY_ROLE,
    params: idParam,
    responses: {
      200: { description: 'The registration', schema: registrationView },
      404: { description: 'No such registration' },
    },
    handler: async ({ params, principal }) => ({ status: 200, body: await visible(principal, params.id) }),
  });

  const action = objectSteps<RegistrationView>(table, {
    collectionPath: '/api/registrations',
    tag: 'Registrations',
    idParam,
    responses: actionResponses,
    visible,
    present: (principal, view, id) => viewFor(principal, view, id),
  });

  action({
    path: 'decision',
    summary: 'Decide a registration under review',
    roles: ['manager'],
    body: z.strictObject({ outcome: z.enum(['approve', 'reject', 'request_info']), reason: reasonSchema }),
    run: (id, body, principal) => commands.act(id, decideUpdate, [{ ...body, by: actorOf(principal) }]),
  });
  action({
    path: 'info',
    summary: 'Answer an information request',
    roles: ['partner'],
    body: z.strictObject({ message: reasonSchema }),
    run: (id, body, principal) =>
      commands.act(id, provideInfoUpdate, [{ message: body.message, by: actorOf(principal) }]),
  });
  action({
    path: 'extensions',
    summary: 'Extend the protection of an approved registration',
    roles: ['partner'],
    body: z.strictObject({ reason: reasonSchema }),
    run: (id, body, principal) =>
      commands.act(id, requestExtensionUpdate, [{ reason: body.reason, by: actorOf(principal) }]),
  });
  action({
    path: 'updates',
    summary: 'Post a progress update',
    roles: ['partner'],
    body: z.strictObject({ note: reasonSchema, stage: z.string().trim().min(1).max(100).optional() }),
    run: (id, body, principal) => commands.act(id, recordProgressUpdate, [{ ...body, by: actorOf(principal) }]),
  });
  action({
    path: 'close',
    summary: 'Close a registration as won or lost',
    roles: ['partner', 'manager'],
    body: closeBody,
    run: async (id, body, principal) => {
      if (principal.role === 'manager') await requireRegionOf(id, principal);
      return commands.act(id, closeUpdate, [{ ...body, by: actorOf(principal) }]);
    },
  });
  action({
    path: 'withdraw',
    summary: 'Withdraw a registration',
    roles: ['partner'],
    body: z.strictObject({ reason: reasonSchema }),
    run: (id, body, principal) => commands.act(id, withdrawUpdate, [{ reason: body.reason, by: actorOf(principal) }]),
  });

  table.add({
    method: 'get',
    path: '/api/inbox',
    summary: "The caller's pending reviews and open conflicts, soonest due first",
    tag: 'Registrations',
    roles: ['manager'],
    responses: {
      200: {
        description: 'Work waiting on the caller',
        schema: z.object({
          items: z.array(
            z.object({
              kind: z.enum(['registration_review', 'conflict']),
              id: z.string(),
              assigneeRole: z.string(),
              dueAt: z.string(),
              registration: registrationView.optional().describe('The registration under review'),
              conflict: conflictView.optional().describe('The open conflict case'),
            }),
          ),
        }),
      },
    },
    handler: async ({ principal }) => {
      if (principal.role !== 'manager') throw notFound('inbox');
      const [reviews, conflicts] = await Promise.all([
        deps.store.registrations.pendingReviews(principal.escalationRoles),
        deps.store.conflicts.openForRoles(principal.escalationRoles),
      ]);
      const reviewItems = reviews
        .filter((v) => covers(principal.regions, v.account.region))
        .map((v) => ({
          kind: 'registration_review' as const,
          id: v.id,
          assigneeRole: v.review!.assigneeRole,
          dueAt: v.review!.dueAt,
          registration: v,
        }));
      const conflictItems = conflicts
        .filter((c) => covers(principal.regions, c.region) && c.dueAt !== undefined)
        .map((c) => ({
          kind: 'conflict' as const,
          id: c.id,
          assigneeRole: c.assigneeRole,
          dueAt: c.dueAt!,
          conflict: c,
        }));
      const items = [...reviewItems, ...conflictItems].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
      return { status: 200, body: { items } };
    },
  });

  async function requireRegionOf(id: string, principal: Extract<Principal, { role: 'manager' }>) {
    const view = await commands.current(id);
    if (view && !covers(principal.regions, view.account.region)) {
      // A region outside the caller's is a permission, not a state: 403 as for decisions.
      throw forbidden(`the account is in region ${view.account.region}, outside the caller's regions`);
    }
  }
}

/** The `Idempotency-Key` header, in the shape the document declares for it: one schema for both. */
function idempotencyKeyOf(req: Request): string | undefined {
  const idempotencyKey = req.get('idempotency-key');
  if (idempotencyKey !== undefined && !idempotencyKeySchema.safeParse(idempotencyKey).success) {
    throw badRequest('Idempotency-Key: 1–200 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'invalid' },
    ]);
  }
  return idempotencyKey;
}

const covers = (regions: string[], region: string) => regions.includes('*') || regions.includes(region);

/**
 * Everything the process needs, fixed at submission: directory facts and the policy in effect now
 * (for an imported registration: when it was submitted, or now if no version was in effect then).
 */
export async function registrationFacts(
  store: Store,
  partnerId: string,
  body: z.output<typeof registrationBody>,
  submittedAt = new Date().toISOString(),
): Promise<Omit<RegistrationInput, 'registrationId'>> {
  const domain = accountKeyOf(body.account.domain);
  if (!domain)
    throw badRequest('account.domain: not a domain name', [{ path: 'account.domain', message: 'not a domain name' }]);
  const [partner, account, policy] = await Promise.all([
    store.directory.getPartner(partnerId),
    store.directory.getAccount(domain),
    store.policies.effectiveAt(new Date(submittedAt)).then(async (then) => then ?? store.policies.current()),
  ]);
  if (!partner) throw conflict(`partner ${partnerId} is not in the directory; ask the program owner to add it`);
  if (!policy) throw conflict('no policy version is in effect yet');
  // The directory's record of the account wins over what the partner says about it.
  const segment = account?.segment ?? body.account.segment;
  const candidates = await store.registrations.accountNames(domain);
  return {
    partner: { id: partner.id, name: partner.name, tier: partner.tier, type: partner.type, regions: partner.regions },
    account: {
      name: body.account.name,
      domain,
      region: account?.region ?? body.account.region,
      ...(segment ? { segment } : {}),
      namedDirect: Boolean(account?.directOwner),
    },
    opportunity: body.opportunity,
    submittedAt,
    policy: { version: policy.version, document: policy.document },
    possibleDuplicates: similarAccountNames(body.account.name, candidates, domain),
  };
}
