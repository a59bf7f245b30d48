import { useFieldArray, useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { Field } from '../../../ui/Field';
import { apiFieldError, EditorFooter, EditorHeading, listFromText, words } from './fields';
import { PARTNER_TIERS, PARTNER_TYPES, type Partner, type PartnerBody } from './types';

interface PartnerForm {
  id: string;
  name: string;
  type: Partner['type'];
  tier: Partner['tier'];
  regions: string;
  contacts: { name: string; email: string }[];
}

const PATHS = ['partnerId', 'name', 'type', 'tier', 'regions', 'contacts'] as const;

/** Edits one partner (or adds one) with PUT /api/directory/partners/{partnerId}. */
export function PartnerEditor({
  partner,
  onSaved,
  onClose,
}: {
  partner?: Partner;
  onSaved: (words: string, id: string) => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<PartnerForm>({
    defaultValues: partner
      ? { ...partner, regions: partner.regions.join(', '), contacts: partner.contacts }
      : { id: '', name: '', type: 'reseller', tier: 'registered', regions: '', contacts: [{ name: '', email: '' }] },
  });
  const contacts = useFieldArray({ control: form.control, name: 'contacts' });
  const save = useMutation({
    mutationFn: (values: PartnerForm) => {
      const body: PartnerBody = {
        name: values.name,
        type: values.type,
        tier: values.tier,
        regions: listFromText(values.regions),
        contacts: values.contacts,
      };
      return call(api.PUT('/api/directory/partners/{partnerId}', { params: { path: { partnerId: values.id } }, body }));
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['directory', 'partners'] });
      onSaved(
        `Saved partner ${saved.name}: ${words(saved.tier)} ${words(saved.type)} in ${saved.regions.join(', ')}.`,
        saved.id,
      );
    },
  });
  const errors = form.formState.errors;
  const errorOf = (name: keyof PartnerForm, path: string = name) =>
    errors[name]?.message ?? apiFieldError(save.error, path);
  const prefix = `partner-${partner?.id ?? 'new'}`;

  return (
    <form className="card editor" noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
      <EditorHeading entry={partner?.id}>{partner ? `Edit partner ${partner.name}` : 'Add a partner'}</EditorHeading>
      {partner ? (
        <p className="field-hint">
          Partner id <code>{partner.id}</code>
        </p>
      ) : (
        <Field
          id={`${prefix}-id`}
          label="Partner id"
          hint="Lowercase, e.g. northwind"
          error={errorOf('id', 'partnerId')}
        >
          {(control) => <input {...control} {...form.register('id', { required: 'Give the partner an id' })} />}
        </Field>
      )}
      <Field id={`${prefix}-name`} label="Name" error={errorOf('name')}>
        {(control) => <input {...control} {...form.register('name', { required: 'Give the partner a name' })} />}
      </Field>
      <div className="grid-2">
        <Field id={`${prefix}-type`} label="Type" error={errorOf('type')}>
          {(control) => (
            <select {...control} {...form.register('type')}>
              {PARTNER_TYPES.map((t) => (
                <option key={t} value={t}>
                  {words(t)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${prefix}-tier`} label="Tier" error={errorOf('tier')}>
          {(control) => (
            <select {...control} {...form.register('tier')}>
              {PARTNER_TIERS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field id={`${prefix}-regions`} label="Regions" hint="Comma-separated, e.g. emea, na" error={errorOf('regions')}>
        {(control) => (
          <input
            {...control}
            {...form.register('regions', { validate: (v) => listFromText(v).length > 0 || 'Name at least one region' })}
          />
        )}
      </Field>
      <fieldset>
        <legend>Contacts</legend>
        {contacts.fields.map((contact, i) => (
          <div key={contact.id} className="grid-2 contact-row">
            <Field
              id={`${prefix}-contact-${i}-name`}
              label={`Contact ${i + 1} name`}
              error={errors.contacts?.[i]?.name?.message ?? apiFieldError(save.error, `contacts.${i}.name`)}
            >
              {(control) => (
                <input {...control} {...form.register(`contacts.${i}.name`, { required: 'Give the contact a name' })} />
              )}
            </Field>
            <Field
              id={`${prefix}-contact-${i}-email`}
              label={`Contact ${i + 1} email`}
              error={errors.contacts?.[i]?.email?.message ?? apiFieldError(save.error, `contacts.${i}.email`)}
            >
              {(control) => (
                <input
                  type="email"
                  {...control}
                  {...form.register(`contacts.${i}.email`, { required: 'Give the contact an email address' })}
                />
              )}
            </Field>
            {contacts.fields.length > 1 ? (
              <button type="button" className="link-button" onClick={() => contacts.remove(i)}>
                Remove contact {i + 1}
              </button>
            ) : null}
          </div>
        ))}
        <button type="button" onClick={() => contacts.append({ name: '', email: '' })}>
          Add a contact
        </button>
      </fieldset>
      <EditorFooter
        error={save.error}
        paths={PATHS}
        saving={save.isPending}
        saveLabel="Save partner"
        onClose={onClose}
      />
    </form>
  );
}
