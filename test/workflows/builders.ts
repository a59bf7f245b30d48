import { randomBytes } from 'node:crypto';
import { DEV_PARTNERS, DEV_TOKENS } from '../../src/devDirectory';
import type { AccountSegment } from '../../src/domain/directory';
import {
  EXAMPLE_POLICY,
  validatePolicyDocument,
  type PolicyCalendar,
  type PolicyDocumentInput,
} from '../../src/domain/policy';
import type { Actor, RegistrationInput } from '../../workflows/registration/contract';

// Builders for workflow tests: the example policy and a registration of the development directory,
// each changed only where a scenario needs it.

type RegistrationRulesInput = PolicyDocumentInput['registration'];
type ReviewInput = RegistrationRulesInput['review'];

/** EXAMPLE_POLICY (policy v1 of the development seed), validated as any stored version is. */
export function aPolicy(): PolicyBuilder {
  return new PolicyBuilder(structuredClone(EXAMPLE_POLICY));
}

export class PolicyBuilder {
  constructor(private readonly document: PolicyDocumentInput) {}

  withValidity(validity: string): this {
    this.document.registration.validity = validity;
    return this;
  }

  withReminders(...offsets: string[]): this {
    this.document.registration.reminders = offsets;
    return this;
  }

  withExtensions(max: number, length: string): this {
    this.document.registration.extensions = { max, length };
    return this;
  }

  withStaleAfter(staleAfter: string): this {
    this.document.registration.staleAfter = staleAfter;
    return this;
  }

  withoutStaleness(): this {
    delete this.document.registration.staleAfter;
    return this;
  }

  withReview(review: Partial<ReviewInput>): this {
    this.document.registration.review = { ...this.document.registration.review, ...review };
    return this;
  }

  /** The escalation ladder (conflict tiers), whose first role also reviews registrations. */
  withLadder(...tiers: { role: 'channel_manager' | 'regional_director' | 'vp_partnerships'; sla: string }[]): this {
    this.document.conflicts.escalation = tiers;
    return this;
  }

  withCalendar(calendar: Partial<PolicyCalendar>): this {
    this.document.calendar = { ...this.document.calendar, ...calendar };
    return this;
  }

  build(): RegistrationInput['policy'] {
    const validated = validatePolicyDocument(this.document);
    if (!validated.ok) throw new Error(`invalid test policy: ${JSON.stringify(validated.errors)}`);
    return { version: 1, document: validated.policy };
  }
}

/**
 * A registration by Northwind (gold) of a 20,000 EUR "cloud" deal on a fresh mid-market account in
 * EMEA: auto-approved under the example policy. Every build names a new registration and account.
 */
export function aRegistration(): RegistrationBuilder {
  return new RegistrationBuilder();
}

export class RegistrationBuilder {
  private partnerId = 'northwind';
  private domain = `acct-${randomBytes(5).toString('hex')}.example`;
  private segment: AccountSegment | undefined = 'mid_market';
  private region = 'emea';
  private namedDirect = false;
  private productLine = 'cloud';
  private amount = 20_000;
  private currency = 'EUR';
  private policy: PolicyBuilder = aPolicy();
  private submittedAt: number | undefined;

  forPartner(partnerId: string): this {
    this.partnerId = partnerId;
    return this;
  }

  onAccount(domain: string): this {
    this.domain = domain;
    return this;
  }

  inSegment(segment: AccountSegment | undefined): this {
    this.segment = segment;
    return this;
  }

  inRegion(region: string): this {
    this.region = region;
    return this;
  }

  onNamedDirectAccount(): this {
    this.namedDirect = true;
    return this;
  }

  forProductLine(productLine: string): this {
    this.productLine = productLine;
    return this;
  }

  withAmount(amount: number, currency = 'EUR'): this {
    this.amount = amount;
    this.currency = currency;
    return this;
  }

  withPolicy(policy: PolicyBuilder): this {
    this.policy = policy;
    return this;
  }

  submittedAtMs(at: number): this {
    this.submittedAt = at;
    return this;
  }

  /** The account key this registration will claim. */
  get accountKey(): string {
    return this.domain;
  }

  build(): RegistrationInput {
    const partner = DEV_PARTNERS.find((p) => p.id === this.partnerId);
    if (!partner) throw new Error(`no development partner ${this.partnerId}`);
    const registrationId = `reg-${randomBytes(6).toString('hex')}`;
    return {
      registrationId,
      partner: { id: partner.id, name: partner.name, tier: partner.tier, type: partner.type, regions: partner.regions },
      account: {
        name: `Account ${this.domain}`,
        domain: this.domain,
        region: this.region,
        ...(this.segment ? { segment: this.segment } : {}),
        namedDirect: this.namedDirect,
      },
      opportunity: {
        title: `Deal ${registrationId}`,
        productLine: this.productLine,
        amount: { value: this.amount, currency: this.currency },
        expectedCloseDate: '2027-06-30',
      },
      submittedAt: new Date(this.submittedAt ?? Date.now()).toISOString(),
      policy: this.policy.build(),
      possibleDuplicates: [],
    };
  }
}

/** The partner's own user, as the API authenticates it. */
export function partnerActor(partnerId: string): Actor {
  return { role: 'partner', subject: `partner:${partnerId}`, partnerId };
}

/** A manager of the development directory by token name (`cm-emea`, `rd-emea`, `vp`). */
export function managerActor(person: 'cm-emea' | 'rd-emea' | 'vp'): Actor {
  const principal = DEV_TOKENS[`dev-${person}`];
  if (principal.role !== 'manager') throw new Error(`dev-${person} is not a manager`);
  return { ...principal };
}
