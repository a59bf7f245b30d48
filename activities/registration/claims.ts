import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import {
  ACCOUNT_CLAIMS_WORKFLOW_TYPE,
  type AccountClaimsWorkflow,
  accountClaimsWorkflowId,
  claimUpdate,
  releaseUpdate,
  type ClaimAnswer,
  type ClaimRequest,
  type ReleaseRequest,
} from '../../workflows/accountClaims/contract';
import { untilCancelled } from '../shared/cancellable';

/** Claims go through the account's own workflow (update-with-start), which orders them. */
export function claimActivities(deps: { temporal: Client; taskQueue: string }) {
  return {
    async claimAccount(accountKey: string, request: ClaimRequest): Promise<ClaimAnswer> {
      const startWorkflowOperation = new WithStartWorkflowOperation<AccountClaimsWorkflow>(
        ACCOUNT_CLAIMS_WORKFLOW_TYPE,
        {
          workflowId: accountClaimsWorkflowId(accountKey),
          taskQueue: deps.taskQueue,
          args: [{ accountKey }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        },
      );
      return untilCancelled(deps.temporal, () =>
        deps.temporal.workflow.executeUpdateWithStart(claimUpdate, { args: [request], startWorkflowOperation }),
      );
    },

    async releaseAccountClaim(accountKey: string, request: ReleaseRequest): Promise<boolean> {
      const handle = deps.temporal.workflow.getHandle(accountClaimsWorkflowId(accountKey));
      return (await untilCancelled(deps.temporal, () => handle.executeUpdate(releaseUpdate, { args: [request] })))
        .released;
    },
  };
}
