import { z } from 'zod';

/** `?limit=` (default 50, max 500) and `?cursor=` of every list. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('page size, 1–500'),
  cursor: z.string().min(1).max(500).optional().describe('nextCursor of the previous page'),
});

export const contactSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email(),
});

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
