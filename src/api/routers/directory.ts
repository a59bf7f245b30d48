import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  accountSegmentSchema,
  escalationRoleSchema,
  partnerTierSchema,
  partnerTypeSchema,
  regionSchema,
} from '../../domain/schemas/directory';
import { accountKeyOf } from '../../domain/accountKey';
import { idSchema, type Principal } from '../../domain/principal';
import type { Store } from '../../store';
import { isIssuedCursor } from '../../store/directory';
import type { RouteTable } from '../routes';
import { badRequest, notFound } from '../problem';
import { contactListSchema, contactSchema, domainSchema, emailSchema, listCursor, pageOf, pageQuery } from '../schemas';

const READERS = ['admin', 'ops', 'manager'] as const;
const WRITERS = ['admin'] as const;

export const partnerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  type: partnerTypeSchema,
  tier: partnerTierSchema,
  regions: z.array(regionSchema).min(1),
  contacts: contactListSchema,
});
export const accountBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  segment: accountSegmentSchema.optional(),
  region: regionSchema,
  directOwner: contactSchema.optional(),
});
export const personBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: emailSchema,
  escalationRoles: z.array(escalationRoleSchema),
  regions: z.array(z.union([regionSchema, z.literal('*')])).min(1),
});

const partnerView = partnerBody.extend({ id: z.string(), updatedAt: z.string() });
const accountView = accountBody.extend({ domain: z.string(), updatedAt: z.string() });
const personView = personBody.extend({ id: z.string(), updatedAt: z.string() });

// A hand-made cursor is refused here (400 naming `cursor`) rather than failing in the database.
const directoryPageQuery = pageQuery.extend({ cursor: listCursor(isIssuedCursor).optional() });

const idParam = z.strictObject({ id: idSchema });
const domainParam = z.strictObject({ domain: domainSchema });

/** Account keys are registrable domains: `sales.acme.co.uk` is stored as `acme.co.uk`. */
function accountKeyParam(domain: string): string {
  const key = accountKeyOf(domain);
  if (!key)
    throw badRequest(`domain: "${domain}" is not a domain name`, [{ path: 'domain', message: 'not a domain name' }]);
  return key;
}

