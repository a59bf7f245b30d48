import { useInfiniteQuery } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../../api/client';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../../../ui/notices';
import { When } from '../../../ui/time';
import { WaitingOn } from './ballHolder';
import type { Registration } from './words';

// The partner's registrations, newest first, a page at a time; each row opens its detail.

export function useMyRegistrations() {
  return useInfiniteQuery({
    queryKey: ['registrations', 'list'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/registrations', {
          params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor,
  });
}

const column = createColumnHelper<Registration>();

export function RegistrationTable({ selectedId }: { selectedId?: string }) {
  const list = useMyRegistrations();
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const columns = useMemo(
    () => [
      column.accessor((r) => r.account.name, {
        id: 'account',
        header: 'Account',
        cell: ({ row }) => (
          <>
            <Link
              to={`/registrations/${row.original.id}`}
              aria-current={row.original.id === selectedId ? 'true' : undefined}
              className="registration-link"
            >
              {row.original.account.name} — {row.original.opportunity.productLine}
            </Link>{' '}
            <span className="registration-sub">
              registered <When at={row.original.submittedAt} />
            </span>
          </>
        ),
      }),
      column.accessor('status', { header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
      column.display({
        id: 'waitingOn',
        header: 'Waiting on',
        cell: ({ row }) => <WaitingOn registration={row.original} />,
      }),
    ],
    [selectedId],
  );
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.id });

  if (list.isPending) return <Loading what="your registrations" />;
  if (list.isError) return <ErrorNotice error={list.error} />;
  if (rows.length === 0)
    return (
      <Empty>
        You have no registrations yet. <Link to="/register">Register a deal</Link>.
      </Empty>
    );
  return (
    <>
      <div className="table-wrap">
        <table className="table registrations-table">
          <caption className="visually-hidden">Your registrations, newest first</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((h) => (
                  <th key={h.id} scope="col">
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className={row.id === selectedId ? 'selected' : undefined}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} data-label={String(cell.column.columnDef.header)}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.hasNextPage ? (
        <div className="actions">
          <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? 'Loading more…' : 'Show more'}
          </button>
        </div>
      ) : null}
    </>
  );
}
