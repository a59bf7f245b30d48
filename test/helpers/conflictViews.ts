import type { PartnerTier } from '../../src/domain/directory';
import {
  conflictWorkflowId,
  type ConflictParty,
  type ConflictResolution,
  type ConflictView,
} from '../../workflows/conflict/contract';

// Builders of conflict case views as the workflow records them, for tests of the read model and the API.

export function aPartnerParty(
  partnerId: string,
  registrationId: string,
  partnerTier: PartnerTier,
  submittedAt = '2026-03-02T09:00:00.000Z',
  holder = false,
): ConflictParty {
  return { kind: 'partner', partnerId, registrationId, partnerTier, submittedAt, holder };
}

export function aDirectParty(submittedAt = '2026-01-15T09:00:00.000Z'): ConflictParty {
  return { kind: 'direct', submittedAt, holder: true };
}

export function aResolution(award: string, overrides: Partial<ConflictResolution> = {}): ConflictResolution {
  return {
    award,
    reason: 'the stronger claim',
    decidedBy: 'dev-cm-emea',
    decidedAt: '2026-03-03T09:00:00.000Z',
    by: 'manager',
    ...overrides,
  };
}

/** An open case at tier 1 between northwind (holder) and contoso on acme.example/analytics. */
export function aConflictView(overrides: Partial<ConflictView> = {}): ConflictView {
  const id = overrides.id ?? 'cf-0000000000000001';
  return {
    id,
    workflowId: conflictWorkflowId(id),
    domain: 'acme.example',
    productLine: 'analytics',
    region: 'emea',
    status: 'open',
    tier: 1,
    assigneeRole: 'channel_manager',
    dueAt: '2026-03-03T09:00:00.000Z',
    policyVersion: 1,
    openedAt: '2026-03-02T10:00:00.000Z',
    parties: [
      aPartnerParty('northwind', 'reg-aaaaaaaaaaaaaaaa', 'gold', '2026-03-01T09:00:00.000Z', true),
      aPartnerParty('contoso', 'reg-bbbbbbbbbbbbbbbb', 'silver', '2026-03-02T09:00:00.000Z'),
    ],
    breaches: [],
    appeals: [],
    history: [{ at: '2026-03-02T10:00:00.000Z', event: 'opened', detail: 'a conflict case opened with 2 claims' }],
    ...overrides,
  };
}
