import { useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { Field } from '../../../ui/Field';
import { apiFieldError, EditorFooter, EditorHeading, listFromText, words } from './fields';
import { ESCALATION_ROLES, type Person, type PersonBody } from './types';

interface PersonForm {
  id: string;
  name: string;
  email: string;
  escalationRoles: Person['escalationRoles'];
  regions: string;
}

const PATHS = ['personId', 'name', 'email', 'escalationRoles', 'regions'] as const;

/** Edits one person (or adds one) with PUT /api/directory/people/{personId}. */
export function PersonEditor({
  person,
  onSaved,
  onClose,
}: {
  person?: Person;
  onSaved: (words: string, id: string) => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<PersonForm>({
    defaultValues: person
      ? { ...person, regions: person.regions.join(', ') }
      : { id: '', name: '', email: '', escalationRoles: [], regions: '' },
  });
  const save = useMutation({
    mutationFn: (values: PersonForm) => {
      const body: PersonBody = {
        name: values.name,
        email: values.email.trim(),
        escalationRoles: values.escalationRoles,
        regions: listFromText(values.regions) as PersonBody['regions'],
      };
      return call(api.PUT('/api/directory/people/{personId}', { params: { path: { personId: values.id } }, body }));
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['directory', 'people'] });
      const roles = saved.escalationRoles.length ? saved.escalationRoles.map(words).join(', ') : 'no escalation role';
      onSaved(`Saved ${saved.name}: ${roles}, regions ${saved.regions.join(', ')}.`, saved.id);
    },
  });
  const errors = form.formState.errors;
  const errorOf = (name: keyof PersonForm, path: string) => errors[name]?.message ?? apiFieldError(save.error, path);
  const prefix = `person-${person?.id ?? 'new'}`;
  const rolesError = errorOf('escalationRoles', 'escalationRoles');

  return (
    <form className="card editor" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
      <EditorHeading entry={person?.id}>{person ? `Edit ${person.name}` : 'Add a person'}</EditorHeading>
      {person ? (
        <p className="field-hint">
          Person id <code>{person.id}</code>
        </p>
      ) : (
        <Field id={`${prefix}-id`} label="Person id" hint="Lowercase, e.g. cm-emea" error={errorOf('id', 'personId')}>
          {(control) => <input {...control} {...form.register('id', { required: 'Give the person an id' })} />}
        </Field>
      )}
      <div className="grid-2">
        <Field id={`${prefix}-name`} label="Name" error={errorOf('name', 'name')}>
          {(control) => <input {...control} {...form.register('name', { required: 'Give the person a name' })} />}
        </Field>
        <Field id={`${prefix}-email`} label="Email" error={errorOf('email', 'email')}>
          {(control) => (
            <input
              type="email"
              {...control}
              {...form.register('email', { required: 'Give the person an email address' })}
            />
          )}
        </Field>
      </div>
      <fieldset aria-describedby={rolesError ? `${prefix}-roles-error` : undefined}>
        <legend>Escalation roles</legend>
        {ESCALATION_ROLES.map((role) => (
          <label key={role} className="check">
            <input type="checkbox" value={role} {...form.register('escalationRoles')} /> {words(role)}
          </label>
        ))}
        {rolesError ? (
          <p id={`${prefix}-roles-error`} className="field-error">
            {rolesError}
          </p>
        ) : null}
      </fieldset>
      <Field
        id={`${prefix}-regions`}
        label="Regions"
        hint="Comma-separated, e.g. emea, na; * for every region"
        error={errorOf('regions', 'regions')}
      >
        {(control) => (
          <input
            {...control}
            {...form.register('regions', { validate: (v) => listFromText(v).length > 0 || 'Name at least one region' })}
          />
        )}
      </Field>
      <EditorFooter
        error={save.error}
        paths={PATHS}
        saving={save.isPending}
        saveLabel="Save person"
        onClose={onClose}
      />
    </form>
  );
}
