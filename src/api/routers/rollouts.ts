import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { durationSchema } from '../../domain/duration';
import { DEFAULT_STAGE_TASKS } from '../../domain/rolloutPlaybook';
import type { Principal } from '../../domain/principal';
import type { Store } from '../../store';
import { completeTaskUpdate, rollout, rolloutStatusQuery, signOffUpdate } from '../../../workflows/rollout';
import {
  ROLLOUT_STAGES,
  rolloutWorkflowId,
  type RolloutInput,
  type RolloutView,
  type StagePlan,
} from '../../../workflows/rolloutTypes';
import type { RouteTable } from '../routes';
import { Problem, badRequest, conflict, notFound } from '../problem';
import { contactSchema, pageQuery } from '../schemas';

const stageSchema = z.enum(ROLLOUT_STAGES);
const stagePlanSchema = z.strictObject({
  /** `{name, email}`, or the id of a person of the directory. */
  owner: z.union([contactSchema, z.string().min(1).max(64)]).optional(),
  due: durationSchema.optional(),
  approvers: z.array(z.string().min(1).max(64)).max(20).optional(),
  tasks: z.array(z.string().trim().min(1).max(300)).min(1).max(50).optional(),
});
const rolloutBody = z.strictObject({
  policyVersion: z.number().int().min(1).max(1_000_000),
  sponsor: contactSchema,
  reviewCadence: durationSchema.optional(),
  acknowledgementThreshold: z.number().min(0).max(1).optional(),
  stages: z.partialRecord(stageSchema, stagePlanSchema).optional(),
});
const idParam = z.strictObject({ id: z.string().regex(/^ro-[0-9a-f]{12}$/, 'a rollout id such as "ro-0123456789ab"') });

