import { useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { Field } from '../../../ui/Field';
import { apiFieldError, EditorFooter, EditorHeading, words } from './fields';
import { ACCOUNT_SEGMENTS, type Account, type AccountBody } from './types';

interface AccountForm {
  domain: string;
  name: string;
  segment: Account['segment'] | '';
  region: string;
  ownerName: string;
  ownerEmail: string;
}

const PATHS = ['domain', 'name', 'segment', 'region', 'directOwner'] as const;

/** Edits one account (or adds one) with PUT /api/directory/accounts/{domain}. */
export function AccountEditor({
  account,
  onSaved,
  onClose,
}: {
  account?: Account;
  onSaved: (words: string, domain: string) => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<AccountForm>({
    defaultValues: {
      domain: account?.domain ?? '',
      name: account?.name ?? '',
      segment: account?.segment ?? '',
      region: account?.region ?? '',
      ownerName: account?.directOwner?.name ?? '',
      ownerEmail: account?.directOwner?.email ?? '',
    },
  });
  const save = useMutation({
    mutationFn: (values: AccountForm) => {
      const body: AccountBody = {
        name: values.name,
        region: values.region.trim(),
        ...(values.segment ? { segment: values.segment } : {}),
        ...(values.ownerName || values.ownerEmail
          ? { directOwner: { name: values.ownerName, email: values.ownerEmail } }
          : {}),
      };
      return call(
        api.PUT('/api/directory/accounts/{domain}', { params: { path: { domain: values.domain.trim() } }, body }),
      );
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['directory', 'accounts'] });
      const owner = saved.directOwner ? `, named direct account of ${saved.directOwner.name}` : '';
      onSaved(`Saved account ${saved.name} (${saved.domain})${owner}.`, saved.domain);
    },
  });
  const errors = form.formState.errors;
  const errorOf = (name: keyof AccountForm, path: string) => errors[name]?.message ?? apiFieldError(save.error, path);
  const prefix = `account-${account?.domain ?? 'new'}`;
  const ownerSet = (other: keyof AccountForm, what: string) => (value: string) =>
    Boolean(value.trim()) || !form.getValues(other) || `Give the direct owner’s ${what} too, or clear both`;

  return (
    <form className="card editor" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
      <EditorHeading entry={account?.domain}>
        {account ? `Edit account ${account.name}` : 'Add an account'}
      </EditorHeading>
      {account ? (
        <p className="field-hint">
          Domain <code>{account.domain}</code>
        </p>
      ) : (
        <Field id={`${prefix}-domain`} label="Domain" hint="e.g. acme.com" error={errorOf('domain', 'domain')}>
          {(control) => <input {...control} {...form.register('domain', { required: 'Give the account’s domain' })} />}
        </Field>
      )}
      <Field id={`${prefix}-name`} label="Name" error={errorOf('name', 'name')}>
        {(control) => <input {...control} {...form.register('name', { required: 'Give the account a name' })} />}
      </Field>
      <div className="grid-2">
        <Field id={`${prefix}-segment`} label="Segment" error={errorOf('segment', 'segment')}>
          {(control) => (
            <select {...control} {...form.register('segment')}>
              <option value="">no segment</option>
              {ACCOUNT_SEGMENTS.map((s) => (
                <option key={s} value={s}>
                  {words(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${prefix}-region`} label="Region" hint="e.g. emea" error={errorOf('region', 'region')}>
          {(control) => <input {...control} {...form.register('region', { required: 'Give the account’s region' })} />}
        </Field>
      </div>
      <fieldset>
        <legend>Direct owner (a named direct account)</legend>
        <p className="field-hint">Leave both empty for an account partners may claim freely.</p>
        <div className="grid-2">
          <Field id={`${prefix}-owner-name`} label="Owner name" error={errorOf('ownerName', 'directOwner.name')}>
            {(control) => (
              <input {...control} {...form.register('ownerName', { validate: ownerSet('ownerEmail', 'name') })} />
            )}
          </Field>
          <Field id={`${prefix}-owner-email`} label="Owner email" error={errorOf('ownerEmail', 'directOwner.email')}>
            {(control) => (
              <input
                type="email"
                {...control}
                {...form.register('ownerEmail', { validate: ownerSet('ownerName', 'email') })}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <EditorFooter
        error={save.error}
        paths={PATHS}
        saving={save.isPending}
        saveLabel="Save account"
        onClose={onClose}
      />
    </form>
  );
}
