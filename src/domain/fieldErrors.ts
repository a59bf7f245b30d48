import type { z } from 'zod';

/** A bad field of a request, document or environment: where it is and what is wrong. */
export type FieldError = { path: string; message: string };

/**
 * Error messages for any request schema: a missing field reads "required" rather than
 * "expected string, received undefined". Pass as `schema.safeParse(input, { error: fieldErrorMap })`.
 */
export const fieldErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'required';
  // Query strings and environment variables are coerced: "abc" arrives as NaN.
  if (issue.expected === 'number' && Number.isNaN(issue.input)) return 'must be a number';
  return undefined;
};

/**
 * One `{path, message}` per bad field, path joined with "." (`routes.1.eligibleTiers.0`, `''` at the root).
 * An unknown-keys issue becomes one "unknown field" error per key; `prefix` goes in front (`body`, `query`).
 */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.flatMap((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}
