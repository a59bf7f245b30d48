import { z } from 'zod';
import { durationProblem, MAX_POLICY_DAYS } from '../duration';

// Kept apart from the pure duration arithmetic, which workflows import: zod stays out of their bundle.

/** A positive ISO 8601 duration in a policy document; the text is kept as written. */
export const durationSchema = z
  .string()
  .superRefine((text, ctx) => {
    const problem = durationProblem(text);
    // Not continuing keeps enclosing checks (reminder before expiry) from measuring a non-duration.
    if (problem) ctx.addIssue({ code: 'custom', message: problem, continue: false });
  })
  .meta({
    description: `ISO 8601 duration in weeks, days, hours, minutes or seconds (no years or months, no fractions), longer than zero and at most P${MAX_POLICY_DAYS}D`,
    examples: ['P90D', 'PT48H', 'PT5S'],
    // What parseDuration reads, and not zero: the document refuses what the server refuses.
    pattern: '^P(?=.*[1-9])(?:\\d+W)?(?:\\d+D)?(?:T(?=\\d)(?:\\d+H)?(?:\\d+M)?(?:\\d+S)?)?$',
  });
