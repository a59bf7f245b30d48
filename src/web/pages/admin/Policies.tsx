import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorNotice, Loading } from '../../ui/notices';
import { DraftEditor } from './policies/DraftEditor';
import { VersionDetail } from './policies/VersionDetail';
import { VersionList } from './policies/VersionList';
import type { PolicyDocumentJson } from './policies/policyDocument';
import type { PolicyVersion } from './policies/policyWords';
import './policies/policies.css';

type Editing = { kind: 'new' } | { kind: 'edit'; version: number };

/** The program owner's rulebook: every version, a draft editor, its impact, diff and publishing. */
export default function Policies() {
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<Editing>();
  const [saved, setSaved] = useState<string>();
  const versions = useQuery({
    queryKey: ['policies', 'list'],
    queryFn: () => call(api.GET('/api/policies', { params: { query: { limit: 500 } } })),
  });
  const current = useQuery({
    queryKey: ['policies', 'current'],
    queryFn: () => call(api.GET('/api/policies/current')),
  });
  const all = versions.data?.items ?? [];
  const selected = chosenVersion(all, Number(params.get('version')) || undefined, current.data?.version);
  const editedDraft = editing?.kind === 'edit' ? all.find((p) => p.version === editing.version) : undefined;

  const select = (version: number) => setParams({ version: String(version) });

  return (
    <>
      <h1>Policies</h1>
      <p className="lead">
        The rules of engagement, version by version. A draft changes nothing until it is published; partners get the
        notice period to read it.
      </p>
      {saved ? (
        <p role="status" className="notice notice-ok">
          {saved}
        </p>
      ) : (
        <p role="status" className="visually-hidden" />
      )}
      <ErrorNotice error={versions.error ?? current.error} />
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!current.data || editing?.kind === 'new'}
          onClick={() => {
            setSaved(undefined);
            setEditing({ kind: 'new' });
          }}
        >
          New draft
        </button>
      </div>
      {editing && current.data && (editing.kind === 'new' || editedDraft) ? (
        <DraftEditor
          key={editing.kind === 'new' ? 'new' : `edit-${editing.version}`}
          base={((editing.kind === 'new' ? current.data : editedDraft)!.document ?? {}) as PolicyDocumentJson}
          draftVersion={editing.kind === 'edit' ? editing.version : undefined}
          onSaved={(policy) => {
            setSaved(`Draft version ${policy.version} saved.`);
            setEditing(undefined);
            select(policy.version);
          }}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      {versions.isPending ? <Loading what="the policy versions" /> : null}
      {versions.data ? (
        <div className="split">
          <section className="card" aria-labelledby="versions-heading">
            <h2 id="versions-heading">Versions</h2>
            <VersionList versions={all} selected={selected?.version} />
          </section>
          {selected ? (
            <VersionDetail
              policy={selected}
              currentVersion={current.data?.version}
              onEdit={() => {
                setSaved(undefined);
                setEditing({ kind: 'edit', version: selected.version });
              }}
            />
          ) : null}
        </div>
      ) : null}
    </>
  );
}

/** The version asked for, else the newest one not yet in effect, else the one in effect. */
function chosenVersion(all: PolicyVersion[], asked?: number, current?: number): PolicyVersion | undefined {
  return (
    all.find((p) => p.version === asked) ??
    [...all].reverse().find((p) => p.status === 'draft' || p.status === 'scheduled') ??
    all.find((p) => p.version === current) ??
    all[all.length - 1]
  );
}
