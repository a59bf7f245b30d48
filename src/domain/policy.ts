import { z } from 'zod';
import { fieldErrorMap, issuesToFieldErrors, type FieldError } from './fieldErrors';

export { fieldErrorMap, issuesToFieldErrors, type FieldError };
import { ESCALATION_ROLES } from './directory';
import {
  accountSegmentSchema,
  escalationRoleSchema,
  partnerTierSchema,
  partnerTypeSchema,
  regionSchema,
} from './schemas/directory';
import { isoDurationToMillis } from './duration';
import { durationSchema } from './schemas/duration';
import { CURRENCY_CODE_MESSAGE, currencyCodeSchema, isCurrencyCode } from './currencyCode';
import { baseCurrencyOf } from './money';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const ROUTE_KINDS = ['direct', 'partner_led', 'co_sell', 'marketplace'] as const;
export const PARTNER_REGISTRATION_RULES = ['accept', 'review', 'reject'] as const;
export const CLOCKS = ['business', 'wall'] as const;
export const REVIEW_BREACH_ACTIONS = ['escalate', 'approve', 'reject'] as const;
export const FINAL_BREACH_ACTIONS = ['first_to_register', 'direct', 'reject_all'] as const;
export const DECISION_OUTCOMES = ['approved', 'rejected', 'pending_review', 'in_conflict'] as const;
export const CLAIM_KINDS = ['partner', 'direct'] as const;

// ---------------------------------------------------------------- shared pieces

const idSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'an id starts with a letter and holds letters, digits, "-" or "_"');

type Uniqueness<T> = {
  /** Compares items by this key; the item itself when left out. */
  keyOf?: (item: T) => unknown;
  /** The field of each item that a repeat is reported at (`id`). */
  field?: string;
};

/** An array whose items must differ; each repeat is reported at its own index. */
function uniqueArray<T extends z.ZodType>(item: T, what: string, uniqueness: Uniqueness<z.output<T>> = {}) {
  const { keyOf = (value) => value, field } = uniqueness;
  return z.array(item).superRefine((values, ctx) => {
    for (const index of repeatedIndexes(values.map(keyOf))) {
      const shown = field ? (values[index] as Record<string, unknown>)[field] : values[index];
      ctx.addIssue({
        code: 'custom',
        path: field ? [index, field] : [index],
        message: `${what} ${JSON.stringify(shown)} appears more than once`,
      });
    }
  });
}

function repeatedIndexes(keys: readonly unknown[]): number[] {
  return keys.flatMap((key, index) => (keys.indexOf(key) < index ? [index] : []));
}

function nonEmptyUnique<T extends z.ZodType>(item: T, what: string) {
  return uniqueArray(item, what).min(1, `list at least one ${what}, or leave the field out`);
}

// ---------------------------------------------------------------- calendar

const timeOfDaySchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day "HH:MM", such as "09:00"');

const calendarDateSchema = z
  .string()
  .refine(isCalendarDate, 'expected a calendar date "YYYY-MM-DD", such as "2026-12-25"');

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const timezoneSchema = z
  .string()
  .refine(isKnownTimeZone, 'expected an IANA time zone name, such as "Europe/Berlin" or "UTC"');

// Intl's zone data is fixed for the process, so this stays deterministic inside workflow sandboxes.
function isKnownTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const workingHoursSchema = z
  .strictObject({ start: timeOfDaySchema, end: timeOfDaySchema })
  .superRefine((hours, ctx) => {
    if (hours.start >= hours.end) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `the working day must end after it starts (${hours.start})`,
      });
    }
  });

export const calendarSchema = z.strictObject({
  timezone: timezoneSchema,
  workdays: nonEmptyUnique(z.enum(WEEKDAYS), 'workday'),
  hours: workingHoursSchema,
  holidays: uniqueArray(calendarDateSchema, 'holiday').default(() => []),
});

// ---------------------------------------------------------------- routes

const productLineSchema = z.string().min(1).max(100);

