import fc from 'fast-check';
import { z } from 'zod';
import {
  EXAMPLE_POLICY,
  type FieldError,
  isCatchAllRoute,
  issuesToFieldErrors,
  policyDocumentSchema,
  validatePolicyDocument,
} from '../../src/domain/policy';

type Json = Record<string, unknown>;

/** The example policy with changes at dotted paths (`routes.2.eligibleTiers`). */
class PolicyBuilder {
  private readonly document = structuredClone(EXAMPLE_POLICY) as unknown as Json;

  with(path: string, value: unknown): this {
    const { parent, key } = this.locate(path);
    parent[key] = value;
    return this;
  }

  without(path: string): this {
    const { parent, key } = this.locate(path);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return this;
  }

  build(): unknown {
    return this.document;
  }

  private locate(path: string): { parent: Json; key: string } {
    const keys = path.split('.');
    const key = keys.pop()!;
    const parent = keys.reduce((node, step) => node[step] as Json, this.document);
    return { parent, key };
  }
}

const aPolicy = () => new PolicyBuilder();

function errorsOf(document: unknown): FieldError[] {
  const result = validatePolicyDocument(document);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.errors;
}

function expectValid(document: unknown) {
  const result = validatePolicyDocument(document);
  expect(result.ok ? [] : result.errors).toEqual([]);
}

describe('the example policy', () => {
  it('validates', () => {
    expectValid(EXAMPLE_POLICY);
  });

  it('keeps the route ids and durations of the API example', () => {
    const result = validatePolicyDocument(EXAMPLE_POLICY);
    if (!result.ok) throw new Error('example invalid');
    expect(result.policy.routes.map((route) => route.id)).toEqual(['R-STRATEGIC', 'R-ENTERPRISE', 'R-DEFAULT']);
    expect(result.policy.registration.validity).toBe('P90D');
    expect(result.policy.conflicts.escalation.map((step) => step.sla)).toEqual(['PT24H', 'PT48H', 'PT72H']);
    expect(result.policy.playbook[0]).toMatchObject({ id: 'S1', expect: { outcome: 'approved' } });
  });
});

