import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ErrorNotice } from '../../../ui/notices';
import { Field } from '../../../ui/Field';
import { apiFieldError, listFromText, unplacedError } from '../directory/fields';
import { ESCALATION_ROLES } from '../directory/types';
import type { CreatedKey, Grant, NewKeyBody } from './types';

interface KeyForm {
  name: string;
  role: Grant['role'];
  partnerId: string;
  escalationRoles: string[];
  regions: string;
}

const PATHS = ['name', 'grant'] as const;

/** Creates a service API key acting as one role (and, for a partner, one partner). */
export function CreateKeyForm({ onCreated }: { onCreated: (created: CreatedKey) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<KeyForm>({
    defaultValues: { name: '', role: 'partner', partnerId: '', escalationRoles: [], regions: '' },
  });
  const role = form.watch('role');
  const partners = useQuery({
    queryKey: ['directory', 'partners'],
    queryFn: () => call(api.GET('/api/directory/partners', { params: { query: { limit: 500 } } })),
    enabled: role === 'partner',
  });
  const create = useMutation({
    mutationFn: (values: KeyForm) => {
      const grant: Grant =
        values.role === 'partner'
          ? { role: 'partner', partnerId: values.partnerId }
          : values.role === 'manager'
            ? {
                role: 'manager',
                escalationRoles: values.escalationRoles as (typeof ESCALATION_ROLES)[number][],
                regions: listFromText(values.regions),
              }
            : { role: values.role };
      const body: NewKeyBody = { name: values.name, grant };
      return call(api.POST('/api/api-keys', { body }));
    },
    onSuccess: async (created) => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
      onCreated(created);
    },
  });
  const errors = form.formState.errors;
  const submit = form.handleSubmit((values) => create.mutate(values));

  return (
    <form className="card" noValidate onSubmit={submit} aria-labelledby="create-key-heading">
      <h2 id="create-key-heading">Create a key</h2>
      <p className="field-hint">A key lets a service call the API as the role you grant it, until you revoke it.</p>
      <Field
        id="key-name"
        label="Key name"
        hint="Who uses it and what for, e.g. Northwind CRM sync"
        error={errors.name?.message ?? apiFieldError(create.error, 'name')}
      >
        {(control) => <input {...control} {...form.register('name', { required: 'Name the key' })} />}
      </Field>
      <Field id="key-role" label="Acts as" error={apiFieldError(create.error, 'grant.role')}>
        {(control) => (
          <select {...control} {...form.register('role')}>
            <option value="partner">a partner</option>
            <option value="manager">a manager</option>
            <option value="ops">ops</option>
            <option value="admin">admin</option>
          </select>
        )}
      </Field>
      {role === 'partner' ? (
        <Field
          id="key-partner"
          label="Partner"
          error={errors.partnerId?.message ?? apiFieldError(create.error, 'grant.partnerId')}
        >
          {(control) => (
            <select {...control} {...form.register('partnerId', { required: 'Choose the partner' })}>
              <option value="">Choose a partner…</option>
              {(partners.data?.items ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.id})
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {role === 'manager' ? (
        <>
          <fieldset aria-describedby={errors.escalationRoles ? 'key-roles-error' : undefined}>
            <legend>Escalation roles</legend>
            {ESCALATION_ROLES.map((r) => (
              <label key={r} className="check">
                <input
                  type="checkbox"
                  value={r}
                  {...form.register('escalationRoles', {
                    validate: (v) => form.getValues('role') !== 'manager' || v.length > 0 || 'Choose at least one role',
                  })}
                />{' '}
                {r.replace(/_/g, ' ')}
              </label>
            ))}
            {errors.escalationRoles?.message || apiFieldError(create.error, 'grant.escalationRoles') ? (
              <p id="key-roles-error" className="field-error">
                {errors.escalationRoles?.message ?? apiFieldError(create.error, 'grant.escalationRoles')}
              </p>
            ) : null}
          </fieldset>
          <Field
            id="key-regions"
            label="Regions"
            hint="Comma-separated, e.g. emea, na; * for every region"
            error={errors.regions?.message ?? apiFieldError(create.error, 'grant.regions')}
          >
            {(control) => (
              <input
                {...control}
                {...form.register('regions', {
                  validate: (v) =>
                    form.getValues('role') !== 'manager' || listFromText(v).length > 0 || 'Name at least one region',
                })}
              />
            )}
          </Field>
        </>
      ) : null}
      <ErrorNotice error={unplacedError(create.error, PATHS)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
