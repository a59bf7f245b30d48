import { z } from 'zod';

// ISO 4217 codes as this runtime's ICU knows them (Intl.supportedValuesOf, ES2022). Read on first
// use only: the schema is applied at the API edge, never in a workflow's sandbox.
let known: ReadonlySet<string> | undefined;

export function isCurrencyCode(code: string): boolean {
  known ??= new Set(Intl.supportedValuesOf('currency'));
  return /^[A-Z]{3}$/.test(code) && known.has(code);
}

export const CURRENCY_CODE_MESSAGE = 'expected an ISO 4217 currency code, such as "EUR" or "USD"';

/** Three capital letters (the pattern the OpenAPI document shows) that ISO 4217 assigns; one error per field. */
export const currencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, CURRENCY_CODE_MESSAGE)
  .refine((code) => !/^[A-Z]{3}$/.test(code) || isCurrencyCode(code), CURRENCY_CODE_MESSAGE);