describe('validatePolicyDocument', () => {
  it('defaults holidays and the playbook to empty lists', () => {
    const result = validatePolicyDocument(aPolicy().without('calendar.holidays').without('playbook').build());
    expect(result).toMatchObject({ ok: true, policy: { calendar: { holidays: [] }, playbook: [] } });
  });

  it('accepts durations in seconds, so a policy can run end to end in real time', () => {
    expectValid(
      aPolicy()
        .with('registration.validity', 'PT60S')
        .with('registration.reminders', ['PT10S', 'PT5S'])
        .with('registration.review.sla', 'PT5S')
        .with('conflicts.escalation', [{ role: 'channel_manager', sla: 'PT5S' }])
        .build(),
    );
  });

  it('names the root path when the document is not an object', () => {
    expect(errorsOf(null)).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('reports a missing field as required, naming its path', () => {
    expect(errorsOf(aPolicy().without('registration.review.sla').build())).toEqual([
      { path: 'registration.review.sla', message: 'required' },
    ]);
  });

  it('rejects each unknown field, at the top and nested, naming its path', () => {
    const document = aPolicy().with('owner', 'me').with('routes.0.when.industries', ['retail']).with('routes.0.x', 1);
    expect(errorsOf(document.build())).toEqual(
      expect.arrayContaining([
        { path: 'owner', message: 'unknown field' },
        { path: 'routes.0.when.industries', message: 'unknown field' },
        { path: 'routes.0.x', message: 'unknown field' },
      ]),
    );
  });

  it('reports every bad field at once', () => {
    const document = aPolicy().with('title', '').with('noticePeriod', 'P1M').with('conflicts.clock', 'lunar').build();
    expect(errorsOf(document).map((error) => error.path)).toEqual(['title', 'noticePeriod', 'conflicts.clock']);
  });

  it('rejects a title longer than 200 characters or only blanks', () => {
    expect(errorsOf(aPolicy().with('title', 'x'.repeat(201)).build())[0].path).toBe('title');
    expect(errorsOf(aPolicy().with('title', '   ').build())).toEqual([
      { path: 'title', message: 'the title cannot be blank' },
    ]);
  });

  it('rejects a notice period in months, saying they have no fixed length', () => {
    expect(errorsOf(aPolicy().with('noticePeriod', 'P1M').build())).toEqual([
      { path: 'noticePeriod', message: 'years and months have no fixed length; use days or weeks' },
    ]);
  });
});

describe('calendar', () => {
  it('rejects an unknown time zone', () => {
    expect(errorsOf(aPolicy().with('calendar.timezone', 'Europe/Atlantis').build())[0].path).toBe('calendar.timezone');
    expect(errorsOf(aPolicy().with('calendar.timezone', '+01:00').build())[0].path).toBe('calendar.timezone');
  });

  it('accepts UTC and other IANA zones', () => {
    expectValid(aPolicy().with('calendar.timezone', 'UTC').build());
    expectValid(aPolicy().with('calendar.timezone', 'America/Argentina/Buenos_Aires').build());
  });

  it('rejects an empty, repeated or misspelled workday list', () => {
    expect(errorsOf(aPolicy().with('calendar.workdays', []).build())[0].path).toBe('calendar.workdays');
    expect(errorsOf(aPolicy().with('calendar.workdays', ['mon', 'tue', 'mon']).build())).toEqual([
      { path: 'calendar.workdays.2', message: 'workday "mon" appears more than once' },
    ]);
    expect(errorsOf(aPolicy().with('calendar.workdays', ['monday']).build())[0].path).toBe('calendar.workdays.0');
  });

  it('rejects working hours that end before they start', () => {
    expect(errorsOf(aPolicy().with('calendar.hours', { start: '17:00', end: '09:00' }).build())).toEqual([
      { path: 'calendar.hours.end', message: 'the working day must end after it starts (17:00)' },
    ]);
    expect(errorsOf(aPolicy().with('calendar.hours', { start: '09:00', end: '09:00' }).build())[0].path).toBe(
      'calendar.hours.end',
    );
  });

  it('rejects a time of day that is not HH:MM', () => {
    expect(errorsOf(aPolicy().with('calendar.hours.start', '9:00').build())[0].path).toBe('calendar.hours.start');
    expect(errorsOf(aPolicy().with('calendar.hours.end', '24:00').build())[0].path).toBe('calendar.hours.end');
  });

  it('rejects a holiday that is not a calendar date, and accepts a leap day', () => {
    expect(errorsOf(aPolicy().with('calendar.holidays', ['2026-12-25', '2026-02-29']).build())[0].path).toBe(
      'calendar.holidays.1',
    );
    expect(errorsOf(aPolicy().with('calendar.holidays', ['2026-13-01']).build())[0].path).toBe('calendar.holidays.0');
    expect(errorsOf(aPolicy().with('calendar.holidays', ['25.12.2026']).build())[0].path).toBe('calendar.holidays.0');
    expectValid(aPolicy().with('calendar.holidays', ['2028-02-29', '2000-02-29']).build());
    expect(errorsOf(aPolicy().with('calendar.holidays', ['2100-02-29']).build())[0].path).toBe('calendar.holidays.0');
  });

  it('rejects a holiday listed twice', () => {
    expect(errorsOf(aPolicy().with('calendar.holidays', ['2026-12-25', '2026-12-25']).build())).toEqual([
      { path: 'calendar.holidays.1', message: 'holiday "2026-12-25" appears more than once' },
    ]);
  });
});

describe('routes', () => {
  it('rejects a route that names an unknown tier, naming the path', () => {
    const errors = errorsOf(aPolicy().with('routes.2.eligibleTiers', ['gold', 'diamond']).build());
    expect(errors).toEqual([{ path: 'routes.2.eligibleTiers.1', message: expect.stringContaining('"platinum"') }]);
  });

  it('rejects an unknown segment, partner type, route kind or registration rule', () => {
    const document = aPolicy()
      .with('routes.0.when.segments', ['galactic'])
      .with('routes.2.eligibleTypes', ['wholesaler'])
      .with('routes.1.route', 'indirect')
      .with('routes.1.partnerRegistration', 'maybe')
      .build();
    expect(errorsOf(document).map((error) => error.path)).toEqual([
      'routes.0.when.segments.0',
      'routes.1.route',
      'routes.1.partnerRegistration',
      'routes.2.eligibleTypes.0',
    ]);
  });

  it('rejects a route id that is not a slug', () => {
    expect(errorsOf(aPolicy().with('routes.0.id', 'strategic accounts').build())[0].path).toBe('routes.0.id');
    expect(errorsOf(aPolicy().with('routes.0.id', '1-STRATEGIC').build())[0].path).toBe('routes.0.id');
  });

  it('rejects two routes with the same id, naming the second', () => {
    expect(errorsOf(aPolicy().with('routes.1.id', 'R-STRATEGIC').build())).toEqual(
      expect.arrayContaining([{ path: 'routes.1.id', message: 'route id "R-STRATEGIC" appears more than once' }]),
    );
  });

  it('rejects a policy without a route that matches everything', () => {
    expect(
      errorsOf(
        aPolicy()
          .with('routes.2.when', { regions: ['emea'] })
          .build(),
      ),
    ).toEqual([{ path: 'routes', message: expect.stringContaining('no route matches everything') }]);
  });

  it('rejects a policy without routes', () => {
    expect(errorsOf(aPolicy().with('routes', []).without('playbook').build())).toEqual([
      { path: 'routes', message: 'a policy needs at least one route' },
    ]);
  });

  it('rejects an empty condition list, which would be ambiguous', () => {
    expect(errorsOf(aPolicy().with('routes.0.when.segments', []).build())[0].path).toBe('routes.0.when.segments');
    expect(errorsOf(aPolicy().with('routes.2.eligibleTiers', []).build())[0].path).toBe('routes.2.eligibleTiers');
  });

  it('accepts conditions on regions and product lines', () => {
    expectValid(
      aPolicy()
        .with('routes.1.when', { regions: ['emea', 'na'], productLines: ['cloud'] })
        .build(),
    );
  });
});

describe('isCatchAllRoute', () => {
  it('is true only for a route whose when is empty', () => {
    expect(isCatchAllRoute({ when: {} })).toBe(true);
    expect(isCatchAllRoute({ when: { segments: ['smb'] } })).toBe(false);
  });
});

describe('registration rules', () => {
  it('rejects a reminder as long as the validity', () => {
    expect(errorsOf(aPolicy().with('registration.reminders', ['P14D', 'P90D']).build())).toEqual([
      {
        path: 'registration.reminders.1',
        message: 'a reminder must come before expiry: shorter than the validity (P90D)',
      },
    ]);
  });

  it('rejects two reminders of the same length, even written differently', () => {
    expect(errorsOf(aPolicy().with('registration.reminders', ['P14D', 'P2W']).build())).toEqual([
      { path: 'registration.reminders.1', message: 'reminder "P2W" appears more than once' },
    ]);
  });

  it('reports a malformed reminder without measuring it against the validity', () => {
    expect(errorsOf(aPolicy().with('registration.reminders', ['P1Y', 'P1Y']).build())).toEqual([
      { path: 'registration.reminders.0', message: 'years and months have no fixed length; use days or weeks' },
      { path: 'registration.reminders.1', message: 'years and months have no fixed length; use days or weeks' },
    ]);
  });

  it('accepts any reminders that are distinct and shorter than the validity', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 89 }), { maxLength: 5 }), (days) => {
        expectValid(
          aPolicy()
            .with(
              'registration.reminders',
              days.map((n) => `P${n}D`),
            )
            .build(),
        );
      }),
      { numRuns: 50 },
    );
  });

  it('rejects more than ten extensions or a fractional count', () => {
    expect(errorsOf(aPolicy().with('registration.extensions.max', 11).build())[0].path).toBe(
      'registration.extensions.max',
    );
    expect(errorsOf(aPolicy().with('registration.extensions.max', 1.5).build())[0].path).toBe(
      'registration.extensions.max',
    );
    expectValid(aPolicy().with('registration.extensions.max', 0).build());
  });

  it('rejects an extension of zero length', () => {
    expect(errorsOf(aPolicy().with('registration.extensions.length', 'PT0S').build())).toEqual([
      { path: 'registration.extensions.length', message: 'a duration must be longer than zero' },
    ]);
  });

  it('rejects an unknown review clock or breach action', () => {
    const document = aPolicy()
      .with('registration.review.clock', 'sundial')
      .with('registration.review.onBreach', 'panic');
    expect(errorsOf(document.build()).map((error) => error.path)).toEqual([
      'registration.review.clock',
      'registration.review.onBreach',
    ]);
  });

  it('rejects an auto-approval limit of zero or an unknown tier', () => {
    const document = aPolicy()
      .with('registration.review.autoApprove', { maxAmount: 0, tiers: ['bronze'] })
      .build();
    expect(errorsOf(document).map((error) => error.path)).toEqual([
      'registration.review.autoApprove.maxAmount',
      'registration.review.autoApprove.tiers.0',
    ]);
  });

  it('accepts a policy without auto-approval or a stale period', () => {
    expectValid(aPolicy().without('registration.review.autoApprove').without('registration.staleAfter').build());
  });
});

