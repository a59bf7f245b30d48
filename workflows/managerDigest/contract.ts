import { defineQuery, defineSignal } from '@temporalio/workflow';

// The manager digest's contract: one workflow per manager and window, named without the address
// (workflow ids are not encrypted), started by the send that first held an update back.

export const MANAGER_DIGEST_WORKFLOW_TYPE = 'managerDigest';
/** The workflow's signature, for typed starts and handles without importing its implementation. */
export type ManagerDigestWorkflow = (input: ManagerDigestInput) => Promise<string>;

export interface ManagerDigestInput {
  /** A hash of the manager's address (src/store/managerDigests.ts keeps the address). */
  recipientKey: string;
  /** The window's number for that manager: every email to them opens the next one. */
  window: number;
  /** When the window ends: the digest goes then. */
  endsAt: string;
}

export interface ManagerDigestView {
  endsAt: string;
  /** Email keys of the updates signalled so far (the store holds the list the digest sends). */
  updates: string[];
  sent: boolean;
}

export const managerDigestWorkflowId = (recipientKey: string, window: number) =>
  `manager-digest-${recipientKey}-${window}`;

/** An update was held for this digest; carries the email's key, never its content. */
export const updateHeldSignal = defineSignal<[emailKey: string]>('updateHeld');
export const managerDigestStatusQuery = defineQuery<ManagerDigestView>('status');
