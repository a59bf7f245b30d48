import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { usePrincipal } from '../../../auth/session';
import { ErrorNotice, Loading, StatusBadge } from '../../../ui/notices';
import { When } from '../../../ui/time';
import { Facts } from '../Facts';
import { temporalUiLinkOf } from './temporalUi';
import { typeWords } from './WorkflowFilters';

/** One workflow as Temporal describes it, and the state its own `status` query answers. */
export function WorkflowDetail({ workflowId }: { workflowId: string }) {
  const principal = usePrincipal();
  const workflow = useQuery({
    queryKey: ['workflow', workflowId],
    queryFn: () => call(api.GET('/api/workflows/{workflowId}', { params: { path: { workflowId } } })),
  });
  const href = temporalUiLinkOf(principal, workflowId);
  return (
    <section className="card workflow-detail" aria-labelledby="workflow-detail-heading">
      <h2 id="workflow-detail-heading" className="mono">
        {workflowId}
      </h2>
      {workflow.error ? <ErrorNotice error={workflow.error} /> : null}
      {!workflow.data && !workflow.error ? <Loading what="the workflow" /> : null}
      {workflow.data ? (
        <>
          <dl className="facts">
            <dt>Type</dt>
            <dd>{typeWords(workflow.data.type)}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={workflow.data.status} />
            </dd>
            <dt>Started</dt>
            <dd>{workflow.data.startedAt ? <When at={workflow.data.startedAt} /> : '—'}</dd>
            <dt>Closed</dt>
            <dd>{workflow.data.closedAt ? <When at={workflow.data.closedAt} /> : 'still running'}</dd>
            <dt>History</dt>
            <dd>{workflow.data.historyLength} events</dd>
            <dt>Run</dt>
            <dd className="mono">{workflow.data.runId}</dd>
          </dl>
          {href ? (
            <p>
              <a href={href} target="_blank" rel="noreferrer">
                Open in Temporal UI
              </a>
            </p>
          ) : null}
          <h3>State</h3>
          {workflow.data.state === null ? (
            <p className="empty">The workflow does not answer its status query now (it may have closed).</p>
          ) : (
            <Facts value={workflow.data.state} />
          )}
        </>
      ) : null}
    </section>
  );
}
