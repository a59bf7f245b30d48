import { createHash } from 'node:crypto';
import { z } from 'zod';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { RouteTable } from '../routes';
import { notFound } from '../problem';
import { pageOf } from '../schemas';

const OPERATORS = ['admin', 'ops'] as const;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

// Lowercase names for the API; the visibility query spells them in Temporal's own way.
const STATUS_NAMES = {
  running: { code: Status.WORKFLOW_EXECUTION_STATUS_RUNNING, query: 'Running' },
  completed: { code: Status.WORKFLOW_EXECUTION_STATUS_COMPLETED, query: 'Completed' },
  failed: { code: Status.WORKFLOW_EXECUTION_STATUS_FAILED, query: 'Failed' },
  canceled: { code: Status.WORKFLOW_EXECUTION_STATUS_CANCELED, query: 'Canceled' },
  terminated: { code: Status.WORKFLOW_EXECUTION_STATUS_TERMINATED, query: 'Terminated' },
  continued_as_new: { code: Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW, query: 'ContinuedAsNew' },
  timed_out: { code: Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, query: 'TimedOut' },
} as const;
type StatusName = keyof typeof STATUS_NAMES;
const statusNames = Object.keys(STATUS_NAMES) as [StatusName, ...StatusName[]];

/**
 * A cursor is Temporal's page token with a checksum: a token Temporal did not issue makes it fail
 * with a retryable error (a 20 s wait, then 500), so a mangled cursor is refused here, as a 400.
 */
const cursorOf = (token: Uint8Array) => `${Buffer.from(token).toString('base64url')}.${checksumOf(token)}`;
const checksumOf = (token: Uint8Array) => createHash('sha256').update(token).digest('base64url').slice(0, 16);
function pageTokenOf(cursor: string): Buffer | undefined {
  const [data, checksum, ...rest] = cursor.split('.');
  const token = Buffer.from(data, 'base64url');
  const intact = rest.length === 0 && token.toString('base64url') === data && checksumOf(token) === checksum;
  return intact ? token : undefined;
}

function statusName(code: number | null | undefined): StatusName | 'unknown' {
  const found = statusNames.find((name) => STATUS_NAMES[name].code === code);
  return found ?? 'unknown';
}

const timestampToIso = (
  ts: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined,
) => {
  if (!ts?.seconds) return undefined;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
};

const summaryView = z.object({
  workflowId: z.string(),
  runId: z.string(),
  type: z.string(),
  status: z.string(),
  startedAt: z.string().optional(),
  closedAt: z.string().optional(),
});
const detailView = summaryView.extend({ historyLength: z.number(), state: z.unknown() });

export function workflowRoutes(table: RouteTable, temporalClient: Client): void {
  table.add({
    method: 'get',
    path: '/api/workflows/{workflowId}',
    summary: 'Describe a workflow and read its status query',
    tag: 'Operations',
    roles: OPERATORS,
    params: z.strictObject({ workflowId: z.string().min(1).max(400) }),
    responses: { 200: { description: 'The workflow', schema: detailView }, 404: { description: 'No such workflow' } },
    handler: async ({ params }) => {
      const handle = temporalClient.workflow.getHandle(params.workflowId);
      try {
        const description = await handle.describe();
        return {
          status: 200,
          body: {
            workflowId: description.workflowId,
            runId: description.runId,
            type: description.type,
            status: description.status.name.toLowerCase(),
            startedAt: description.startTime.toISOString(),
            ...(description.closeTime ? { closedAt: description.closeTime.toISOString() } : {}),
            historyLength: description.historyLength,
            state: await statusQuery(handle),
          },
        };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) throw notFound(`workflow ${params.workflowId}`);
        throw error;
      }
    },
  });
  table.add({
    method: 'get',
    path: '/api/workflows',
    summary: 'List workflows by type and status',
    tag: 'Operations',
    roles: OPERATORS,
    query: z.strictObject({
      type: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'a workflow type such as "registration"')
        .optional(),
      status: z.enum(statusNames).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z
        .string()
        .min(1)
        .max(4000)
        .refine(
          (cursor) => pageTokenOf(cursor) !== undefined,
          'not a cursor returned by this list; pass nextCursor as it was given',
        )
        .optional(),
    }),
    responses: { 200: { description: 'A page of workflows, newest first', schema: pageOf(summaryView) } },
    handler: async ({ query }) => {
      const clauses = [
        ...(query.type ? [`WorkflowType = '${query.type}'`] : []),
        ...(query.status ? [`ExecutionStatus = '${STATUS_NAMES[query.status].query}'`] : []),
      ];
      const response = await temporalClient.workflowService.listWorkflowExecutions({
        namespace: temporalClient.options.namespace,
        query: clauses.join(' AND '),
        pageSize: query.limit,
        nextPageToken: query.cursor ? pageTokenOf(query.cursor) : undefined,
      });
      const items = (response.executions ?? []).map((execution) => ({
        workflowId: execution.execution?.workflowId ?? '',
        runId: execution.execution?.runId ?? '',
        type: execution.type?.name ?? '',
        status: statusName(execution.status),
        startedAt: timestampToIso(execution.startTime),
        closedAt: timestampToIso(execution.closeTime),
      }));
      const token = response.nextPageToken;
      return {
        status: 200,
        body: { items, ...(token && token.length > 0 ? { nextCursor: cursorOf(token) } : {}) },
      };
    },
  });
}

/** The workflow's own `status` query; null when it has none or cannot answer now (closed and evicted). */
async function statusQuery(handle: ReturnType<Client['workflow']['getHandle']>): Promise<unknown> {
  try {
    return await handle.query('status');
  } catch {
    return null;
  }
}
