import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTE_NAMES as NAMES } from '../../workflows/shared/contract';

// Typed keys of the names the workflows set (workflows/shared/contract.ts is the one source).
export const PARTNER_ID = defineSearchAttributeKey(NAMES.partnerId, SearchAttributeType.KEYWORD);
export const ACCOUNT_KEY = defineSearchAttributeKey(NAMES.accountKey, SearchAttributeType.KEYWORD);
export const PROCESS_STATUS = defineSearchAttributeKey(NAMES.status, SearchAttributeType.KEYWORD);
export const ASSIGNEE_ROLE = defineSearchAttributeKey(NAMES.assigneeRole, SearchAttributeType.KEYWORD);
export const DUE_AT = defineSearchAttributeKey(NAMES.dueAt, SearchAttributeType.DATETIME);
export const POLICY_VERSION = defineSearchAttributeKey(NAMES.policyVersion, SearchAttributeType.INT);

export const ROE_SEARCH_ATTRIBUTES = [PARTNER_ID, ACCOUNT_KEY, PROCESS_STATUS, ASSIGNEE_ROLE, DUE_AT, POLICY_VERSION];

/** The CLI's spelling of each attribute type, for `--search-attribute Name=Type`. */
export const CLI_TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};
