import { upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTE_NAMES, type ProcessSearchAttributes } from './contract';

/** Upserts the attributes given; `null` clears one. */
export function setProcessSearchAttributes(attributes: ProcessSearchAttributes): void {
  const names = SEARCH_ATTRIBUTE_NAMES;
  const updates: Record<string, string[] | number[] | Date[]> = {};
  if (attributes.partnerId !== undefined) updates[names.partnerId] = [attributes.partnerId];
  if (attributes.accountKey !== undefined) updates[names.accountKey] = [attributes.accountKey];
  if (attributes.status !== undefined) updates[names.status] = [attributes.status];
  if (attributes.assigneeRole !== undefined)
    updates[names.assigneeRole] = attributes.assigneeRole ? [attributes.assigneeRole] : [];
  if (attributes.dueAt !== undefined)
    updates[names.dueAt] = attributes.dueAt === null ? [] : [new Date(attributes.dueAt)];
  if (attributes.policyVersion !== undefined) updates[names.policyVersion] = [attributes.policyVersion];
  upsertSearchAttributes(updates);
}
