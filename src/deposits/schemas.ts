import { z } from 'zod';
import { reasonSchema } from '../http/schemas.js';

/** A deposit's id is its journal transaction id: digits, within PostgreSQL's bigint. */
export const depositParams = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9]\d{0,18}$/, 'a deposit number (transactionId of the deposit)')
    .refine((v) => BigInt(v) <= 9_223_372_036_854_775_807n, 'a deposit number (transactionId of the deposit)')
    .transform((v) => BigInt(v)),
});

export const correctionBody = z.strictObject({
  /** Why the deposit was wrong ("salah input nominal"), kept in the journal memo and the audit row. */
  reason: reasonSchema.pipe(z.string().min(5, 'at least 5 characters').max(200, 'at most 200 characters')),
});

export const depositView = z.object({
  id: z.string().describe('the deposit number: the journal transaction id'),
  at: z.string(),
  amount: z.number().int(),
  reference: z.string().nullable(),
  balanceAfter: z
    .number()
    .int()
    .describe(
      'what the member could spend right after this deposit (savings less payments then in flight): the mutasi’s balance column',
    ),
  memberNo: z.string(),
  memberName: z.string(),
  memberPhone: z.string().nullable(),
  koperasiName: z.string(),
  treasurerName: z.string().nullable().describe('who took the deposit'),
  correction: z
    .object({ id: z.string(), at: z.string(), reason: z.string().nullable(), by: z.string().nullable() })
    .nullable(),
  whatsapp: z.object({
    text: z.string(),
    url: z.string().describe('wa.me link to the member’s phone (or to choose a contact when unknown)'),
  }),
});

export const correctionResponse = z.object({
  depositId: z.string(),
  correctionId: z.string().describe('the new reversing journal transaction'),
  memberNo: z.string(),
  amount: z.number().int().describe('taken back out of the member’s savings'),
  reason: z.string(),
  balance: z.number().int(),
  available: z.number().int(),
});

export type CorrectionInput = z.output<typeof correctionBody>;
export type DepositView = z.infer<typeof depositView>;
export type CorrectionResult = z.infer<typeof correctionResponse>;