const routeConditionSchema = z.strictObject({
  segments: nonEmptyUnique(accountSegmentSchema, 'segment').optional(),
  regions: nonEmptyUnique(regionSchema, 'region').optional(),
  productLines: nonEmptyUnique(productLineSchema, 'product line').optional(),
});

export const routeSchema = z.strictObject({
  id: idSchema,
  when: routeConditionSchema,
  route: z.enum(ROUTE_KINDS),
  partnerRegistration: z.enum(PARTNER_REGISTRATION_RULES),
  eligibleTiers: nonEmptyUnique(partnerTierSchema, 'tier').optional(),
  eligibleTypes: nonEmptyUnique(partnerTypeSchema, 'partner type').optional(),
});

/** A route whose `when` is empty matches every account and opportunity. */
export function isCatchAllRoute(route: Pick<PolicyRoute, 'when'>): boolean {
  return Object.values(route.when).every((condition) => condition === undefined);
}

const routesSchema = uniqueArray(routeSchema, 'route id', { keyOf: (route) => route.id, field: 'id' })
  .min(1, 'a policy needs at least one route')
  .superRefine((routes, ctx) => {
    if (routes.length > 0 && !routes.some(isCatchAllRoute)) {
      ctx.addIssue({
        code: 'custom',
        message: 'no route matches everything; end the list with a route whose "when" is {}',
      });
    }
  });

// ---------------------------------------------------------------- registration

const reviewSchema = z.strictObject({
  sla: durationSchema,
  clock: z.enum(CLOCKS),
  onBreach: z.enum(REVIEW_BREACH_ACTIONS),
  autoApprove: z
    .strictObject({ maxAmount: z.number().positive(), tiers: nonEmptyUnique(partnerTierSchema, 'tier') })
    .optional(),
});

// Reminders count back from expiry, so P14D and P2W are the same reminder.
const remindersSchema = uniqueArray(durationSchema, 'reminder', { keyOf: isoDurationToMillis });

export const registrationRulesSchema = z
  .strictObject({
    validity: durationSchema,
    reminders: remindersSchema,
    extensions: z.strictObject({ max: z.number().int().min(0).max(10), length: durationSchema }),
    review: reviewSchema,
    staleAfter: durationSchema.optional(),
  })
  .superRefine((registration, ctx) => {
    const validity = isoDurationToMillis(registration.validity);
    registration.reminders.forEach((reminder, index) => {
      if (isoDurationToMillis(reminder) >= validity) {
        ctx.addIssue({
          code: 'custom',
          path: ['reminders', index],
          message: `a reminder must come before expiry: shorter than the validity (${registration.validity})`,
        });
      }
    });
  });

// ---------------------------------------------------------------- conflicts

const escalationLadderSchema = z
  .array(z.strictObject({ role: escalationRoleSchema, sla: durationSchema }))
  .min(1, 'the escalation ladder needs at least one role')
  .superRefine((ladder, ctx) => {
    ladder.forEach((step, index) => {
      const problem = index === 0 ? undefined : ladderStepProblem(ladder[index - 1].role, step.role);
      if (problem) ctx.addIssue({ code: 'custom', path: [index, 'role'], message: problem });
    });
  });

function ladderStepProblem(below: EscalationLadderRole, role: EscalationLadderRole): string | undefined {
  const rise = ESCALATION_ROLES.indexOf(role) - ESCALATION_ROLES.indexOf(below);
  if (rise === 0) return `${role} appears twice on the escalation ladder`;
  if (rise < 0) return `the ladder goes upwards (${ESCALATION_ROLES.join(' < ')}): ${role} must come before ${below}`;
  return undefined;
}

type EscalationLadderRole = z.infer<typeof escalationRoleSchema>;

export const conflictRulesSchema = z.strictObject({
  escalation: escalationLadderSchema,
  clock: z.enum(CLOCKS),
  onFinalBreach: z.enum(FINAL_BREACH_ACTIONS),
  appealWindow: durationSchema,
});