export function rolloutRoutes(table: RouteTable, deps: { store: Store; temporal: Client; taskQueue: string }): void {
  const { store, temporal } = deps;
  const ownerOf = (owner: Parameters<typeof ownerOfIn>[1], sponsor: { name: string; email: string }, stage: string) =>
    ownerOfIn(store, owner, sponsor, stage);
  const handleOf = (id: string) => temporal.workflow.getHandle<typeof rollout>(rolloutWorkflowId(id));
  const current = async (id: string): Promise<RolloutView> => {
    try {
      return await handleOf(id).query(rolloutStatusQuery);
    } catch {
      const stored = await store.rollouts.get(id);
      if (!stored) throw notFound(`rollout ${id}`);
      return stored;
    }
  };

  table.add({
    method: 'post',
    path: '/api/rollouts',
    summary: 'Launch the rollout of a policy version',
    tag: 'Rollouts',
    roles: ['admin'],
    body: rolloutBody,
    responses: {
      202: { description: 'The rollout started', schema: z.object({ id: z.string(), workflowId: z.string() }) },
    },
    handler: async ({ body }) => {
      const policy = await store.policies.get(body.policyVersion);
      if (!policy)
        throw badRequest(`policyVersion: no policy version ${body.policyVersion}`, [
          { path: 'policyVersion', message: 'no such version' },
        ]);
      if (policy.status !== 'draft')
        throw conflict(`policy version ${body.policyVersion} is ${policy.status}; a rollout starts from a draft`);
      const approvers: RolloutInput['approvers'] = {};
      const stages = {} as Record<(typeof ROLLOUT_STAGES)[number], StagePlan>;
      for (const name of ROLLOUT_STAGES) {
        const plan = body.stages?.[name] ?? {};
        for (const [i, personId] of (plan.approvers ?? []).entries()) {
          const person = await store.directory.getPerson(personId);
          if (!person)
            throw badRequest(`stages.${name}.approvers.${i}: no person ${personId} in the directory`, [
              { path: `stages.${name}.approvers.${i}`, message: 'not a person of the directory' },
            ]);
          approvers[personId] = { name: person.name, email: person.email };
        }
        stages[name] = {
          owner: await ownerOf(plan.owner, body.sponsor, name),
          due: plan.due ?? 'P7D',
          approvers: plan.approvers ?? [],
          tasks: plan.tasks ?? [...DEFAULT_STAGE_TASKS[name]],
        };
      }
      const id = `ro-${randomBytes(6).toString('hex')}`;
      const input: RolloutInput = {
        rolloutId: id,
        policyVersion: body.policyVersion,
        policyDocument: policy.document,
        sponsor: body.sponsor,
        reviewCadence: body.reviewCadence ?? 'P90D',
        acknowledgementThreshold: body.acknowledgementThreshold ?? 0.8,
        stages,
        approvers,
        startedAt: new Date().toISOString(),
      };
      await temporal.workflow.start(rollout, {
        workflowId: rolloutWorkflowId(id),
        taskQueue: deps.taskQueue,
        args: [input],
      });
      return {
        status: 202,
        body: { id, workflowId: rolloutWorkflowId(id) },
        headers: { Location: `/api/rollouts/${id}` },
      };
    },
  });

  table.add({
    method: 'get',
    path: '/api/rollouts',
    summary: 'List rollouts',
    tag: 'Rollouts',
    roles: ['admin', 'ops', 'manager'],
    query: pageQuery,
    responses: { 200: { description: 'Newest first' } },
    handler: async ({ query }) => ({ status: 200, body: await store.rollouts.list(query.limit, query.cursor) }),
  });

  table.add({
    method: 'get',
    path: '/api/rollouts/{id}',
    summary: 'Read a rollout',
    tag: 'Rollouts',
    roles: ['admin', 'ops', 'manager'],
    params: idParam,
    responses: { 200: { description: 'The rollout' }, 404: { description: 'No such rollout' } },
    handler: async ({ params }) => ({ status: 200, body: await current(params.id) }),
  });

  table.add({
    method: 'post',
    path: '/api/rollouts/{id}/tasks/{taskId}/complete',
    summary: 'Complete a task of the current stage',
    tag: 'Rollouts',
    roles: ['admin', 'manager'],
    params: z.strictObject({
      id: idParam.shape.id,
      taskId: z.string().regex(/^[a-z]+-\d{1,3}$/, 'a task id such as "align-1"'),
    }),
    responses: {
      200: { description: 'The rollout' },
      404: { description: 'No such rollout or task' },
      409: { description: 'Not the current stage' },
    },
    handler: async ({ params, principal }) => {
      await current(params.id);
      return {
        status: 200,
        body: await act(() =>
          handleOf(params.id).executeUpdate(completeTaskUpdate, {
            args: [{ taskId: params.taskId, by: principal.subject }],
          }),
        ),
      };
    },
  });

  table.add({
    method: 'post',
    path: '/api/rollouts/{id}/stages/{stage}/sign-offs',
    summary: 'Sign off (or request changes on) the current stage',
    tag: 'Rollouts',
    roles: ['admin', 'manager'],
    params: z.strictObject({ id: idParam.shape.id, stage: stageSchema }),
    body: z.strictObject({
      decision: z.enum(['approve', 'request_changes']),
      comment: z.string().trim().max(2000).default(''),
    }),
    responses: {
      200: { description: 'The rollout' },
      403: { description: 'Not an approver of the stage' },
      409: { description: 'Not the current stage' },
    },
    handler: async ({ params, body, principal }) => {
      await current(params.id);
      const by = {
        subject: principal.subject,
        role: principal.role,
        ...(personOf(principal) ? { personId: personOf(principal) } : {}),
      };
      return {
        status: 200,
        body: await act(() =>
          handleOf(params.id).executeUpdate(signOffUpdate, {
            args: [{ stage: params.stage, decision: body.decision, comment: body.comment, by }],
          }),
        ),
      };
    },
  });
}

/** A stage owner given as a directory person id is looked up; none given: the sponsor owns it. */
async function ownerOfIn(
  store: Store,
  owner: string | { name: string; email: string } | undefined,
  sponsor: { name: string; email: string },
  stage: string,
): Promise<{ name: string; email: string }> {
  if (!owner) return sponsor;
  if (typeof owner !== 'string') return owner;
  const person = await store.directory.getPerson(owner);
  if (!person) {
    throw badRequest(`stages.${stage}.owner: no person ${owner} in the directory`, [
      { path: `stages.${stage}.owner`, message: 'not a person of the directory' },
    ]);
  }
  return { name: person.name, email: person.email };
}

/** A manager signs as the directory person they are; admins as admins. */
const personOf = (principal: Principal): string | undefined =>
  principal.role === 'manager' ? principal.subject : undefined;

async function act(step: () => Promise<RolloutView>): Promise<RolloutView> {
  try {
    return await step();
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === 'NotAllowed') throw new Problem(403, 'forbidden', cause.message);
      if (cause.type === 'NotFound') throw notFound(cause.message);
      throw conflict(cause.message);
    }
    throw error;
  }
}
