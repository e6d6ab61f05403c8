import { z } from 'zod';
import {
  amountSchema,
  memberNoSchema,
  nameSchema,
  passwordSchema,
  phoneSchema,
  pinSchema,
  referenceSchema,
} from '../http/schemas.js';

export const createMemberBody = z.strictObject({
  memberNo: memberNoSchema,
  name: nameSchema,
  phone: phoneSchema.optional(),
  password: passwordSchema,
  pin: pinSchema,
});

export const memberParams = z.strictObject({ memberNo: memberNoSchema });

/** The password the treasurer gives a member who forgot theirs; the member replaces it at the next login. */
export const resetPasswordBody = z.strictObject({ newPassword: passwordSchema });

export const depositBody = z.strictObject({
  amount: amountSchema,
  reference: referenceSchema,
});

export const memberView = z.object({
  id: z.string().uuid(),
  memberNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  balance: z.number().int().describe('posted savings (simpanan sukarela), rupiah'),
  available: z.number().int().describe('balance minus payments in flight, rupiah'),
  pinLocked: z.boolean(),
  createdAt: z.string(),
});

export const depositResponse = z.object({
  memberNo: z.string(),
  amount: z.number().int(),
  reference: z.string(),
  transactionId: z.string(),
  balance: z.number().int(),
  available: z.number().int(),
});

export const memberListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  after: memberNoSchema.optional(),
  /** Part of a member number, name or phone (case-insensitive). */
  q: z.string().trim().min(1).max(64).optional(),
});

export const memberList = z.object({ items: z.array(memberView), nextCursor: z.string().nullable() });

export type CreateMemberInput = z.output<typeof createMemberBody>;
export type DepositInput = z.output<typeof depositBody>;
export type ResetPasswordInput = z.output<typeof resetPasswordBody>;
export type MemberView = z.infer<typeof memberView>;