// ---------------------------------------------------------------- playbook

const accountDomainSchema = z
  .string()
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'expected a domain name, such as "example.com"');

/** The facts a playbook scenario gives the engine; what is left out takes a neutral default. */
export const scenarioFactsSchema = z.strictObject({
  partner: z
    .strictObject({
      tier: partnerTierSchema.optional(),
      type: partnerTypeSchema.optional(),
      regions: nonEmptyUnique(regionSchema, 'region').optional(),
    })
    .optional(),
  account: z
    .strictObject({
      domain: accountDomainSchema.optional(),
      segment: accountSegmentSchema.optional(),
      region: regionSchema.optional(),
      directOwner: z.boolean().optional(),
    })
    .optional(),
  opportunity: z
    .strictObject({
      productLine: productLineSchema.optional(),
      amount: z
        .strictObject({
          value: z.number().min(0),
          currency: currencyCodeSchema,
        })
        .optional(),
    })
    .optional(),
  existingClaim: z.strictObject({ kind: z.enum(CLAIM_KINDS) }).optional(),
});

export const playbookScenarioSchema = z.strictObject({
  id: idSchema,
  if: z.string().min(1).max(1000),
  then: z.string().min(1).max(1000),
  given: scenarioFactsSchema,
  expect: z.strictObject({ outcome: z.enum(DECISION_OUTCOMES), ruleIds: z.array(idSchema).optional() }),
});

const playbookSchema = uniqueArray(playbookScenarioSchema, 'scenario id', {
  keyOf: (scenario) => scenario.id,
  field: 'id',
}).default(() => []);

// ---------------------------------------------------------------- money

/** Base units per unit of each other currency (`{"USD": 0.92}`: one dollar is 0.92 of the base). */
const exchangeRatesSchema = z
  .record(z.string(), z.number().positive('an exchange rate must be a positive number'))
  .superRefine((rates, ctx) => {
    for (const code of Object.keys(rates)) {
      if (!isCurrencyCode(code)) {
        ctx.addIssue({ code: 'custom', path: [code], message: CURRENCY_CODE_MESSAGE });
      }
    }
  });

/** The base currency's own rate is 1 by definition: another value would contradict it, so it is refused. */
function checkBaseRate(policy: { currency?: string; exchangeRates?: Record<string, number> }, ctx: z.RefinementCtx) {
  const base = baseCurrencyOf(policy);
  const own = policy.exchangeRates?.[base];
  if (own !== undefined && own !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['exchangeRates', base],
      message: `${base} is the policy's base currency: its rate is 1, or leave it out`,
    });
  }
}

// ---------------------------------------------------------------- document

export const policyDocumentSchema = z
  .strictObject({
    title: z.string().max(200).regex(/\S/, 'the title cannot be blank'),
    noticePeriod: durationSchema,
    /** Thresholds are in this currency; documents stored without one mean EUR. */
    currency: currencyCodeSchema.optional(),
    exchangeRates: exchangeRatesSchema.optional(),
    calendar: calendarSchema,
    routes: routesSchema,
    registration: registrationRulesSchema,
    conflicts: conflictRulesSchema,
    playbook: playbookSchema,
  })
  .superRefine((policy, ctx) => {
    checkBaseRate(policy, ctx);
    const routeIds = new Set(policy.routes.map((route) => route.id));
    policy.playbook.forEach((scenario, index) => {
      scenario.expect.ruleIds?.forEach((ruleId, ruleIndex) => {
        if (!routeIds.has(ruleId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['playbook', index, 'expect', 'ruleIds', ruleIndex],
            message: `no route has the id "${ruleId}"`,
          });
        }
      });
    });
  });

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;
export type PolicyCalendar = PolicyDocument['calendar'];
export type PolicyRoute = z.infer<typeof routeSchema>;
export type RegistrationRules = PolicyDocument['registration'];
export type ConflictRules = PolicyDocument['conflicts'];
export type PlaybookScenario = PolicyDocument['playbook'][number];
export type ScenarioFacts = PlaybookScenario['given'];
export type Weekday = (typeof WEEKDAYS)[number];
export type Clock = (typeof CLOCKS)[number];
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

