/** The HTTP edge of saved customer numbers ("Nomor tersimpan"). */
import { z } from 'zod';
import { memberNoSchema } from '../http/schemas.js';
import { inquiryBody, productCodeSchema } from '../payments/schemas.js';

/** At most this many numbers per member: the 2–4 bills people pay every month, and then some. */
export const SAVED_NUMBERS_LIMIT = 20;

/** What the member calls the number ("Rumah Ibu"): 1–40 characters after trimming, no control characters. */
export const nicknameSchema = z
  .string()
  .trim()
  .min(1, 'at least 1 character')
  .max(40, 'at most 40 characters')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** The same customer-number and months rules as the inquiry: one definition (src/payments/schemas.ts). */
const byHand = z.strictObject({
  product: productCodeSchema,
  customerNo: inquiryBody.shape.customerNo,
  nickname: nicknameSchema,
  months: inquiryBody.shape.months,
});

/** Save the number of one of the member's own payments ("Simpan nomor ini" after paying). */
const fromPayment = z.strictObject({
  paymentId: z.string().uuid(),
  nickname: nicknameSchema,
});

export const createSavedNumberBody = z.union([byHand, fromPayment]);

export const updateSavedNumberBody = z
  .strictObject({
    nickname: nicknameSchema.optional(),
    /** BPJS Kesehatan: the months usually paid; null forgets them. */
    months: z.number().int().min(1).max(24).nullable().optional(),
  })
  .refine((b) => b.nickname !== undefined || b.months !== undefined, 'change nickname or months');

export const savedNumberParams = z.strictObject({ id: z.string().uuid() });
export const memberSavedNumberParams = z.strictObject({ memberNo: memberNoSchema, id: z.string().uuid() });

export const savedNumberView = z.object({
  id: z.string().uuid(),
  product: z.string(),
  customerNo: z
    .string()
    .describe('in full for the member who saved it; masked except the last 4 digits for staff'),
  nickname: z.string(),
  months: z.number().int().nullable(),
  lastPaidAt: z.string().nullable().describe('the latest successful payment to this number'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const savedNumberList = z.object({
  items: z.array(savedNumberView),
  limit: z.number().int().describe('how many numbers a member may save'),
});

export type CreateSavedNumberInput = z.output<typeof createSavedNumberBody>;
export type UpdateSavedNumberInput = z.output<typeof updateSavedNumberBody>;
export type SavedNumberView = z.infer<typeof savedNumberView>;
