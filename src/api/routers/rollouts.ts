import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { durationSchema } from '../../domain/schemas/duration';
import { DEFAULT_STAGE_TASKS } from '../../domain/rolloutPlaybook';
import type { Principal } from '../../domain/principal';
import type { Store } from '../../store';
import {
  completeTaskUpdate,
  ROLLOUT_WORKFLOW_TYPE,
  type RolloutWorkflow,
  rolloutStatusQuery,
  signOffUpdate,
} from '../../../workflows/rollout/contract';
import {
  ROLLOUT_STAGES,
  STAGE_STATUSES,
  rolloutWorkflowId,
  type RolloutInput,
  type RolloutView,
  type StagePlan,
} from '../../../workflows/rollout/contract';
import { recordedOrLive, untilRecorded } from '../freshView';
import type { RouteTable } from '../routes';
import { badRequest, conflict, notFound } from '../problem';
import { contactSchema, pageOf, pageQuery } from '../schemas';
import { problemOfRefusal } from '../refusals';

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

const personView = z.object({ name: z.string(), email: z.string() });
const rolloutView = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    policyVersion: z.number().int(),
    status: z.enum(['active', 'in_review', 'completed']),
    currentStage: stageSchema.nullable().describe('null once every stage is completed'),
    sponsor: personView,
    stages: z.array(
      z.object({
        name: stageSchema,
        status: z.enum(STAGE_STATUSES),
        owner: personView,
        openedAt: z.string().optional(),
        dueAt: z.string().optional(),
        completedAt: z.string().optional(),
        tasks: z.array(z.object({ id: z.string(), title: z.string(), done: z.boolean() })),
        approvers: z.array(z.string()).describe('Directory person ids; empty: one sign-off by any admin'),
        signOffs: z.array(
          z.object({
            by: z.string(),
            decision: z.enum(['approve', 'request_changes']),
            comment: z.string(),
            at: z.string(),
          }),
        ),
        checks: z
          .array(z.object({ id: z.string(), passed: z.boolean(), detail: z.string() }))
          .optional()
          .describe('The automatic checks of instrument: each playbook scenario, expected against actual'),
      }),
    ),
    reviews: z.array(
      z.object({
        at: z.string(),
        period: z.object({ from: z.string(), to: z.string() }),
        metrics: z.record(z.string(), z.unknown()),
        maturity: z.array(z.object({ dimension: z.string(), stage: z.number().int(), evidence: z.string() })),
      }),
    ),
    history: z.array(z.object({ at: z.string(), event: z.string(), detail: z.string() })),
  })
  .describe('A policy rollout: its stages, sign-offs and periodic reviews');

export function rolloutRoutes(table: RouteTable, deps: { store: Store; temporal: Client; taskQueue: string }): void {
  const { store, temporal } = deps;
  const ownerOf = (owner: Parameters<typeof ownerOfIn>[1], sponsor: { name: string; email: string }, stage: string) =>
    ownerOfIn(store, owner, sponsor, stage);
  const handleOf = (id: string) => temporal.workflow.getHandle<RolloutWorkflow>(rolloutWorkflowId(id));
  // Every transition of a rollout writes the read model before a step on it answers; the status
  // query answers only until its first one is recorded (right after POST /api/rollouts).
  const current = async (id: string): Promise<RolloutView> => {
    const view = await recordedOrLive(
      () => store.rollouts.get(id),
      () => handleOf(id).query(rolloutStatusQuery),
    );
    if (!view) throw notFound(`rollout ${id}`);
    return view;
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
      409: { description: 'The policy version is not a draft, or another rollout already rolls it out' },
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
      // The body is checked whole first (400 names the field), then the state it meets (409).
      const running = await store.rollouts.activeFor(body.policyVersion);
      if (running)
        throw conflict(`policy version ${body.policyVersion} is already rolled out by ${running}`, {
          rolloutId: running,
        });
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
      await temporal.workflow.start<RolloutWorkflow>(ROLLOUT_WORKFLOW_TYPE, {
        workflowId: rolloutWorkflowId(id),
        taskQueue: deps.taskQueue,
        args: [input],
      });
      // Answered once its first stage is open: a publish or cancel of the version right after must
      // see the rollout, and a task of Align completed right after must find Align open (not 409).
      await untilRecorded(async () => (await store.rollouts.get(id))?.currentStage);
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
    responses: { 200: { description: 'Newest first', schema: pageOf(rolloutView) } },
    handler: async ({ query }) => ({ status: 200, body: await store.rollouts.list(query.limit, query.cursor) }),
  });

  table.add({
    method: 'get',
    path: '/api/rollouts/{id}',
    summary: 'Read a rollout',
    tag: 'Rollouts',
    roles: ['admin', 'ops', 'manager'],
    params: idParam,
    responses: { 200: { description: 'The rollout', schema: rolloutView }, 404: { description: 'No such rollout' } },
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
      200: { description: 'The rollout', schema: rolloutView },
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
      200: { description: 'The rollout', schema: rolloutView },
      403: { description: 'Not an approver of the stage' },
      404: { description: 'No such rollout' },
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
    throw await problemOfRefusal(error);
  }
}
