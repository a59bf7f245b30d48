import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, call } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import { Field } from '../../../ui/Field';
import { ErrorNotice } from '../../../ui/notices';
import { localTime, When } from '../../../ui/time';
import { usePolicyVersionChoices } from './policyChoices';
import { isActive, type Registration } from './words';

// Only the steps the registration allows now (the process's own rules, read from its view and the
// policy version it is kept under), each with the fields the API needs and its outcome in words.

type Action = 'extension' | 'update' | 'answer' | 'close' | 'withdraw';

const BUTTON: Record<Action, string> = {
  extension: 'Request extension',
  update: 'Post update',
  answer: 'Answer',
  close: 'Close',
  withdraw: 'Withdraw',
};

export function allowedActions(registration: Registration, extensionsMax: number | undefined): Action[] {
  const { status } = registration;
  if (!isActive(status)) return [];
  const actions: Action[] = [];
  if (status === 'info_requested') actions.push('answer');
  if (status === 'approved' && (extensionsMax === undefined || registration.extensions.length < extensionsMax))
    actions.push('extension');
  actions.push('update', 'close', 'withdraw');
  return actions;
}

export function RegistrationActions({ registration }: { registration: Registration }) {
  const policy = usePolicyVersionChoices(registration.policyVersion);
  const [open, setOpen] = useState<Action>();
  const [result, setResult] = useState<string>();
  const actions = allowedActions(registration, policy.data?.extensionsMax);
  const done = (words: string) => {
    setOpen(undefined);
    setResult(words);
  };
  return (
    <section aria-labelledby="actions-heading" className="registration-actions">
      <h3 id="actions-heading">What you can do now</h3>
      {result ? (
        <p role="status" className="notice notice-ok" tabIndex={-1} ref={(el) => el?.focus()}>
          {result}
        </p>
      ) : (
        <p role="status" className="visually-hidden" />
      )}
      {actions.length === 0 ? (
        <p className="empty">Nothing: this registration has ended.</p>
      ) : (
        <div className="actions">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              aria-expanded={open === a}
              aria-controls={open === a ? 'action-form' : undefined}
              className={open === a ? 'primary' : a === 'withdraw' ? 'danger' : undefined}
              onClick={() => {
                setResult(undefined);
                setOpen(open === a ? undefined : a);
              }}
            >
              {BUTTON[a]}
            </button>
          ))}
        </div>
      )}
      {open && actions.includes(open) ? (
        <div id="action-form" className="action-form">
          {open === 'extension' ? (
            <ExtensionForm registration={registration} max={policy.data?.extensionsMax} onDone={done} />
          ) : null}
          {open === 'update' ? <UpdateForm registration={registration} onDone={done} /> : null}
          {open === 'answer' ? <AnswerForm registration={registration} onDone={done} /> : null}
          {open === 'close' ? <CloseForm registration={registration} onDone={done} /> : null}
          {open === 'withdraw' ? <WithdrawForm registration={registration} onDone={done} /> : null}
        </div>
      ) : null}
    </section>
  );
}

interface FormProps {
  registration: Registration;
  onDone(words: string): void;
}

/** A step's call: on success the registration's queries are refreshed and the outcome is said. */
function useStep<B>(
  send: (body: B) => Promise<Registration>,
  words: (after: Registration) => string,
  onDone: FormProps['onDone'],
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (after) => {
      void queryClient.invalidateQueries({ queryKey: ['registrations'] });
      onDone(words(after));
    },
  });
}

const path = (registration: Registration) => ({ params: { path: { id: registration.id } } });

function TextField({
  id,
  label,
  error,
  hint,
  multiline = true,
  ...input
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  multiline?: boolean;
} & ReturnType<ReturnType<typeof useForm<Record<string, string>>>['register']>) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(control) => (multiline ? <textarea {...control} {...input} /> : <input type="text" {...control} {...input} />)}
    </Field>
  );
}

const required = (what: string) => ({
  validate: (v: string) => (v.trim() ? true : `Enter ${what}.`),
  maxLength: { value: 2000, message: 'At most 2000 characters.' },
});

