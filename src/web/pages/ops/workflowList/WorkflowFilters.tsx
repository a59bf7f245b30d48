// Workflow types the worker runs (workflows/index.ts) and the statuses GET /api/workflows filters by.
export const WORKFLOW_TYPES = [
  { type: 'registration', words: 'Registration' },
  { type: 'conflictCase', words: 'Conflict case' },
  { type: 'accountClaims', words: 'Account claims' },
  { type: 'policyChange', words: 'Policy change' },
  { type: 'rollout', words: 'Rollout' },
  { type: 'managerDigest', words: 'Manager digest' },
] as const;

export const WORKFLOW_STATUSES = [
  'running',
  'completed',
  'failed',
  'canceled',
  'terminated',
  'continued_as_new',
  'timed_out',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export const typeWords = (type: string): string => WORKFLOW_TYPES.find((t) => t.type === type)?.words ?? type;

export function WorkflowFilters(props: {
  type: string;
  status: string;
  onChange: (filters: { type: string; status: string }) => void;
}) {
  return (
    <form className="filters" role="search" aria-label="Filter workflows" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="workflow-type">Type</label>
        <select
          id="workflow-type"
          value={props.type}
          onChange={(e) => props.onChange({ type: e.target.value, status: props.status })}
        >
          <option value="">All types</option>
          {WORKFLOW_TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.words}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="workflow-status">Status</label>
        <select
          id="workflow-status"
          value={props.status}
          onChange={(e) => props.onChange({ type: props.type, status: e.target.value })}
        >
          <option value="">All statuses</option>
          {WORKFLOW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
