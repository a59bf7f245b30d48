import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes of every RoE workflow: operational interface, never personal data.
export const PARTNER_ID = defineSearchAttributeKey('RoePartnerId', SearchAttributeType.KEYWORD);
export const ACCOUNT_KEY = defineSearchAttributeKey('RoeAccountKey', SearchAttributeType.KEYWORD);
export const PROCESS_STATUS = defineSearchAttributeKey('RoeStatus', SearchAttributeType.KEYWORD);
export const ASSIGNEE_ROLE = defineSearchAttributeKey('RoeAssigneeRole', SearchAttributeType.KEYWORD);
export const DUE_AT = defineSearchAttributeKey('RoeDueAt', SearchAttributeType.DATETIME);
export const POLICY_VERSION = defineSearchAttributeKey('RoePolicyVersion', SearchAttributeType.INT);

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