function fieldError(form: ReturnType<typeof useForm<Record<string, string>>>, error: unknown, name: string) {
  return (
    (form.formState.errors[name]?.message as string | undefined) ??
    (error instanceof ApiProblem ? error.forField(name) : undefined)
  );
}

/** A refusal that is not about one of the form's fields, in words. */
function Refusal({ error, fields }: { error: unknown; fields: string[] }) {
  if (!error) return null;
  if (
    error instanceof ApiProblem &&
    error.fieldErrors.length > 0 &&
    error.fieldErrors.every((e) => fields.includes(e.path))
  )
    return null;
  return <ErrorNotice error={error} />;
}

function ExtensionForm({ registration, max, onDone }: FormProps & { max?: number }) {
  const form = useForm<Record<string, string>>({ defaultValues: { reason: '' } });
  const step = useStep(
    (body: { reason: string }) => call(api.POST('/api/registrations/{id}/extensions', { ...path(registration), body })),
    (after) => `Extension granted: the protection now ends ${after.expiresAt ? localTime(after.expiresAt) : 'later'}.`,
    onDone,
  );
  return (
    <form noValidate onSubmit={form.handleSubmit((v) => step.mutate({ reason: v.reason.trim() }))}>
      <h4>Request extension</h4>
      <p>
        Protection now ends {registration.expiresAt ? <When at={registration.expiresAt} /> : 'at its expiry'}.
        {max !== undefined
          ? ` The policy allows ${max} extension${max === 1 ? '' : 's'}; ${registration.extensions.length} used.`
          : ''}
      </p>
      <TextField
        id="extension-reason"
        label="Reason"
        error={fieldError(form, step.error, 'reason')}
        {...form.register('reason', required('why you need more time'))}
      />
      <Refusal error={step.error} fields={['reason']} />
      <div className="actions">
        <button type="submit" className="primary" disabled={step.isPending}>
          Send extension request
        </button>
      </div>
    </form>
  );
}

function UpdateForm({ registration, onDone }: FormProps) {
  const form = useForm<Record<string, string>>({ defaultValues: { note: '', stage: '' } });
  const step = useStep(
    (body: { note: string; stage?: string }) =>
      call(api.POST('/api/registrations/{id}/updates', { ...path(registration), body })),
    () => 'Update posted: it is in the timeline, and the staleness clock starts again.',
    onDone,
  );
  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((v) =>
        step.mutate({ note: v.note.trim(), ...(v.stage.trim() ? { stage: v.stage.trim() } : {}) }),
      )}
    >
      <h4>Post update</h4>
      <TextField
        id="update-note"
        label="Note"
        error={fieldError(form, step.error, 'note')}
        {...form.register('note', required('what happened'))}
      />
      <TextField
        id="update-stage"
        label="Stage"
        hint="Optional, such as evaluation or negotiation."
        multiline={false}
        error={fieldError(form, step.error, 'stage')}
        {...form.register('stage', { maxLength: { value: 100, message: 'At most 100 characters.' } })}
      />
      <Refusal error={step.error} fields={['note', 'stage']} />
      <div className="actions">
        <button type="submit" className="primary" disabled={step.isPending}>
          Send update
        </button>
      </div>
    </form>
  );
}

function AnswerForm({ registration, onDone }: FormProps) {
  const form = useForm<Record<string, string>>({ defaultValues: { message: '' } });
  const question = [...registration.timeline].reverse().find((e) => e.event === 'info_requested');
  const step = useStep(
    (body: { message: string }) => call(api.POST('/api/registrations/{id}/info', { ...path(registration), body })),
    () => 'Answer sent: the review goes on, and its clock runs again.',
    onDone,
  );
  return (
    <form noValidate onSubmit={form.handleSubmit((v) => step.mutate({ message: v.message.trim() }))}>
      <h4>Answer</h4>
      {question ? (
        <p>
          <strong>The reviewer asked:</strong> {question.detail}
        </p>
      ) : null}
      <TextField
        id="answer-message"
        label="Your answer"
        error={fieldError(form, step.error, 'message')}
        {...form.register('message', required('your answer'))}
      />
      <Refusal error={step.error} fields={['message']} />
      <div className="actions">
        <button type="submit" className="primary" disabled={step.isPending}>
          Send answer
        </button>
      </div>
    </form>
  );
}