export function directoryRoutes(table: RouteTable, store: Store): void {
  // Keyed by each write, not by the request id: a client may send one X-Request-Id with many
  // writes, and each must stay in the trail.
  const audit = (
    principal: Principal,
    requestId: string,
    write: { subject: string; action: string; updatedAt: string },
    detail: object,
  ) =>
    // Not the row's updatedAt: two writes in one millisecond would share it.
    store.audit.append(`request:${requestId}:${write.subject}:${write.action}:${randomUUID()}`, {
      subject: write.subject,
      action: write.action,
      at: new Date().toISOString(),
      actor: principal.subject,
      detail: { ...detail },
    });

  table.add({
    method: 'put',
    path: '/api/directory/partners/{partnerId}',
    summary: 'Create or replace a partner',
    tag: 'Directory',
    roles: WRITERS,
    params: z.strictObject({ partnerId: idSchema }),
    body: partnerBody,
    responses: {
      200: { description: 'Replaced', schema: partnerView },
      201: { description: 'Created', schema: partnerView },
    },
    handler: async ({ params, body, principal, req }) => {
      const { partner, created } = await store.directory.upsertPartner({ id: params.partnerId, ...body });
      await audit(
        principal,
        String(req.id),
        {
          subject: `directory:partner:${partner.id}`,
          action: created ? 'partner.created' : 'partner.updated',
          updatedAt: partner.updatedAt,
        },
        {
          tier: partner.tier,
          type: partner.type,
          regions: partner.regions,
        },
      );
      return { status: created ? 201 : 200, body: partner };
    },
  });
  table.add({
    method: 'get',
    path: '/api/directory/partners',
    summary: 'List partners',
    tag: 'Directory',
    roles: READERS,
    query: directoryPageQuery,
    responses: { 200: { description: 'A page of partners', schema: pageOf(partnerView) } },
    handler: async ({ query }) => ({
      status: 200,
      body: await store.directory.listPartners(query.limit, query.cursor),
    }),
  });
  table.add({
    method: 'get',
    path: '/api/directory/partners/{id}',
    summary: 'Read a partner',
    tag: 'Directory',
    roles: READERS,
    params: idParam,
    responses: { 200: { description: 'The partner', schema: partnerView }, 404: { description: 'No such partner' } },
    handler: async ({ params }) => {
      const partner = await store.directory.getPartner(params.id);
      if (!partner) throw notFound(`partner ${params.id}`);
      return { status: 200, body: partner };
    },
  });

  table.add({
    method: 'put',
    path: '/api/directory/accounts/{domain}',
    summary: 'Create or replace an account',
    tag: 'Directory',
    roles: WRITERS,
    params: domainParam,
    body: accountBody,
    responses: {
      200: { description: 'Replaced', schema: accountView },
      201: { description: 'Created', schema: accountView },
    },
    handler: async ({ params, body, principal, req }) => {
      const domain = accountKeyParam(params.domain);
      const { account, created } = await store.directory.upsertAccount({ domain, ...body });
      await audit(
        principal,
        String(req.id),
        {
          subject: `directory:account:${domain}`,
          action: created ? 'account.created' : 'account.updated',
          updatedAt: account.updatedAt,
        },
        {
          segment: account.segment ?? null,
          region: account.region,
          namedDirect: Boolean(account.directOwner),
        },
      );
      return { status: created ? 201 : 200, body: account };
    },
  });
  table.add({
    method: 'get',
    path: '/api/directory/accounts',
    summary: 'List accounts',
    tag: 'Directory',
    roles: READERS,
    query: directoryPageQuery,
    responses: { 200: { description: 'A page of accounts', schema: pageOf(accountView) } },
    handler: async ({ query }) => ({
      status: 200,
      body: await store.directory.listAccounts(query.limit, query.cursor),
    }),
  });
  table.add({
    method: 'get',
    path: '/api/directory/accounts/{domain}',
    summary: 'Read an account',
    tag: 'Directory',
    roles: READERS,
    params: domainParam,
    responses: { 200: { description: 'The account', schema: accountView }, 404: { description: 'No such account' } },
    handler: async ({ params }) => {
      const account = await store.directory.getAccount(accountKeyParam(params.domain));
      if (!account) throw notFound(`account ${params.domain}`);
      return { status: 200, body: account };
    },
  });

  table.add({
    method: 'put',
    path: '/api/directory/people/{personId}',
    summary: 'Create or replace a person',
    tag: 'Directory',
    roles: WRITERS,
    params: z.strictObject({ personId: idSchema }),
    body: personBody,
    responses: {
      200: { description: 'Replaced', schema: personView },
      201: { description: 'Created', schema: personView },
    },
    handler: async ({ params, body, principal, req }) => {
      const { person, created } = await store.directory.upsertPerson({ id: params.personId, ...body });
      await audit(
        principal,
        String(req.id),
        {
          subject: `directory:person:${person.id}`,
          action: created ? 'person.created' : 'person.updated',
          updatedAt: person.updatedAt,
        },
        {
          escalationRoles: person.escalationRoles,
          regions: person.regions,
        },
      );
      return { status: created ? 201 : 200, body: person };
    },
  });
  table.add({
    method: 'get',
    path: '/api/directory/people',
    summary: 'List people',
    tag: 'Directory',
    roles: READERS,
    query: directoryPageQuery,
    responses: { 200: { description: 'A page of people', schema: pageOf(personView) } },
    handler: async ({ query }) => ({ status: 200, body: await store.directory.listPeople(query.limit, query.cursor) }),
  });
  table.add({
    method: 'get',
    path: '/api/directory/people/{id}',
    summary: 'Read a person',
    tag: 'Directory',
    roles: READERS,
    params: idParam,
    responses: { 200: { description: 'The person', schema: personView }, 404: { description: 'No such person' } },
    handler: async ({ params }) => {
      const person = await store.directory.getPerson(params.id);
      if (!person) throw notFound(`person ${params.id}`);
      return { status: 200, body: person };
    },
  });
}
