import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { createColumnHelper, type ColumnDef, type ColumnHelper } from '@tanstack/react-table';
import { api, call } from '../../api/client';
import { Empty, ErrorNotice, Loading } from '../../ui/notices';
import { When } from '../../ui/time';
import { AccountEditor } from './directory/AccountEditor';
import { DataTable } from './directory/DataTable';
import { PartnerEditor } from './directory/PartnerEditor';
import { PersonEditor } from './directory/PersonEditor';
import { CsvTransfer } from './directory/CsvTransfer';
import { words } from './directory/fields';
import type { Account, Partner, Person } from './directory/types';
import './directory/directory.css';

// The program's directory: the partners who register deals, the accounts they register them on,
// and the people who decide (their escalation roles and regions). The admin edits each in place.

type Kind = 'partner' | 'account' | 'person';
const LIMIT = 500;

/** `?edit=partner:northwind` (or `partner:` for a new one): which entry is open in its editor. */
function useEditing() {
  const [params, setParams] = useSearchParams();
  const raw = params.get('edit') ?? '';
  const at = raw.indexOf(':');
  const editing = at > 0 ? { kind: raw.slice(0, at) as Kind, key: raw.slice(at + 1) } : undefined;
  const open = (kind: Kind, key = '') => setParams({ edit: `${kind}:${key}` });
  const close = () => setParams({});
  return { editing, open, close };
}

export default function Directory() {
  const { editing, open, close } = useEditing();
  const [outcome, setOutcome] = useState('');
  const saved = (kind: Kind) => (text: string, key: string) => {
    setOutcome(text);
    open(kind, key);
    close();
  };
  const start = (kind: Kind, key?: string) => {
    setOutcome('');
    open(kind, key);
  };

  return (
    <section className="directory">
      <h1>Directory</h1>
      <p className="lead">
        Partners, the accounts they register deals on, and the people who review and decide. Changes apply to
        registrations evaluated from now on.
      </p>
      <p role="status" className={outcome ? 'notice notice-ok' : 'visually-hidden'}>
        {outcome}
      </p>
      <nav aria-label="Directory sections" className="directory-sections">
        <a href="#partners">Partners</a> <a href="#accounts">Accounts</a> <a href="#people">People</a>{' '}
        <a href="#registrations-import">Registrations from another PRM</a>
      </nav>
      <Partners
        editing={editing?.kind === 'partner' ? editing.key : undefined}
        onEdit={(id) => start('partner', id)}
        onSaved={saved('partner')}
        onClose={close}
      />
      <Accounts
        editing={editing?.kind === 'account' ? editing.key : undefined}
        onEdit={(domain) => start('account', domain)}
        onSaved={saved('account')}
        onClose={close}
      />
      <People
        editing={editing?.kind === 'person' ? editing.key : undefined}
        onEdit={(id) => start('person', id)}
        onSaved={saved('person')}
        onClose={close}
      />
      <MigratedRegistrations />
    </section>
  );
}

interface SectionProps {
  /** The key of the entry being edited; '' while adding one; undefined when none is open. */
  editing: string | undefined;
  onEdit(key?: string): void;
  onSaved(text: string, key: string): void;
  onClose(): void;
}

function Section({
  id,
  title,
  addLabel,
  onAdd,
  children,
}: {
  id: string;
  title: string;
  addLabel: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="directory-section" id={id}>
      <div className="section-head">
        <h2 id={`${id}-heading`}>{title}</h2>
        <button type="button" onClick={onAdd}>
          {addLabel}
        </button>
      </div>
      {children}
    </section>
  );
}

/** The button that opens the row's entry in its editor, named for the entry ("Edit Contoso Ltd"). */
function editColumn<T extends { name: string }>(
  columns: ColumnHelper<T>,
  keyOf: (entry: T) => string,
  onEdit: (key: string) => void,
) {
  return columns.display({
    id: 'edit',
    header: () => <span className="visually-hidden">Actions</span>,
    cell: (c) => (
      <button type="button" onClick={() => onEdit(keyOf(c.row.original))} aria-label={`Edit ${c.row.original.name}`}>
        Edit
      </button>
    ),
  });
}