// ---------------------------------------------------------------- validation results

export function validatePolicyDocument(
  input: unknown,
): { ok: true; policy: PolicyDocument } | { ok: false; errors: FieldError[] } {
  const result = policyDocumentSchema.safeParse(input, { error: fieldErrorMap });
  return result.success
    ? { ok: true, policy: result.data }
    : { ok: false, errors: issuesToFieldErrors(result.error.issues) };
}

// ---------------------------------------------------------------- example

/** The example of API.md, seeded as development policy v1; the playbook adds a few scenarios. */
export const EXAMPLE_POLICY: PolicyDocumentInput = {
  title: 'FY27 Partner Rules of Engagement',
  noticePeriod: 'P30D',
  calendar: {
    timezone: 'Europe/Berlin',
    workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    hours: { start: '09:00', end: '17:00' },
    holidays: ['2026-12-25'],
  },
  routes: [
    { id: 'R-STRATEGIC', when: { segments: ['strategic'] }, route: 'direct', partnerRegistration: 'reject' },
    { id: 'R-ENTERPRISE', when: { segments: ['enterprise'] }, route: 'co_sell', partnerRegistration: 'review' },
    {
      id: 'R-DEFAULT',
      when: {},
      route: 'partner_led',
      partnerRegistration: 'accept',
      eligibleTiers: ['silver', 'gold', 'platinum'],
    },
  ],
  registration: {
    validity: 'P90D',
    reminders: ['P14D', 'P3D'],
    extensions: { max: 1, length: 'P30D' },
    review: {
      sla: 'PT48H',
      clock: 'business',
      onBreach: 'escalate',
      autoApprove: { maxAmount: 50000, tiers: ['gold', 'platinum'] },
    },
    staleAfter: 'P30D',
  },
  conflicts: {
    escalation: [
      { role: 'channel_manager', sla: 'PT24H' },
      { role: 'regional_director', sla: 'PT48H' },
      { role: 'vp_partnerships', sla: 'PT72H' },
    ],
    clock: 'business',
    onFinalBreach: 'first_to_register',
    appealWindow: 'P5D',
  },
  playbook: [
    {
      id: 'S1',
      if: 'A gold partner registers a $20K deal on an unclaimed mid-market account',
      then: 'Auto-approved under R-DEFAULT',
      given: {
        partner: { tier: 'gold' },
        account: { segment: 'mid_market' },
        opportunity: { amount: { value: 20000, currency: 'EUR' } },
      },
      expect: { outcome: 'approved' },
    },
    {
      id: 'S2',
      if: 'A gold partner registers a deal on a strategic account',
      then: 'Rejected: strategic accounts are sold direct (R-STRATEGIC)',
      given: { partner: { tier: 'gold' }, account: { segment: 'strategic' } },
      expect: { outcome: 'rejected', ruleIds: ['R-STRATEGIC'] },
    },
    {
      id: 'S3',
      if: 'A silver partner registers a deal on an enterprise account',
      then: 'Waits for a channel manager: enterprise deals are co-sell and reviewed (R-ENTERPRISE)',
      given: { partner: { tier: 'silver' }, account: { segment: 'enterprise' } },
      expect: { outcome: 'pending_review', ruleIds: ['R-ENTERPRISE'] },
    },
    {
      id: 'S4',
      if: 'A registered-tier partner registers a deal on a mid-market account',
      then: 'Rejected: only silver, gold and platinum partners may register under R-DEFAULT',
      given: { partner: { tier: 'registered' }, account: { segment: 'mid_market' } },
      expect: { outcome: 'rejected', ruleIds: ['R-DEFAULT'] },
    },
  ],
};
