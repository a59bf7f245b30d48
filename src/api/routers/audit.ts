import { z } from 'zod';
import type { Store } from '../../store';
import type { RouteTable } from '../routes';
import { pageOf, pageQuery } from '../schemas';

const eventView = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

export function auditRoutes(table: RouteTable, store: Store): void {
  table.add({
    method: 'get',
    path: '/api/audit',
    summary: 'Read the audit trail of one subject',
    tag: 'Operations',
    roles: ['admin', 'ops', 'manager'],
    query: pageQuery.extend({
      subject: z
        .string()
        .regex(
          /^(registration|conflict|policy|rollout|directory):[A-Za-z0-9._:@-]{1,200}$/,
          'registration:ID, conflict:ID, policy:N, rollout:ID or directory:KIND:ID',
        ),
    }),
    responses: { 200: { description: 'Events in the order they happened', schema: pageOf(eventView) } },
    handler: async ({ query }) => {
      const page = await store.audit.bySubject(query.subject, query.limit, query.cursor);
      return {
        status: 200,
        body: { ...page, items: page.items.map(({ at, actor, action, detail }) => ({ at, actor, action, detail })) },
      };
    },
  });
}