describe('conflict rules', () => {
  it('rejects an empty escalation ladder', () => {
    expect(errorsOf(aPolicy().with('conflicts.escalation', []).build())[0].path).toBe('conflicts.escalation');
  });

  it('rejects a ladder that goes down, naming the out-of-order role', () => {
    const ladder = [
      { role: 'regional_director', sla: 'PT24H' },
      { role: 'channel_manager', sla: 'PT24H' },
    ];
    expect(errorsOf(aPolicy().with('conflicts.escalation', ladder).build())).toEqual([
      {
        path: 'conflicts.escalation.1.role',
        message: expect.stringContaining('channel_manager must come before regional_director'),
      },
    ]);
  });

  it('rejects a role that appears twice on the ladder', () => {
    const ladder = [
      { role: 'channel_manager', sla: 'PT24H' },
      { role: 'channel_manager', sla: 'PT48H' },
    ];
    expect(errorsOf(aPolicy().with('conflicts.escalation', ladder).build())).toEqual([
      { path: 'conflicts.escalation.1.role', message: 'channel_manager appears twice on the escalation ladder' },
    ]);
  });

  it('accepts a ladder that skips a role', () => {
    const ladder = [
      { role: 'channel_manager', sla: 'PT24H' },
      { role: 'vp_partnerships', sla: 'PT72H' },
    ];
    expectValid(aPolicy().with('conflicts.escalation', ladder).build());
  });

  it('rejects an unknown role or final-breach rule', () => {
    const document = aPolicy()
      .with('conflicts.escalation.0.role', 'ceo')
      .with('conflicts.onFinalBreach', 'coin_toss')
      .build();
    expect(errorsOf(document).map((error) => error.path)).toEqual([
      'conflicts.escalation.0.role',
      'conflicts.onFinalBreach',
    ]);
  });
});

