import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { accountClaimsWorkflowId } from '../../workflows/accountClaims/contract';
import { registrationWorkflowId } from '../../workflows/registration/contract';

// What one registration costs the cluster until its first answer settles: the workflow tasks,
// activities and history events of its own workflow, plus the events its claim added to the
// account's claims workflow. Read from the histories of a sample of the intake's registrations.

const EventType = temporal.api.enums.v1.EventType;

export interface RegistrationCosts {
  sampled: number;
  /** Means per registration. */
  workflowTasks: number;
  activities: number;
  localActivities: number;
  events: number;
  /** Events the claim adds to the account's workflow (one account per registration here). */
  claimEvents: number;
}

export async function registrationCosts(
  temporalAddress: string,
  registrations: { id: string; accountDomain: string }[],
): Promise<RegistrationCosts> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const totals = { workflowTasks: 0, activities: 0, localActivities: 0, events: 0, claimEvents: 0 };
    for (const { id, accountDomain } of registrations) {
      const history = await client.workflow.getHandle(registrationWorkflowId(id)).fetchHistory();
      const events = history.events ?? [];
      totals.events += events.length;
      for (const event of events) {
        if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) totals.workflowTasks++;
        if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) totals.activities++;
        if (
          event.eventType === EventType.EVENT_TYPE_MARKER_RECORDED &&
          event.markerRecordedEventAttributes?.markerName === 'core_local_activity'
        )
          totals.localActivities++;
      }
      const claims = await client.workflow.getHandle(accountClaimsWorkflowId(accountDomain)).fetchHistory();
      totals.claimEvents += claims.events?.length ?? 0;
    }
    const mean = (total: number) => Math.round((total / Math.max(1, registrations.length)) * 10) / 10;
    return {
      sampled: registrations.length,
      workflowTasks: mean(totals.workflowTasks),
      activities: mean(totals.activities),
      localActivities: mean(totals.localActivities),
      events: mean(totals.events),
      claimEvents: mean(totals.claimEvents),
    };
  } finally {
    await connection.close();
  }
}
