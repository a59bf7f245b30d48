import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { ESCALATION_ROLES, PARTNER_TIERS } from '../../domain/directory';
import { escalationRoleSchema } from '../../domain/schemas/directory';
import type { Principal } from '../../domain/principal';
import type { Store } from '../../store';
import { isIssuedCursor } from '../../store/directory';
import { appealConflictUpdate, resolveConflictUpdate } from '../../../workflows/conflict/contract';
import { CONFLICT_STATUSES, type ConflictView } from '../../../workflows/conflict/contract';
import { objectSteps, type RouteTable } from '../routes';
import { notFound } from '../problem';
import { listCursor, pageOf } from '../schemas';
import { actorOf } from '../registrationCommands';
import {
  ANOTHER_PARTY,
  YOUR_REGISTRATION,
  conflictCommands,
  conflictViewFor,
  visibleConflict,
} from '../conflictCommands';

const EVERY_ROLE = ['admin', 'ops', 'manager', 'partner'] as const;
const reasonSchema = z.string().trim().min(1).max(2000);

export const conflictView = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    domain: z.string(),
    productLine: z.string(),
    region: z.string(),
    status: z.enum(CONFLICT_STATUSES),
    tier: z.number().int().describe('1-based position on the escalation ladder'),
    assigneeRole: z.enum(ESCALATION_ROLES),
    dueAt: z.string().optional().describe("When the current tier's deadline passes and the case moves up"),
    policyVersion: z.number().int(),
    openedAt: z.string(),
    parties: z.array(
      z
        .object({
          kind: z.enum(['partner', 'direct']),
          registrationId: z.string().optional(),
          partnerId: z.string().optional(),
          partnerName: z.string().optional(),
          partnerTier: z.enum(PARTNER_TIERS).optional(),
          submittedAt: z.string(),
          holder: z.boolean().optional().describe('Held the claim when the case opened and keeps its status meanwhile'),
        })
        .describe('A claimant. To a partner, other parties show only kind and submittedAt'),
    ),
    resolution: z
      .object({
        award: z
          .string()
          .describe(
            `A registration id, "direct", "co_sell" or "none"; to a partner "${YOUR_REGISTRATION}" or "${ANOTHER_PARTY}" instead of an id`,
          ),
        reason: z.string(),
        decidedBy: z.string(),
        decidedAt: z.string(),
        by: z.enum(['manager', 'default']),
        ruleId: z.string().optional(),
      })
      .optional(),
    breaches: z.array(z.object({ tier: z.number().int(), role: z.enum(ESCALATION_ROLES), at: z.string() })),
    appeals: z
      .array(z.object({ partnerId: z.string(), at: z.string(), reason: z.string() }))
      .describe('A partner sees only its own appeal'),
    history: z.array(z.object({ at: z.string(), event: z.string(), detail: z.string() })),
  })
  .describe('A conflict case: competing claims on one account and product line');

const idParam = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'a conflict id as returned by GET /api/conflicts'),
});
const actionResponses = {
  200: { description: 'The case after the step', schema: conflictView },
  404: { description: 'No such case (or not a party to it)' },
  409: { description: 'Not allowed in its current state; names the rule' },
};

export function conflictRoutes(table: RouteTable, deps: { store: Store; temporal: Client }): void {
  const commands = conflictCommands(deps.temporal, deps.store);
  const visible = async (principal: Principal, id: string) => {
    // A partner's first step is one store query for its own cases: a case it is no party to and
    // one that does not exist get the same 404 after the same work (no status query runs).
    if (principal.role === 'partner' && !(await deps.store.conflicts.isParty(id, principal.partnerId))) {
      throw notFound(`conflict ${id}`);
    }
    return visibleConflict(principal, await commands.current(id), id);
  };

  table.add({
    method: 'get',
    path: '/api/conflicts',
    summary: 'List conflict cases',
    tag: 'Conflicts',
    roles: EVERY_ROLE,
    query: z.strictObject({
      status: z.enum(CONFLICT_STATUSES).optional(),
      assigneeRole: escalationRoleSchema.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: listCursor(isIssuedCursor).optional(),
    }),
    responses: {
      200: {
        description: 'Newest first; a partner sees only the cases it is a party to, redacted',
        schema: pageOf(conflictView),
      },
    },
    handler: async ({ query, principal }) => {
      const page = await deps.store.conflicts.list(
        {
          status: query.status,
          assigneeRole: query.assigneeRole,
          partnerId: principal.role === 'partner' ? principal.partnerId : undefined,
        },
        query.limit,
        query.cursor,
      );
      return { status: 200, body: { ...page, items: page.items.map((v) => conflictViewFor(principal, v)) } };
    },
  });
  table.add({
    method: 'get',
    path: '/api/conflicts/{id}',
    summary: 'Read a conflict case',
    tag: 'Conflicts',
    roles: EVERY_ROLE,
    params: idParam,
    responses: {
      200: { description: 'The case, as its workflow sees it now', schema: conflictView },
      404: { description: 'No such case (or not a party to it)' },
    },
    handler: async ({ params, principal }) => ({ status: 200, body: await visible(principal, params.id) }),
  });

  const action = objectSteps<ConflictView>(table, {
    collectionPath: '/api/conflicts',
    tag: 'Conflicts',
    idParam,
    responses: actionResponses,
    visible,
    present: (principal, view) => conflictViewFor(principal, view),
  });

  action({
    path: 'resolution',
    summary: 'Resolve a conflict case',
    roles: ['manager'],
    body: z.strictObject({
      award: z.string().trim().min(1).max(100).describe('A registration id of the case, "direct", "co_sell" or "none"'),
      reason: reasonSchema,
    }),
    run: (id, body, principal) =>
      commands.act(principal, id, resolveConflictUpdate, [{ ...body, by: actorOf(principal) }]),
  });
  action({
    path: 'appeal',
    summary: 'Appeal the decision of a conflict case',
    roles: ['partner'],
    body: z.strictObject({ reason: reasonSchema }),
    run: (id, body, principal) =>
      commands.act(principal, id, appealConflictUpdate, [{ reason: body.reason, by: actorOf(principal) }]),
  });
}
