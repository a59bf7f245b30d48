import { z } from 'zod';
import { escalationRoleSchema, regionSchema } from './schemas/directory';

export const ROLES = ['admin', 'ops', 'manager', 'partner'] as const;
export type Role = (typeof ROLES)[number];

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a lowercase id such as "northwind"');

/** Who is calling: the role decides what they may do, partner and regions decide what they may see. */
export const principalSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('admin'), subject: z.string().min(1) }),
  z.strictObject({ role: z.literal('ops'), subject: z.string().min(1) }),
  z.strictObject({
    role: z.literal('manager'),
    subject: z.string().min(1),
    escalationRoles: z.array(escalationRoleSchema).min(1),
    /** `'*'` covers every region. */
    regions: z.array(z.union([regionSchema, z.literal('*')])).min(1),
  }),
  z.strictObject({ role: z.literal('partner'), subject: z.string().min(1), partnerId: idSchema }),
]);

export type Principal = z.infer<typeof principalSchema>;
export { idSchema };
