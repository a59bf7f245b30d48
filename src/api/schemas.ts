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
