import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { usePrincipal } from '../../auth/session';
import { Empty, ErrorNotice, Loading } from '../../ui/notices';
import { Pager } from '../../ui/Pager';
import { WorkflowDetail } from './workflowList/WorkflowDetail';
import { WORKFLOW_STATUSES, WorkflowFilters, type WorkflowStatus } from './workflowList/WorkflowFilters';
import { WorkflowTable } from './workflowList/WorkflowTable';
import './ops.css';

const isStatus = (s: string): s is WorkflowStatus => (WORKFLOW_STATUSES as readonly string[]).includes(s);
const PAGE_SIZE = 50;

/** Every workflow Temporal runs for the product, filtered by type and status, each linked to the Temporal UI. */
export default function Workflows() {
  const principal = usePrincipal();
  const [params, setParams] = useSearchParams();
  const type = params.get('type') ?? '';
  const status = params.get('status') ?? '';
  const selected = params.get('workflow') ?? undefined;
  // Cursors of the pages before this one: "Previous page" pops one.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];

  const workflows = useQuery({
    queryKey: ['workflows', type, status, cursor],
    queryFn: () =>
      call(
        api.GET('/api/workflows', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(type ? { type } : {}),
              ...(isStatus(status) ? { status } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });

  const setFilter = (filters: { type: string; status: string }) => {
    const next = new URLSearchParams();
    if (filters.type) next.set('type', filters.type);
    if (filters.status) next.set('status', filters.status);
    setCursors([]);
    setParams(next);
  };
  const select = useCallback(
    (workflowId: string) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        next.set('workflow', workflowId);
        return next;
      }),
    [setParams],
  );

  const items = workflows.data?.items ?? [];
  const nextCursor = workflows.data?.nextCursor ?? undefined;
  // The last list stays in view while another filter's loads, dimmed and said to be updating.
  const updating = workflows.isPlaceholderData;
  return (
    <>
      <h1>Workflows</h1>
      {principal.temporalUiUrl ? null : (
        <p className="notice notice-info">
          This server does not name a Temporal UI (set TEMPORAL_UI_URL), so the workflows are not linked to it.
        </p>
      )}
      <WorkflowFilters type={type} status={status} onChange={setFilter} />
      <div className="split workflow-split">
        <div aria-busy={updating} className={updating ? 'updating' : undefined}>
          {workflows.error ? <ErrorNotice error={workflows.error} /> : null}
          {!workflows.data && !workflows.error ? <Loading what="workflows" /> : null}
          {workflows.data ? (
            <>
              <p role="status" className="field-hint">
                {updating
                  ? 'Updating the list for these filters…'
                  : items.length === 0
                    ? ''
                    : `${items.length}${nextCursor ? '+' : ''} workflows${cursors.length ? ` (page ${cursors.length + 1})` : ''}, newest first. Choose one to see its state.`}
              </p>
              {items.length === 0 ? (
                <Empty>No workflows match these filters.</Empty>
              ) : (
                <WorkflowTable workflows={items} selected={selected} onSelect={select} />
              )}
              <Pager cursors={cursors} nextCursor={nextCursor} onChange={setCursors} />
            </>
          ) : null}
        </div>
        {selected ? (
          <WorkflowDetail workflowId={selected} />
        ) : (
          <p className="card empty">Choose a workflow to see its state.</p>
        )}
      </div>
    </>
  );
}
