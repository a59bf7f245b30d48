import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ErrorNotice, StatusBadge } from '../../../ui/notices';
import { Due, When } from '../../../ui/time';
import { SignOffForm } from './SignOffForm';
import { STAGE_TITLES, checkName, decisionWords, detailOf, type Rollout, type Stage } from './rolloutWords';

/** One column of the board: its status, who owns it until when, its checklist, checks and sign-offs. */
export function StageCard({ rollout, stage }: { rollout: Rollout; stage: Stage }) {
  const isCurrent = rollout.currentStage === stage.name;
  const failing = (stage.checks ?? []).filter((c) => !c.passed);
  const headingId = `stage-${stage.name}`;
  return (
    <section
      className={`card stage stage-${stage.status}${isCurrent ? ' stage-current' : ''}`}
      aria-labelledby={headingId}
    >
      <h3 id={headingId}>
        {STAGE_TITLES[stage.name]}
        {isCurrent ? <span className="visually-hidden"> (current stage)</span> : null}
      </h3>
      <p className="stage-status">
        <StatusBadge status={stage.status} />
      </p>
      <dl className="facts stage-facts">
        <dt>Owner</dt>
        <dd>{stage.owner.name}</dd>
        {stage.completedAt ? (
          <>
            <dt>Completed</dt>
            <dd>
              <When at={stage.completedAt} />
            </dd>
          </>
        ) : stage.dueAt ? (
          <>
            <dt>Due</dt>
            <dd>
              <Due at={stage.dueAt} showTime={false} />
            </dd>
          </>
        ) : (
          <>
            <dt>Due</dt>
            <dd>set when it opens</dd>
          </>
        )}
      </dl>
      {isCurrent ? <WaitingOn stage={stage} /> : null}
      {failing.length > 0 ? (
        <div className="notice notice-error blocked-notice">
          <strong>Blocked:</strong>
          <ul>
            {failing.map((check) => (
              <li key={check.id}>
                {checkName(check.id)} fails — {detailOf(check)}
              </li>
            ))}
          </ul>
          Fix the draft's playbook or rules, then sign off to run the checks again.
        </div>
      ) : null}
      <h4>Tasks</h4>
      <ul className="stage-tasks">
        {stage.tasks.map((task) => (
          <TaskItem key={task.id} rolloutId={rollout.id} task={task} canComplete={isCurrent} />
        ))}
      </ul>
      {stage.checks && stage.checks.length > 0 ? (
        <>
          <h4>Automatic checks</h4>
          <ul className="stage-checks">
            {stage.checks.map((check) => (
              <li key={check.id} className={check.passed ? 'check-passed' : 'check-failed'}>
                <span aria-hidden="true">{check.passed ? '✓ ' : '✗ '}</span>
                {checkName(check.id)}: {check.passed ? 'passed' : 'failed'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h4>Sign-offs</h4>
      <p className="field-hint">
        {stage.approvers.length ? `Needs: ${stage.approvers.join(', ')}` : 'Needs: one admin'}
      </p>
      {stage.signOffs.length ? (
        <ul className="stage-signoffs">
          {stage.signOffs.map((s) => (
            <li key={`${s.by}:${s.at}`}>
              <strong>{s.by}</strong> {decisionWords[s.decision]} <When at={s.at} />
              {s.comment ? <q className="signoff-comment">{s.comment}</q> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">None yet.</p>
      )}
      {isCurrent ? <SignOffForm rolloutId={rollout.id} stage={stage.name} /> : null}
    </section>
  );
}

/** Who holds the ball on the current stage, and until when. */
function WaitingOn({ stage }: { stage: Stage }) {
  const open = stage.tasks.filter((t) => !t.done).length;
  const what =
    stage.status === 'blocked'
      ? 'a fix for the failing checks'
      : open > 0
        ? `${open} ${open === 1 ? 'task' : 'tasks'} and a sign-off`
        : stage.status === 'changes_requested'
          ? 'the requested changes and an approval'
          : 'a sign-off';
  return (
    <p className="notice notice-info waiting-on">
      Waiting on: {stage.owner.name} — {what}
      {stage.dueAt ? (
        <>
          , <Due at={stage.dueAt} showTime={false} />
        </>
      ) : null}
    </p>
  );
}

function TaskItem({
  rolloutId,
  task,
  canComplete,
}: {
  rolloutId: string;
  task: Stage['tasks'][number];
  canComplete: boolean;
}) {
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string>();
  const complete = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/rollouts/{id}/tasks/{taskId}/complete', {
          params: { path: { id: rolloutId, taskId: task.id } },
        }),
      ),
    onSuccess: (rollout) => {
      queryClient.setQueryData(['rollouts', rolloutId], rollout);
      setDone(`Done: ${task.title}`);
      void queryClient.invalidateQueries({ queryKey: ['rollouts'] });
    },
  });
  const titleId = `task-${rolloutId}-${task.id}`;
  return (
    <li className={task.done ? 'task-done' : 'task-open'}>
      <span id={titleId}>
        <span aria-hidden="true">{task.done ? '☑ ' : '☐ '}</span>
        {task.title}
        {task.done ? <span className="visually-hidden"> (done)</span> : null}
      </span>
      {!task.done && canComplete ? (
        <button
          type="button"
          className="task-complete"
          aria-describedby={titleId}
          disabled={complete.isPending}
          onClick={() => complete.mutate()}
        >
          Complete
        </button>
      ) : null}
      {done ? (
        <span role="status" className="visually-hidden">
          {done}
        </span>
      ) : null}
      <ErrorNotice error={complete.error} />
    </li>
  );
}