/** A section's entries as they load: their table, or why there is none. */
function Entries<T>({
  caption,
  list,
  what,
  empty,
  columns,
  rowId,
  editing,
}: {
  caption: string;
  list: UseQueryResult<{ items: T[]; nextCursor?: string | null }>;
  what: string;
  empty: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  rowId: (entry: T) => string;
  editing: string | undefined;
}) {
  const items = list.data?.items ?? [];
  return (
    <>
      {list.isPending ? <Loading what={what} /> : null}
      <ErrorNotice error={list.error} />
      {list.data && items.length === 0 ? <Empty>{empty}</Empty> : null}
      {items.length > 0 ? (
        <DataTable caption={caption} data={items} columns={columns} rowId={rowId} selectedId={editing} />
      ) : null}
      {list.data?.nextCursor ? (
        <p className="field-hint">
          Showing the first {LIMIT} {what}.
        </p>
      ) : null}
    </>
  );
}

const partnerColumns = createColumnHelper<Partner>();
function Partners({ editing, onEdit, onSaved, onClose }: SectionProps) {
  const partners = useQuery({
    queryKey: ['directory', 'partners'],
    queryFn: () => call(api.GET('/api/directory/partners', { params: { query: { limit: LIMIT } } })),
  });
  const items = partners.data?.items ?? [];
  const current = editing ? items.find((p) => p.id === editing) : undefined;
  const columns = [
    partnerColumns.accessor('name', { header: 'Name' }),
    partnerColumns.accessor('id', { header: 'Id', cell: (c) => <code>{c.getValue()}</code> }),
    partnerColumns.accessor('tier', {
      header: 'Tier',
      cell: (c) => <span className={`tier tier-${c.getValue()}`}>{c.getValue()}</span>,
    }),
    partnerColumns.accessor('type', { header: 'Type', cell: (c) => words(c.getValue()) }),
    partnerColumns.accessor((p) => p.regions.join(', '), { id: 'regions', header: 'Regions' }),
    partnerColumns.accessor((p) => p.contacts.map((c) => c.name).join(', '), {
      id: 'contacts',
      header: 'Contacts',
      cell: (c) => (
        <ul className="plain">
          {c.row.original.contacts.map((contact) => (
            <li key={contact.email}>
              {contact.name} <span className="field-hint">{contact.email}</span>
            </li>
          ))}
        </ul>
      ),
    }),
    partnerColumns.accessor('updatedAt', { header: 'Updated', cell: (c) => <When at={c.getValue()} /> }),
    editColumn(partnerColumns, (e) => e.id, onEdit),
  ];
  return (
    <Section id="partners" title="Partners" addLabel="Add a partner" onAdd={() => onEdit()}>
      <CsvTransfer kind="partners" label="partners" columns="id, name, type, tier, regions, contacts" />
      {editing === '' ? <PartnerEditor key="new" onSaved={onSaved} onClose={onClose} /> : null}
      {current ? <PartnerEditor key={current.id} partner={current} onSaved={onSaved} onClose={onClose} /> : null}
      <Entries
        caption="Partners"
        list={partners}
        what="partners"
        empty="No partners yet."
        columns={columns}
        rowId={(p) => p.id}
        editing={editing}
      />
    </Section>
  );
}

