import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { ResponseOf } from '../../../api/types';
import { usePrincipal } from '../../../auth/session';
import { StatusBadge } from '../../../ui/notices';
import { When } from '../../../ui/time';
import { temporalUiLinkOf } from './temporalUi';
import { typeWords } from './WorkflowFilters';

export type WorkflowSummary = ResponseOf<'/api/workflows', 'get'>['items'][number];

const column = createColumnHelper<WorkflowSummary>();

/** Workflows as rows; choosing one (its id, or anywhere on the row) shows its state beside the list. */
export function WorkflowTable(props: {
  workflows: WorkflowSummary[];
  selected?: string;
  onSelect: (workflowId: string) => void;
}) {
  const principal = usePrincipal();
  const { onSelect } = props;
  const columns = useMemo(
    () => [
      column.accessor('workflowId', {
        header: 'Workflow',
        cell: (info) => (
          <>
            <button
              type="button"
              className="row-button mono"
              aria-pressed={props.selected === info.getValue()}
              onClick={(e) => {
                e.stopPropagation();
                onSelect(info.getValue());
              }}
            >
              {info.getValue()}
            </button>
            <span className="workflow-type">{typeWords(info.row.original.type)}</span>
          </>
        ),
      }),
      column.accessor('status', { header: 'Status', cell: (info) => <StatusBadge status={info.getValue()} /> }),
      column.accessor('startedAt', {
        header: 'Started',
        cell: (info) => (info.getValue() ? <When at={info.getValue() as string} /> : '—'),
      }),
      column.display({
        id: 'temporal',
        header: 'Temporal UI',
        cell: ({ row }) => {
          const href = temporalUiLinkOf(principal, row.original.workflowId);
          return href ? (
            <a href={href} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()}>
              Open<span className="visually-hidden"> in Temporal UI {row.original.workflowId}</span>
              <span aria-hidden="true"> ↗</span>
            </a>
          ) : (
            '—'
          );
        },
      }),
    ],
    [principal, props.selected, onSelect],
  );
  const table = useReactTable({ data: props.workflows, columns, getCoreRowModel: getCoreRowModel() });
  return (
    <div className="table-wrap workflow-table-wrap" tabIndex={0} role="group" aria-label="Workflows">
      <table className="workflow-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              className={`clickable${row.original.workflowId === props.selected ? ' selected' : ''}`}
              onClick={() => onSelect(row.original.workflowId)}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
