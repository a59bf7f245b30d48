import { z } from 'zod';
import { ACCOUNT_SEGMENTS, ESCALATION_ROLES, PARTNER_TIERS, PARTNER_TYPES } from '../directory';

// The directory's vocabulary as schemas, apart from the names themselves, which workflows import.

export const partnerTierSchema = z.enum(PARTNER_TIERS);
export const partnerTypeSchema = z.enum(PARTNER_TYPES);
export const accountSegmentSchema = z.enum(ACCOUNT_SEGMENTS);
export const escalationRoleSchema = z.enum(ESCALATION_ROLES);
export const regionSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{1,31}$/, 'a region is a lowercase slug such as "emea" or "na"');