describe('playbook', () => {
  it('rejects two scenarios with the same id, naming the second', () => {
    expect(errorsOf(aPolicy().with('playbook.1.id', 'S1').build())).toEqual([
      { path: 'playbook.1.id', message: 'scenario id "S1" appears more than once' },
    ]);
  });

  it('rejects an expected rule id that names no route', () => {
    expect(errorsOf(aPolicy().with('playbook.1.expect.ruleIds', ['R-STRATEGIC', 'R-GONE']).build())).toEqual([
      { path: 'playbook.1.expect.ruleIds.1', message: 'no route has the id "R-GONE"' },
    ]);
  });

  it('rejects an unknown outcome or claim kind', () => {
    const document = aPolicy()
      .with('playbook.0.expect.outcome', 'maybe')
      .with('playbook.0.given.existingClaim', { kind: 'rumour' })
      .build();
    expect(errorsOf(document).map((error) => error.path)).toEqual([
      'playbook.0.given.existingClaim.kind',
      'playbook.0.expect.outcome',
    ]);
  });

  it('rejects a negative amount or a currency that is not three capital letters', () => {
    const document = aPolicy().with('playbook.0.given.opportunity.amount', { value: -1, currency: 'eur' }).build();
    expect(errorsOf(document).map((error) => error.path)).toEqual([
      'playbook.0.given.opportunity.amount.value',
      'playbook.0.given.opportunity.amount.currency',
    ]);
  });

  it('rejects an unknown fact in a scenario', () => {
    expect(errorsOf(aPolicy().with('playbook.0.given.partner.name', 'Northwind').build())).toEqual([
      { path: 'playbook.0.given.partner.name', message: 'unknown field' },
    ]);
  });

  it('accepts a scenario with every fact given', () => {
    const given = {
      partner: { tier: 'platinum', type: 'system_integrator', regions: ['emea', 'na'] },
      account: { domain: 'contoso.example.com', segment: 'smb', region: 'na', directOwner: true },
      opportunity: { productLine: 'cloud', amount: { value: 0, currency: 'USD' } },
      existingClaim: { kind: 'direct' },
    };
    expectValid(aPolicy().with('playbook.0.given', given).build());
  });
});

