import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { durationToMillis, parseDuration } from '../../domain/duration';
import type { Store } from '../../store';
import { allOf, type Partner } from '../../store/directory';
import {
  cancelPolicyChangeUpdate,
  POLICY_CHANGE_WORKFLOW_TYPE,
  type PolicyChangeWorkflow,
  policyChangeWorkflowId,
} from '../../../workflows/policyChange/contract';
import type { RouteTable } from '../routes';
import { badRequest, conflict, notFound } from '../problem';
import { instantSchema } from '../schemas';
import { policyView } from './policies';
import { problemOfRefusal } from '../refusals';

const EVERY_ROLE = ['admin', 'ops', 'manager', 'partner'] as const;
const versionParam = z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000) });

/** Publishing, cancelling and acknowledging policy versions: the policy-change process. */
export function policyChangeRoutes(
  table: RouteTable,
  deps: { store: Store; temporal: Client; taskQueue: string },
): void {
  const { store, temporal } = deps;

  table.add({
    method: 'post',
    path: '/api/policies/{version}/publish',
    summary: 'Publish a draft with its notice period',
    tag: 'Policies',
    roles: ['admin'],
    params: versionParam,
    body: z.strictObject({ effectiveAt: instantSchema.optional() }),
    responses: {
      202: {
        description: 'The change workflow started',
        schema: z.object({ workflowId: z.string(), effectiveAt: z.string() }),
      },
      400: { description: 'effectiveAt earlier than now + noticePeriod' },
      404: { description: 'No such version' },
      409: { description: 'Not a draft, or under an active rollout (rolloutId names it)' },
    },
    handler: async ({ params, body, principal }) => {
      const policy = await store.policies.get(params.version);
      if (!policy) throw notFound(`policy version ${params.version}`);
      await refuseUnderRollout(store, params.version, 'published');
      if (policy.status !== 'draft')
        throw conflict(`policy version ${params.version} is ${policy.status}; only a draft can be published`);
      const now = new Date();
      const earliest = new Date(now.getTime() + durationToMillis(parseDuration(policy.document.noticePeriod)!));
      const effectiveAt = body.effectiveAt ? new Date(body.effectiveAt) : earliest;
      // A second of slack: "now + notice" computed by the caller a moment ago is not "earlier".
      if (effectiveAt.getTime() < earliest.getTime() - 1_000) {
        throw badRequest(
          `effectiveAt: must be at least the notice period (${policy.document.noticePeriod}) from now, i.e. ${earliest.toISOString()} or later`,
          [{ path: 'effectiveAt', message: `earlier than now + noticePeriod (${earliest.toISOString()})` }],
        );
      }
      const scheduled = await store.policies.schedule(params.version, now, effectiveAt);
      if (!scheduled) throw conflict(`policy version ${params.version} is no longer a draft`);
      const workflowId = policyChangeWorkflowId(params.version);
      await temporal.workflow.start<PolicyChangeWorkflow>(POLICY_CHANGE_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [
          {
            version: params.version,
            title: scheduled.title,
            publishedAt: scheduled.publishedAt!,
            effectiveAt: scheduled.effectiveAt!,
            noticePeriod: scheduled.document.noticePeriod,
          },
        ],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      await store.audit.append(`publish:${params.version}`, {
        subject: `policy:${params.version}`,
        at: now.toISOString(),
        actor: principal.subject,
        action: 'policy.publish_requested',
        detail: { effectiveAt: scheduled.effectiveAt },
      });
      return { status: 202, body: { workflowId, effectiveAt: scheduled.effectiveAt! } };
    },
  });

  table.add({
    method: 'post',
    path: '/api/policies/{version}/cancel',
    summary: 'Cancel a scheduled version before it takes effect',
    tag: 'Policies',
    roles: ['admin'],
    params: versionParam,
    body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
    responses: {
      200: { description: 'The cancelled version', schema: policyView },
      404: { description: 'No such version' },
      409: { description: 'Not scheduled, or under an active rollout (rolloutId names it)' },
    },
    handler: async ({ params, body, principal }) => {
      const policy = await store.policies.get(params.version);
      if (!policy) throw notFound(`policy version ${params.version}`);
      await refuseUnderRollout(store, params.version, 'cancelled');
      if (policy.status !== 'scheduled')
        throw conflict(
          `policy version ${params.version} is ${policy.status}; only a scheduled version can be cancelled`,
        );
      try {
        await temporal.workflow
          .getHandle(policyChangeWorkflowId(params.version))
          .executeUpdate(cancelPolicyChangeUpdate, { args: [{ reason: body.reason, by: principal.subject }] });
      } catch (error) {
        // The change may have ended (took effect or was cancelled) while the store caught up.
        throw await problemOfRefusal(error, {
          ended: () => conflict(`policy version ${params.version} is no longer scheduled`),
        });
      }
      return { status: 200, body: await store.policies.get(params.version) };
    },
  });

  table.add({
    method: 'post',
    path: '/api/policies/{version}/acknowledgements',
    summary: "Acknowledge a published version (the caller's partner)",
    tag: 'Policies',
    roles: ['partner'],
    params: versionParam,
    responses: {
      201: {
        description: 'Acknowledged',
        schema: z.object({ version: z.number(), partnerId: z.string(), acknowledged: z.literal(true) }),
      },
      404: { description: 'No such published version' },
      409: { description: 'The version was cancelled' },
    },
    handler: async ({ params, principal }) => {
      if (principal.role !== 'partner') throw notFound('partner');
      const policy = await store.policies.get(params.version);
      if (!policy || policy.status === 'draft') throw notFound(`published policy version ${params.version}`);
      if (policy.status === 'cancelled') throw conflict(`policy version ${params.version} was cancelled`);
      if (await store.policies.acknowledge(params.version, principal.partnerId, principal.subject)) {
        await store.audit.append(`ack:${params.version}:${principal.partnerId}`, {
          subject: `policy:${params.version}`,
          at: new Date().toISOString(),
          actor: principal.subject,
          action: 'policy.acknowledged',
          detail: { partnerId: principal.partnerId },
        });
      }
      return {
        status: 201,
        body: { version: params.version, partnerId: principal.partnerId, acknowledged: true as const },
      };
    },
  });

  table.add({
    method: 'get',
    path: '/api/policies/{version}/notice',
    summary: 'The notice of a published version: acknowledgements and grandfathered deals',
    tag: 'Policies',
    roles: EVERY_ROLE,
    params: versionParam,
    responses: {
      200: {
        description: 'The notice',
        schema: z.object({
          status: z.string(),
          publishedAt: z.string().optional(),
          effectiveAt: z.string().optional(),
          acknowledged: z.array(z.string()),
          pending: z.array(z.string()),
          acknowledgedAt: z
            .string()
            .optional()
            .describe("When the caller's partner acknowledged this version; partners only, once they have"),
          grandfathered: z
            .number()
            .describe("active registrations still under older versions (to a partner, only the partner's own)"),
        }),
      },
      404: { description: 'No such published version' },
    },
    handler: async ({ params, principal }) => {
      const policy = await store.policies.get(params.version);
      if (!policy || policy.status === 'draft') throw notFound(`published policy version ${params.version}`);
      const acknowledged = await store.policies.acknowledgedBy(params.version);
      const partners = await everyPartnerId(store);
      const ackSet = new Set(acknowledged);
      // A partner sees only its own acknowledgement, never the others'.
      const mine = (ids: string[]) =>
        principal.role === 'partner' ? ids.filter((id) => id === principal.partnerId) : ids;
      const acknowledgedAt =
        principal.role === 'partner'
          ? await store.policies.acknowledgedAt(params.version, principal.partnerId)
          : undefined;
      return {
        status: 200,
        body: {
          status: policy.status,
          ...(policy.publishedAt ? { publishedAt: policy.publishedAt } : {}),
          ...(policy.effectiveAt ? { effectiveAt: policy.effectiveAt } : {}),
          acknowledged: mine(acknowledged),
          pending: mine(partners.filter((id) => !ackSet.has(id))),
          ...(acknowledgedAt ? { acknowledgedAt } : {}),
          // A partner counts only its own deals: the others' volume is not its business.
          grandfathered: await store.policies.grandfatheredCount(
            params.version,
            principal.role === 'partner' ? principal.partnerId : undefined,
          ),
        },
      };
    },
  });
}

/** A version under an active rollout changes only through it: its stages publish it and own its notice. */
async function refuseUnderRollout(store: Store, version: number, verb: 'published' | 'cancelled'): Promise<void> {
  const rolloutId = await store.rollouts.activeFor(version);
  if (rolloutId) {
    throw conflict(`policy version ${version} is under rollout ${rolloutId}; it cannot be ${verb} directly`, {
      rolloutId,
    });
  }
}

const everyPartnerId = async (store: Store): Promise<string[]> =>
  (await allOf((limit, cursor) => store.directory.listPartners(limit, cursor))).map((p: Partner) => p.id);
