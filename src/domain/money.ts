/**
 * Money under a policy: amounts are compared and summed in the policy's base currency, converted
 * with the policy's own exchange rates. Pure, because the rules engine in workflows uses it.
 */

/** What a policy document stored before currencies were named means: its thresholds are in euros. */
export const DEFAULT_BASE_CURRENCY = 'EUR';

export type Money = { value: number; currency: string };

/** The money terms of a policy document: base currency (absent = EUR) and base units per unit of each other currency. */
export type PolicyMoney = { currency?: string; exchangeRates?: Readonly<Record<string, number>> };

export function baseCurrencyOf(policy: PolicyMoney): string {
  return policy.currency ?? DEFAULT_BASE_CURRENCY;
}

/** Base units per unit of `currency`: 1 for the base itself, undefined when the policy has no rate for it. */
export function rateOf(policy: PolicyMoney, currency: string): number | undefined {
  if (currency === baseCurrencyOf(policy)) return 1;
  const rates = policy.exchangeRates ?? {};
  return Object.prototype.hasOwnProperty.call(rates, currency) ? rates[currency] : undefined;
}

/**
 * The amount in the policy's base currency, rounded to cents so that what a reason shows is what
 * was compared; undefined when the policy has no rate for the amount's currency.
 */
export function inBaseCurrency(amount: Money, policy: PolicyMoney): number | undefined {
  const rate = rateOf(policy, amount.currency);
  if (rate === undefined) return undefined;
  return amount.currency === baseCurrencyOf(policy) ? amount.value : Math.round(amount.value * rate * 100) / 100;
}

/** A sum of amounts in the base currency, plus, per currency, what could not be converted. */
export type AmountTotal = {
  currency: string;
  value: number;
  /** Amounts in currencies the policy has no rate for, summed per currency (sorted by code). */
  unconverted: Money[];
};

export function totalInBaseCurrency(amounts: readonly Money[], policy: PolicyMoney): AmountTotal {
  let cents = 0;
  const unconverted = new Map<string, number>();
  for (const amount of amounts) {
    const converted = inBaseCurrency(amount, policy);
    if (converted === undefined)
      unconverted.set(amount.currency, (unconverted.get(amount.currency) ?? 0) + amount.value);
    else cents += Math.round(converted * 100);
  }
  return {
    currency: baseCurrencyOf(policy),
    value: cents / 100,
    unconverted: [...unconverted.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, value]) => ({ currency, value })),
  };
}