describe('money', () => {
  it('accepts the example policy without a currency, and a base currency with rates', () => {
    expectValid(aPolicy().build());
    expectValid(aPolicy().with('currency', 'USD').with('exchangeRates', { EUR: 1.09, GBP: 1.27, USD: 1 }).build());
  });

  it('refuses a currency that ISO 4217 does not assign, at its path', () => {
    expect(errorsOf(aPolicy().with('currency', 'XXY').build()).map((error) => error.path)).toEqual(['currency']);
    expect(errorsOf(aPolicy().with('currency', 'usd').build()).map((error) => error.path)).toEqual(['currency']);
  });

  it('refuses an exchange rate for a code that is not a currency, naming the code', () => {
    expect(errorsOf(aPolicy().with('exchangeRates', { USD: 0.92, XYZ: 2 }).build())).toEqual([
      { path: 'exchangeRates.XYZ', message: 'expected an ISO 4217 currency code, such as "EUR" or "USD"' },
    ]);
  });

  it.each([0, -0.92, '0.92', null])('refuses an exchange rate of %p', (rate) => {
    expect(errorsOf(aPolicy().with('exchangeRates', { USD: rate }).build()).map((error) => error.path)).toEqual([
      'exchangeRates.USD',
    ]);
  });

  it('refuses a rate other than 1 for the base currency, EUR when the policy names none', () => {
    expect(errorsOf(aPolicy().with('exchangeRates', { EUR: 0.9 }).build())).toEqual([
      { path: 'exchangeRates.EUR', message: "EUR is the policy's base currency: its rate is 1, or leave it out" },
    ]);
    expect(errorsOf(aPolicy().with('currency', 'GBP').with('exchangeRates', { GBP: 2 }).build())).toEqual([
      { path: 'exchangeRates.GBP', message: "GBP is the policy's base currency: its rate is 1, or leave it out" },
    ]);
  });

  it('refuses a playbook amount in a code that is not a currency', () => {
    const document = aPolicy().with('playbook.0.given.opportunity.amount', { value: 1, currency: 'XXY' }).build();
    expect(errorsOf(document).map((error) => error.path)).toEqual(['playbook.0.given.opportunity.amount.currency']);
  });
});

describe('issuesToFieldErrors', () => {
  const requestSchema = z.strictObject({ reason: z.string(), limit: z.number().optional() });

  it('puts the prefix in front of every path and splits unknown keys', () => {
    const result = requestSchema.safeParse({ limit: 'ten', a: 1, b: 2 });
    if (result.success) throw new Error('expected the request to be rejected');
    expect(issuesToFieldErrors(result.error.issues, 'body')).toEqual([
      { path: 'body.reason', message: expect.any(String) },
      { path: 'body.limit', message: expect.any(String) },
      { path: 'body.a', message: 'unknown field' },
      { path: 'body.b', message: 'unknown field' },
    ]);
  });

  it('uses the prefix alone for an issue at the root', () => {
    const result = requestSchema.safeParse('text');
    if (result.success) throw new Error('expected the request to be rejected');
    expect(issuesToFieldErrors(result.error.issues, 'body').map((error) => error.path)).toEqual(['body']);
  });

  it('gives one unknown-field error per unknown key, whatever the keys', () => {
    const key = fc.stringMatching(/^[a-z]{1,8}$/);
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 5 }), (keys) => {
        const document = Object.fromEntries(keys.map((name) => [`x_${name}`, true]));
        const result = policyDocumentSchema.safeParse({ ...EXAMPLE_POLICY, ...document });
        if (result.success) throw new Error('expected the policy to be rejected');
        expect(issuesToFieldErrors(result.error.issues)).toEqual(
          keys.map((name) => ({ path: `x_${name}`, message: 'unknown field' })),
        );
      }),
      { numRuns: 50 },
    );
  });
});
