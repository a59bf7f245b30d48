import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useForm, useWatch, type UseFormRegisterReturn } from 'react-hook-form';
import { api, call } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import { Field as SharedField, type FieldControl } from '../../../ui/Field';
import { ErrorNotice } from '../../../ui/notices';
import { API_PATH, RULES, SEGMENTS, bodyIfComplete, bodyOf, type DealField, type DealValues } from './dealForm';
import { isoCurrencies, useEffectivePolicyChoices } from './policyChoices';
import { PreCheckPreview, usePreCheck } from './PreCheckPreview';
import type { Registration } from './words';

// "Register a deal": the form, its live pre-check beside it, and the API's refusals at the field.

const EMPTY: DealValues = {
  accountName: '',
  domain: '',
  region: '',
  segment: '',
  title: '',
  productLine: '',
  amount: '',
  currency: '',
  expectedCloseDate: '',
};
const COMMON_REGIONS = ['emea', 'na', 'apac', 'latam'];

export function DealForm({ onRegistered }: { onRegistered(registration: Registration): void }) {
  const queryClient = useQueryClient();
  const choices = useEffectivePolicyChoices();
  const own = useQuery({
    queryKey: ['registrations', 'suggestions'],
    queryFn: () => call(api.GET('/api/registrations', { params: { query: { limit: 100 } } })),
  });
  const form = useForm<DealValues>({ mode: 'onTouched', defaultValues: EMPTY });
  const { register, handleSubmit, formState, control, setValue, getValues } = form;
  const values = useWatch({ control }) as DealValues;
  const complete = bodyIfComplete(values);
  const preCheck = usePreCheck(complete);
  const idempotencyKey = useRef(crypto.randomUUID());

  useEffect(() => {
    if (choices.data && !getValues('currency')) setValue('currency', choices.data.baseCurrency);
  }, [choices.data, getValues, setValue]);

  const submit = useMutation({
    mutationFn: (v: DealValues) =>
      call(
        api.POST('/api/registrations', {
          body: bodyOf(v),
          params: { header: { 'Idempotency-Key': idempotencyKey.current } },
        }),
      ),
    onSuccess: (registration) => {
      idempotencyKey.current = crypto.randomUUID();
      void queryClient.invalidateQueries({ queryKey: ['registrations'] });
      onRegistered(registration);
    },
    onError: () => {
      // A refused body never started anything; a changed body must not reuse the key (422).
      idempotencyKey.current = crypto.randomUUID();
    },
  });

  // A refusal is about the values it was given: once they change, the field's own checks speak again.
  const refusedValues = useRef<string | undefined>(undefined);
  const valuesJson = JSON.stringify(values);
  const refusal = submit.error instanceof ApiProblem && refusedValues.current === valuesJson ? submit.error : undefined;
  const preCheckRefusal = preCheck.error instanceof ApiProblem ? preCheck.error : undefined;

  const errorOf = (field: DealField): string | undefined =>
    formState.errors[field]?.message ??
    sentence(refusal?.forField(API_PATH[field]) ?? (complete ? preCheckRefusal?.forField(API_PATH[field]) : undefined));

  const suggestions = useMemo(() => {
    const items = own.data?.items ?? [];
    const policy = choices.data;
    const uniq = (xs: string[]) => [...new Set(xs)].sort();
    return {
      regions: uniq([...(policy?.regions ?? []), ...items.map((r) => r.account.region), ...COMMON_REGIONS]),
      productLines: uniq([...(policy?.productLines ?? []), ...items.map((r) => r.opportunity.productLine)]),
    };
  }, [own.data, choices.data]);

  const currencies = useMemo(() => {
    const policy = choices.data;
    const first = policy ? [policy.baseCurrency, ...policy.ratedCurrencies] : [];
    return { first, others: isoCurrencies().filter((c) => !first.includes(c)) };
  }, [choices.data]);

  const fieldErrorsUnshown =
    refusal && refusal.fieldErrors.some((e) => !Object.values(API_PATH).some((p) => e.path.startsWith(p)));
  const today = new Date().toISOString().slice(0, 10);

  const field = (name: DealField) => ({
    id: `deal-${name}`,
    error: errorOf(name),
    registration: register(name, { validate: RULES[name] }),
  });

  return (
    <form
      className="deal-form"
      noValidate
      aria-labelledby="deal-form-heading"
      onSubmit={handleSubmit((v) => {
        refusedValues.current = JSON.stringify(v);
        submit.mutate(v);
      })}
    >
      <div className="deal-columns">
        <div className="card deal-fields">
          <h2 id="deal-form-heading">The deal</h2>
          <fieldset>
            <legend>Account</legend>
            <Field label="Account name" {...field('accountName')}>
              {(p) => <input type="text" autoComplete="organization" {...p} />}
            </Field>
            <Field label="Domain" hint="The account’s web domain, such as acme.com." {...field('domain')}>
              {(p) => <input type="text" inputMode="url" autoCapitalize="none" spellCheck={false} {...p} />}
            </Field>
            <Field label="Region" hint="Lowercase, such as emea or na." {...field('region')}>
              {(p) => <input type="text" list="deal-region-options" autoCapitalize="none" {...p} />}
            </Field>
            <datalist id="deal-region-options">
              {suggestions.regions.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
            <Field
              label="Segment"
              hint="If you know it; the vendor’s record of the account wins."
              {...field('segment')}
            >
              {(p) => (
                <select {...p}>
                  <option value="">Not sure</option>
                  {SEGMENTS.map(([value, words]) => (
                    <option key={value} value={value}>
                      {words}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </fieldset>
          <fieldset>
            <legend>Opportunity</legend>
            <Field label="Product line" hint="A lowercase id, such as analytics." {...field('productLine')}>
              {(p) => <input type="text" list="deal-product-line-options" autoCapitalize="none" {...p} />}
            </Field>
            <datalist id="deal-product-line-options">
              {suggestions.productLines.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
            <div className="amount-row">
              <Field label="Amount" {...field('amount')}>
                {(p) => <input type="number" min={0} step="any" inputMode="decimal" {...p} />}
              </Field>
              <Field
                label="Currency"
                hint={
                  choices.data
                    ? `Thresholds are in ${choices.data.baseCurrency}; a currency without an exchange rate is always reviewed.`
                    : undefined
                }
                {...field('currency')}
              >
                {(p) => (
                  <select {...p}>
                    {currencies.first.length === 0 ? <option value="">Loading…</option> : null}
                    <optgroup label="The policy’s currencies">
                      {currencies.first.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label="Other currencies">
                      {currencies.others.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </optgroup>
                  </select>
                )}
              </Field>
            </div>
            <Field label="Expected close date" {...field('expectedCloseDate')}>
              {(p) => <input type="date" min={today} {...p} />}
            </Field>
            <Field
              label="Deal title"
              hint="Optional — left empty, the account name and product line name the deal."
              {...field('title')}
            >
              {(p) => <input type="text" {...p} />}
            </Field>
          </fieldset>
        </div>
        <PreCheckPreview complete={Boolean(complete)} preCheck={preCheck} />
      </div>
      {submit.isError && (!refusal || refusal.fieldErrors.length === 0 || fieldErrorsUnshown) ? (
        <ErrorNotice error={submit.error} />
      ) : null}
      {refusal && refusal.fieldErrors.length > 0 && !fieldErrorsUnshown ? (
        <p role="alert" className="notice notice-error">
          The deal was not registered: correct the fields marked in red.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={submit.isPending}>
          Register
        </button>
        {submit.isPending ? (
          <span role="status" className="loading">
            Registering…
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** The shared field, its control registered with the form. */
function Field({
  registration,
  children,
  ...field
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  registration: UseFormRegisterReturn;
  children(props: UseFormRegisterReturn & FieldControl): ReactNode;
}) {
  return <SharedField {...field}>{(control) => children({ ...registration, ...control })}</SharedField>;
}

/** The API's field messages start in lower case ("not a domain name"): shown as a sentence. */
const sentence = (message: string | undefined) =>
  message ? `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}` : undefined;
