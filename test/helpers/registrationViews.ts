import {
  registrationWorkflowId,
  type RegistrationDecision,
  type RegistrationView,
} from '../../workflows/registration/contract';

// Builders of registration views as the workflow records them, for tests that seed the read model.

/** `seconds` after `at`, as ISO 8601. */
export const secondsAfter = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();

export function aRegistrationView(id: string, overrides: Partial<RegistrationView> = {}): RegistrationView {
  return {
    id,
    workflowId: registrationWorkflowId(id),
    partnerId: 'northwind',
    account: { name: 'Acme', domain: `${id}.example`, region: 'emea' },
    opportunity: {
      title: 'Platform deal',
      productLine: 'platform',
      amount: { value: 20_000, currency: 'EUR' },
      expectedCloseDate: '2026-09-30',
    },
    status: 'approved',
    policyVersion: 1,
    submittedAt: '2026-03-02T09:00:00.000Z',
    extensions: [],
    possibleDuplicates: [],
    timeline: [],
    ...overrides,
  };
}

/** A decision taken `seconds` after the registration's submission. */
export function aDecisionAfter(
  view: Pick<RegistrationView, 'submittedAt'>,
  seconds: number,
  outcome: RegistrationDecision['outcome'],
  decidedBy: string,
): RegistrationDecision {
  return {
    outcome,
    reason: `${outcome} by ${decidedBy}`,
    ruleIds: [],
    decidedBy,
    decidedAt: secondsAfter(view.submittedAt, seconds),
  };
}
