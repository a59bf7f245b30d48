import { useForm } from 'react-hook-form';
import type { ApiProblem } from '../../../api/problem';

// The audit trail is kept per subject: a registration, a conflict case, a policy version or a rollout.

export const SUBJECT_KINDS = [
  { kind: 'registration', words: 'Registration' },
  { kind: 'conflict', words: 'Conflict case' },
  { kind: 'policy', words: 'Policy version' },
  { kind: 'rollout', words: 'Rollout' },
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number]['kind'];

export interface Subject {
  kind: SubjectKind;
  id: string;
}

/** The API's own rule for a subject id (GET /api/audit); a policy is named by its version number. */
const ID_PATTERN = /^[A-Za-z0-9._:@-]{1,200}$/;
function idProblem(kind: SubjectKind, id: string): string | true {
  if (!id.trim()) return 'Enter the id to search for.';
  if (kind === 'policy' && !/^\d+$/.test(id.trim())) return 'A policy version is a number, such as 2.';
  if (!ID_PATTERN.test(id.trim())) return 'Letters, digits and . _ : @ - only, up to 200 characters.';
  return true;
}

export function SubjectSearch(props: {
  initial?: Subject;
  problem?: ApiProblem;
  onSearch: (subject: Subject) => void;
}) {
  const form = useForm<Subject>({ defaultValues: props.initial ?? { kind: 'registration', id: '' } });
  const kind = form.watch('kind');
  const idError = form.formState.errors.id?.message ?? props.problem?.forField('subject');
  return (
    <form
      className="card filters audit-search"
      role="search"
      aria-label="Search the audit trail"
      noValidate
      onSubmit={form.handleSubmit((subject) => props.onSearch({ kind: subject.kind, id: subject.id.trim() }))}
    >
      <div className="field">
        <label htmlFor="audit-kind">Subject kind</label>
        <select id="audit-kind" {...form.register('kind')}>
          {SUBJECT_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.words}
            </option>
          ))}
        </select>
      </div>
      <div className="field audit-id-field">
        <label htmlFor="audit-id">Subject ID</label>
        <input
          id="audit-id"
          autoComplete="off"
          aria-invalid={idError ? true : undefined}
          aria-describedby={idError ? 'audit-id-hint audit-id-error' : 'audit-id-hint'}
          {...form.register('id', { validate: (id) => idProblem(kind, id) })}
        />
        <p id="audit-id-hint" className="field-hint">
          {kind === 'policy' ? 'The version number, such as 2.' : 'The id as the API and the Workflows page show it.'}
        </p>
        {idError ? (
          <p id="audit-id-error" className="field-error">
            {idError}
          </p>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Search
        </button>
      </div>
    </form>
  );
}
