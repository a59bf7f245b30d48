import { z } from 'zod';
import { escalationRoleSchema, regionSchema } from '../../domain/schemas/directory';
import { idSchema } from '../../domain/principal';
import type { Store } from '../../store';
import type { RouteTable } from '../routes';
import { notFound } from '../problem';

const grantSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('admin') }),
  z.strictObject({ role: z.literal('ops') }),
  z.strictObject({
    role: z.literal('manager'),
    escalationRoles: z.array(escalationRoleSchema).min(1),
    regions: z.array(z.union([regionSchema, z.literal('*')])).min(1),
  }),
  z.strictObject({ role: z.literal('partner'), partnerId: idSchema }),
]);

const keyView = z.object({
  id: z.string(),
  name: z.string(),
  principal: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});

export function apiKeyRoutes(table: RouteTable, store: Store): void {
  // Keyed by the key and the action, not the request id: a client may send one X-Request-Id with
  // many writes, and a creation or revocation hidden that way would leave no trace. Each happens once per key.
  const audit = (actor: string, id: string, action: string, detail: object) =>
    store.audit.append(`api-key:${id}:${action}`, {
      subject: `directory:api-key:${id}`,
      at: new Date().toISOString(),
      actor,
      action,
      detail: { ...detail },
    });

  table.add({
    method: 'post',
    path: '/api/api-keys',
    summary: 'Create a service API key',
    tag: 'Access',
    roles: ['admin'],
    body: z.strictObject({ name: z.string().trim().min(1).max(100), grant: grantSchema }),
    responses: {
      201: {
        description: 'The key, shown this once; only its hash is stored',
        schema: keyView.extend({ key: z.string() }),
      },
      404: { description: 'The partner of a partner grant does not exist' },
    },
    handler: async ({ body, principal }) => {
      if (body.grant.role === 'partner' && !(await store.directory.getPartner(body.grant.partnerId))) {
        throw notFound(`partner ${body.grant.partnerId}`);
      }
      const { record, key } = await store.apiKeys.create(body.name, body.grant);
      await audit(principal.subject, record.id, 'api_key.created', {
        name: record.name,
        role: record.principal.role,
      });
      return { status: 201, body: { ...record, key } };
    },
  });
  table.add({
    method: 'get',
    path: '/api/api-keys',
    summary: 'List service API keys (never the keys themselves)',
    tag: 'Access',
    roles: ['admin'],
    responses: { 200: { description: 'Every key', schema: z.object({ items: z.array(keyView) }) } },
    handler: async () => ({ status: 200, body: { items: await store.apiKeys.list() } }),
  });
  table.add({
    method: 'delete',
    path: '/api/api-keys/{id}',
    summary: 'Revoke a service API key',
    tag: 'Access',
    roles: ['admin'],
    params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{12}$/, 'a key id') }),
    responses: { 200: { description: 'The revoked key', schema: keyView }, 404: { description: 'No such key' } },
    handler: async ({ params, principal }) => {
      const record = await store.apiKeys.revoke(params.id);
      if (!record) throw notFound(`API key ${params.id}`);
      await audit(principal.subject, record.id, 'api_key.revoked', { name: record.name });
      return { status: 200, body: record };
    },
  });
}
