import type { EscalationRole } from '../../src/domain/directory';

// What every process shares with the rest of the service: who acts, the search attributes ops
// query by, the failure type of data the store refused.

/** Who acts on a registration, as the API authenticated them. */
export type Actor =
  | { role: 'partner'; subject: string; partnerId: string }
  | { role: 'manager'; subject: string; escalationRoles: EscalationRole[]; regions: string[] }
  | { role: 'admin' | 'ops'; subject: string };

/**
 * Custom search attribute names of every RoE workflow, in one place: the operational interface
 * of ops queries (`RoeStatus = 'pending_review' AND RoeDueAt < …`). Never personal data.
 */
export const SEARCH_ATTRIBUTE_NAMES = {
  partnerId: 'RoePartnerId',
  accountKey: 'RoeAccountKey',
  status: 'RoeStatus',
  assigneeRole: 'RoeAssigneeRole',
  dueAt: 'RoeDueAt',
  policyVersion: 'RoePolicyVersion',
} as const;

export interface ProcessSearchAttributes {
  partnerId?: string;
  accountKey?: string;
  status?: string;
  /** `null` clears the attribute. */
  assigneeRole?: string | null;
  dueAt?: number | null;
  policyVersion?: number;
}

/** The failure type of a recording the store refused as data (SQLSTATE class 22 or 23). */
export const STORE_REFUSED_DATA = 'StoreRefusedData';
