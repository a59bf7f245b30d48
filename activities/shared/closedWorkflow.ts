import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** The workflow is gone or past changing: an answer, not a failure to retry. */
export function isClosedWorkflow(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
    return error.cause.type === 'InvalidState';
  return error instanceof Error && /already completed|workflow execution already finished/i.test(error.message);
}