function CloseForm({ registration, onDone }: FormProps) {
  const mayWin = registration.status === 'approved';
  const [outcome, setOutcome] = useState<'won' | 'lost'>(mayWin ? 'won' : 'lost');
  const registered = registration.opportunity.amount;
  const [signed, setSigned] = useState(String(registered.value));
  const [closedOn, setClosedOn] = useState(new Date().toISOString().slice(0, 10));
  const step = useStep(
    (body: { outcome: 'won' | 'lost'; amount?: { value: number; currency: string }; closedOn?: string }) =>
      call(api.POST('/api/registrations/{id}/close', { ...path(registration), body })),
    (after) => `Closed as ${after.status}. The claim on the account is released.`,
    onDone,
  );
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const value = Number(signed);
        step.mutate({
          outcome,
          closedOn,
          ...(outcome === 'won' && signed.trim() !== '' && Number.isFinite(value)
            ? { amount: { value, currency: registered.currency } }
            : {}),
        });
      }}
    >
      <h4>Close</h4>
      <fieldset>
        <legend>How did the deal end?</legend>
        <div className="choice">
          <input
            type="radio"
            id="close-won"
            name="close-outcome"
            value="won"
            checked={outcome === 'won'}
            disabled={!mayWin}
            onChange={() => setOutcome('won')}
            aria-describedby={mayWin ? undefined : 'close-won-hint'}
          />
          <label htmlFor="close-won">Won</label>
        </div>
        {mayWin ? null : (
          <p className="field-hint" id="close-won-hint">
            Only an approved registration can be closed as won.
          </p>
        )}
        <div className="choice">
          <input
            type="radio"
            id="close-lost"
            name="close-outcome"
            value="lost"
            checked={outcome === 'lost'}
            onChange={() => setOutcome('lost')}
          />
          <label htmlFor="close-lost">Lost</label>
        </div>
      </fieldset>
      {outcome === 'won' ? (
        <div className="field">
          <label htmlFor="close-amount">Amount signed ({registered.currency})</label>
          <input
            id="close-amount"
            inputMode="decimal"
            value={signed}
            onChange={(e) => setSigned(e.target.value)}
            aria-describedby="close-amount-hint"
          />
          <p className="field-hint" id="close-amount-hint">
            What the customer signed; the revenue reports count it.
          </p>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="close-on">Closed on</label>
        <input id="close-on" type="date" value={closedOn} onChange={(e) => setClosedOn(e.target.value)} />
      </div>
      <p className="notice notice-warning">
        Closing ends this registration and releases the account. It cannot be undone.
      </p>
      <Refusal error={step.error} fields={[]} />
      <div className="actions">
        <button type="submit" className="danger" disabled={step.isPending}>
          Yes, close it as {outcome}
        </button>
      </div>
    </form>
  );
}

function WithdrawForm({ registration, onDone }: FormProps) {
  const form = useForm<Record<string, string>>({ defaultValues: { reason: '' } });
  const step = useStep(
    (body: { reason: string }) => call(api.POST('/api/registrations/{id}/withdraw', { ...path(registration), body })),
    () => 'Withdrawn. The claim on the account is released; nothing more happens.',
    onDone,
  );
  return (
    <form noValidate onSubmit={form.handleSubmit((v) => step.mutate({ reason: v.reason.trim() }))}>
      <h4>Withdraw</h4>
      <TextField
        id="withdraw-reason"
        label="Reason"
        error={fieldError(form, step.error, 'reason')}
        {...form.register('reason', required('why you withdraw it'))}
      />
      <p className="notice notice-warning">
        Withdrawing ends this registration and releases your claim on {registration.account.name}. It cannot be undone.
      </p>
      <Refusal error={step.error} fields={['reason']} />
      <div className="actions">
        <button type="submit" className="danger" disabled={step.isPending}>
          Yes, withdraw it
        </button>
      </div>
    </form>
  );
}
