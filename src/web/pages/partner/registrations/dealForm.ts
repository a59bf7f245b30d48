import type { RegistrationBody } from './words';

// The deal form's values and the rules the API applies to them, checked here first so a person
// hears about a missing field before the server does (the API's 400 still names the field).

export interface DealValues {
  accountName: string;
  domain: string;
  region: string;
  segment: string;
  title: string;
  productLine: string;
  amount: string;
  currency: string;
  expectedCloseDate: string;
}

export type DealField = keyof DealValues;

/** Where the API names each field in a 400's errors[].path. */
export const API_PATH: Record<DealField, string> = {
  accountName: 'account.name',
  domain: 'account.domain',
  region: 'account.region',
  segment: 'account.segment',
  title: 'opportunity.title',
  productLine: 'opportunity.productLine',
  amount: 'opportunity.amount.value',
  currency: 'opportunity.amount.currency',
  expectedCloseDate: 'opportunity.expectedCloseDate',
};

export const SEGMENTS = [
  ['smb', 'Small business'],
  ['mid_market', 'Mid-market'],
  ['enterprise', 'Enterprise'],
  ['strategic', 'Strategic'],
  ['public_sector', 'Public sector'],
] as const;

const todayUtc = () => new Date().toISOString().slice(0, 10);

/** The same checks as the API's schema, as messages for a person; `true` when the value passes. */
export const RULES: Record<DealField, (value: string) => true | string> = {
  accountName: (v) => (v.trim() ? true : 'Enter the account’s name.'),
  domain: (v) =>
    !v.trim()
      ? 'Enter the account’s web domain, such as acme.com.'
      : /^(https?:\/\/)?[^\s/.]+(\.[^\s/.]+)+(\/.*)?$/i.test(v.trim())
        ? true
        : 'Enter a domain name such as acme.com.',
  region: (v) =>
    !v.trim()
      ? 'Choose the account’s region.'
      : /^[a-z][a-z0-9_-]{1,31}$/.test(v.trim())
        ? true
        : 'A region is a lowercase name such as “emea” or “na”.',
  segment: () => true,
  title: (v) => (v.length <= 300 ? true : 'At most 300 characters.'),
  productLine: (v) =>
    !v.trim()
      ? 'Enter the product line, such as analytics.'
      : /^[a-z0-9][a-z0-9_-]{0,63}$/.test(v.trim())
        ? true
        : 'A product line is a lowercase id such as “analytics” (letters, digits, - and _).',
  amount: (v) => {
    if (!v.trim()) return 'Enter the deal’s amount.';
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) return 'Enter an amount of zero or more, digits only.';
    return n > 1e12 ? 'That amount is larger than the product accepts.' : true;
  },
  currency: (v) => (/^[A-Z]{3}$/.test(v) ? true : 'Choose a currency.'),
  expectedCloseDate: (v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'Choose the date you expect the deal to close.';
    return v >= todayUtc() ? true : `The deal cannot close before today (${todayUtc()}, UTC).`;
  },
};

/** The registration body, or undefined while a field is missing or breaks a rule. */
export function bodyIfComplete(values: DealValues): RegistrationBody | undefined {
  const fields = Object.keys(RULES) as DealField[];
  if (fields.some((f) => RULES[f](values[f] ?? '') !== true)) return undefined;
  return bodyOf(values);
}

export function bodyOf(values: DealValues): RegistrationBody {
  const productLine = values.productLine.trim();
  const accountName = values.accountName.trim();
  return {
    account: {
      name: accountName,
      domain: values.domain.trim(),
      region: values.region.trim(),
      ...(values.segment ? { segment: values.segment as NonNullable<RegistrationBody['account']['segment']> } : {}),
    },
    opportunity: {
      title: values.title.trim() || `${accountName} — ${productLine}`,
      productLine,
      amount: { value: Number(values.amount), currency: values.currency },
      expectedCloseDate: values.expectedCloseDate,
    },
  };
}
