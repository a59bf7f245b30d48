import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { badRequest, conflict, Problem } from './problem';

// How a process's refusal of a step reaches the caller, for every process alike: the workflow
// throws an ApplicationFailure of one of the refusal types (workflows/shared/contract.ts), and the
// API answers the problem that type stands for.

export interface RefusalReading {
  /** The refusal's details as this caller may read them (default: none are passed on). */
  details?: (details: Record<string, unknown>) => Record<string, unknown>;
  /** The answer when the workflow ended before the step reached it (default: the error as it is). */
  ended?: () => Promise<Problem> | Problem;
}

/** The problem a refused step answers with, or the error itself when it is not a refusal. */
export async function problemOfRefusal(error: unknown, reading: RefusalReading = {}): Promise<unknown> {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
    switch (cause.type) {
      case 'NotAllowed':
        return new Problem(403, 'forbidden', cause.message);
      case 'NotFound':
        return new Problem(404, 'not-found', cause.message);
      case 'InvalidArgument': {
        const path = typeof details.path === 'string' ? details.path : '';
        return badRequest(cause.message, [{ path, message: cause.message }]);
      }
      case 'InvalidState':
      case 'RuleViolation':
        return conflict(cause.message, withoutHttpStatus(reading.details?.(details) ?? {}));
      default:
        return error;
    }
  }
  if (reading.ended && (error instanceof WorkflowNotFoundError || hasEnded(error))) return reading.ended();
  return error;
}

/** A key `status` would overwrite the problem's own HTTP status. */
function withoutHttpStatus(details: Record<string, unknown>): Record<string, unknown> {
  const { status: _httpStatus, ...rest } = details;
  return rest;
}

function hasEnded(error: unknown): boolean {
  return error instanceof Error && /already completed|workflow execution already finished/i.test(error.message);
}