const accountColumns = createColumnHelper<Account>();
function Accounts({ editing, onEdit, onSaved, onClose }: SectionProps) {
  const accounts = useQuery({
    queryKey: ['directory', 'accounts'],
    queryFn: () => call(api.GET('/api/directory/accounts', { params: { query: { limit: LIMIT } } })),
  });
  const items = accounts.data?.items ?? [];
  const current = editing ? items.find((a) => a.domain === editing) : undefined;
  const columns = [
    accountColumns.accessor('name', { header: 'Name' }),
    accountColumns.accessor('domain', { header: 'Domain' }),
    accountColumns.accessor((a) => a.segment ?? '', {
      id: 'segment',
      header: 'Segment',
      cell: (c) => (c.getValue() ? words(c.getValue()) : <span className="field-hint">none</span>),
    }),
    accountColumns.accessor('region', { header: 'Region' }),
    accountColumns.accessor((a) => a.directOwner?.name ?? '', {
      id: 'directOwner',
      header: 'Direct owner',
      cell: (c) =>
        c.row.original.directOwner ? (
          <>
            {c.row.original.directOwner.name} <span className="field-hint">{c.row.original.directOwner.email}</span>
          </>
        ) : (
          <span className="field-hint">none — open to partners</span>
        ),
    }),
    accountColumns.accessor('updatedAt', { header: 'Updated', cell: (c) => <When at={c.getValue()} /> }),
    editColumn(accountColumns, (e) => e.domain, onEdit),
  ];
  return (
    <Section id="accounts" title="Accounts" addLabel="Add an account" onAdd={() => onEdit()}>
      <CsvTransfer
        kind="accounts"
        label="accounts"
        columns="domain, name, segment, region, directOwnerName, directOwnerEmail"
      />
      {editing === '' ? <AccountEditor key="new" onSaved={onSaved} onClose={onClose} /> : null}
      {current ? <AccountEditor key={current.domain} account={current} onSaved={onSaved} onClose={onClose} /> : null}
      <Entries
        caption="Accounts"
        list={accounts}
        what="accounts"
        empty="No accounts yet: an account is added here or when a partner first registers a deal on it."
        columns={columns}
        rowId={(a) => a.domain}
        editing={editing}
      />
    </Section>
  );
}

const personColumns = createColumnHelper<Person>();
function People({ editing, onEdit, onSaved, onClose }: SectionProps) {
  const people = useQuery({
    queryKey: ['directory', 'people'],
    queryFn: () => call(api.GET('/api/directory/people', { params: { query: { limit: LIMIT } } })),
  });
  const items = people.data?.items ?? [];
  const current = editing ? items.find((p) => p.id === editing) : undefined;
  const columns = [
    personColumns.accessor('name', { header: 'Name' }),
    personColumns.accessor('email', { header: 'Email' }),
    personColumns.accessor((p) => p.escalationRoles.map(words).join(', '), {
      id: 'roles',
      header: 'Escalation roles',
      cell: (c) => c.getValue() || <span className="field-hint">none</span>,
    }),
    personColumns.accessor((p) => (p.regions.includes('*') ? 'every region' : p.regions.join(', ')), {
      id: 'regions',
      header: 'Regions',
    }),
    personColumns.accessor('updatedAt', { header: 'Updated', cell: (c) => <When at={c.getValue()} /> }),
    editColumn(personColumns, (e) => e.id, onEdit),
  ];
  return (
    <Section id="people" title="People" addLabel="Add a person" onAdd={() => onEdit()}>
      <CsvTransfer kind="people" label="people" columns="id, name, email, escalationRoles, regions" />
      {editing === '' ? <PersonEditor key="new" onSaved={onSaved} onClose={onClose} /> : null}
      {current ? <PersonEditor key={current.id} person={current} onSaved={onSaved} onClose={onClose} /> : null}
      <Entries
        caption="People"
        list={people}
        what="people"
        empty="No people yet."
        columns={columns}
        rowId={(p) => p.id}
        editing={editing}
      />
    </Section>
  );
}

/** Registrations brought over from another PRM, with their original submission time and status. */
function MigratedRegistrations() {
  const [source, setSource] = useState('another PRM');
  return (
    <section aria-labelledby="registrations-import-heading" className="directory-section" id="registrations-import">
      <div className="section-head">
        <h2 id="registrations-import-heading">Registrations from another PRM</h2>
      </div>
      <p className="field-hint">
        Each row keeps its submission time and status: ended ones are recorded as they ended, approved ones hold their
        account until their expiry, ones in review wait on the channel managers. Importing a file again changes nothing.
      </p>
      <label htmlFor="registrations-source">Source (the PRM they come from)</label>
      <input id="registrations-source" value={source} maxLength={100} onChange={(e) => setSource(e.target.value)} />
      <CsvTransfer
        kind="registrations"
        label="registrations"
        columns="externalId, partnerId, accountName, domain, region, segment, title, productLine, amount, currency, expectedCloseDate, submittedAt, status, decidedAt, expiresAt, closedOn, wonAmount"
        query={`&source=${encodeURIComponent(source.trim() || 'another PRM')}`}
      />
    </section>
  );
}
