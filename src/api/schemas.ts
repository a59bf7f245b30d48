import { z } from 'zod';

const CURSOR = /^[A-Za-z0-9_-]{1,500}$/;
const NOT_A_CURSOR = 'not a cursor returned by this list; pass nextCursor as it was given';

/**
 * `?cursor=`: base64url text as the lists hand it out, and one `issued` says this list issued. One
 * check, so a bad cursor gets one error; the document states the shape (the store cannot say more).
 */
export const listCursor = (issued: (cursor: string) => boolean = () => true) =>
  z
    .string()
    .refine((cursor) => CURSOR.test(cursor) && issued(cursor), NOT_A_CURSOR)
    .meta({
      description: 'nextCursor of the previous page, as it was given',
      minLength: 1,
      maxLength: 500,
      pattern: CURSOR.source,
    });

/** `?limit=` (default 50, max 500) and `?cursor=` of every list. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('page size, 1–500'),
  cursor: listCursor().optional(),
});

/** The `Idempotency-Key` header of creating POSTs: 1–200 visible ASCII characters. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,200}$/, '1–200 visible ASCII characters');

/**
 * An e-mail address within RFC 5321's limits (local part ≤ 64, whole ≤ 254, labels ≤ 63): a longer
 * one no mail server takes. The pattern is the document's too, so both refuse the same addresses.
 */
const EMAIL =
  /^(?=[^@]{1,64}@)(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
export const emailSchema = z.email({ pattern: EMAIL }).max(254);

export const contactSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: emailSchema,
});

/** Contacts of one partner: an address twice is a typo, refused naming the second one. */
export const contactListSchema = z
  .array(contactSchema)
  .min(1)
  .max(50)
  .superRefine((contacts, ctx) => {
    const seen = new Set<string>();
    for (const [i, contact] of contacts.entries()) {
      const address = contact.email.toLowerCase();
      if (seen.has(address)) ctx.addIssue({ code: 'custom', path: [i, 'email'], message: 'appears twice in contacts' });
      seen.add(address);
    }
  });

const LABEL = '[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?';
const TOP_LABEL = '(?:[A-Za-z\u00a1-\uffff]{2,63}|xn--[A-Za-z0-9-]{1,59})';
/** A host name with a dot and a letter top label, optionally as a URL (`https://sales.acme.co.uk/x`). */
const DOMAIN = new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:${LABEL}\\.)+${TOP_LABEL}\\.?(?::\\d{1,5})?(?:[/?#]\\S*)?$`,
);

/** An account's domain, or a URL on it; the account is its registrable domain (`acme.co.uk`). */
export const domainSchema = z
  .string()
  .min(1)
  .max(300)
  .regex(DOMAIN, 'not a domain name')
  .describe('A domain name such as acme.com, or a URL on it; a bare public suffix (co.uk) is not a domain');

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

/**
 * An ISO 8601 instant with its offset, in the years 1–9999 once in UTC: the store's timestamps
 * hold no year 0 and no five-digit year, so such an instant is the caller's error, not ours.
 */
export const instantSchema = z.iso.datetime({ offset: true }).refine((text) => {
  const year = new Date(text).getUTCFullYear();
  // Not a date at all is the format check's error already; one error per field.
  return Number.isNaN(year) || (year >= 1 && year <= 9999);
}, 'must be between the years 1 and 9999 (UTC)');

/** An amount in a currency (ISO 4217), as registered. */
export const moneyView = z.object({ value: z.number(), currency: z.string() });

/** A sum of amounts in a policy's base currency; what has no exchange rate in that policy stays apart, per currency. */
export const amountTotalView = z.object({
  currency: z.string().describe("The policy's base currency (EUR when the policy names none)"),
  value: z.number().describe('The sum of every amount that could be converted, in that currency'),
  unconverted: z
    .array(moneyView)
    .describe('Amounts in currencies the policy has no exchange rate for, summed per currency; not in value'),
});
