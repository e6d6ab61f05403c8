/** The counter's (loket) shapes at the API edge. Amounts are integer rupiah. */
import { z } from 'zod';
import {
  dateSchema,
  nameSchema,
  passwordSchema,
  phoneSchema,
  pinSchema,
  reasonSchema,
  usernameSchema,
} from '../http/schemas.js';
import { inquiryBody, paymentView, quoteView } from '../payments/schemas.js';

/** Whole rupiah, zero allowed (an empty drawer, a count of nothing), as a JSON integer or digits. */
const cashSchema = z
  .union([
    z.number().int('must be a whole number of rupiah').min(0, 'must not be negative'),
    z.string().regex(/^\d{1,13}$/, 'digits only'),
  ])
  .transform((v) => BigInt(v))
  .refine((v) => v <= 1_000_000_000_000n, 'is too large');

export const createKasirBody = z.strictObject({
  username: usernameSchema,
  name: nameSchema,
  password: passwordSchema,
  phone: phoneSchema.optional(),
});

export const kasirParams = z.strictObject({ id: z.string().uuid() });

export const kasirView = z.object({
  id: z.string().uuid(),
  username: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  role: z.literal('kasir'),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  mustChangePassword: z.boolean().describe('the kasir has not replaced the password the treasurer chose yet'),
  openShiftId: z.string().uuid().nullable().describe('the shift the kasir has open now, if any'),
  createdAt: z.string(),
});

export const kasirList = z.object({ items: z.array(kasirView) });

export const openShiftBody = z.strictObject({
  openingFloat: cashSchema.describe('rupiah put into the drawer from the koperasi cash (kas) to give change'),
});

export const closeShiftBody = z.strictObject({
  counted: cashSchema.describe('rupiah the kasir counted in the drawer at closing'),
  note: reasonSchema.optional(),
});

export const shiftParams = z.strictObject({ id: z.string().uuid() });

export const shiftListQuery = z.strictObject({
  date: dateSchema.optional().describe('treasurer, pengawas: shifts opened on this WIB day (default today)'),
});

const cashLine = z.object({ count: z.number().int(), total: z.number().int() });

export const cashToReturnItem = z.object({
  paymentId: z.string().uuid(),
  product: z.string(),
  customerNo: z.string().describe('masked'),
  payerName: z.string().nullable(),
  total: z.number().int(),
  status: z.enum(['failed', 'refunded']),
  createdAt: z.string(),
});

export const shiftView = z.object({
  id: z.string().uuid(),
  kasirId: z.string().uuid(),
  kasirName: z.string(),
  status: z.enum(['open', 'closed']),
  openingFloat: z.number().int(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  /** While open: the drawer's balance now; once closed: what the ledger said at closing. */
  expected: z.number().int().describe('cash that should be in the drawer (the drawer account balance)'),
  counted: z.number().int().nullable(),
  difference: z
    .number()
    .int()
    .nullable()
    .describe('counted − expected: negative = short (kurang), positive = over (lebih)'),
  closeNote: z.string().nullable(),
  closedBy: z.string().nullable().describe('name of who closed it (the kasir, or the treasurer)'),
  cash: z.object({
    taken: cashLine.describe('cash payments accepted in this shift'),
    succeeded: cashLine,
    failed: cashLine.describe('failed or refunded cash payments of this shift'),
    processing: cashLine,
    returned: cashLine.describe('cash handed back to customers during this shift'),
  }),
  savings: cashLine.describe("payments from members' savings taken at the desk in this shift"),
});

export const currentShiftView = z.object({
  shift: shiftView.nullable().describe('the kasir’s open shift; null when none is open'),
  cashToReturn: z
    .array(cashToReturnItem)
    .describe('failed cash payments of this kasir whose cash is owed back'),
});

export const shiftList = z.object({ items: z.array(shiftView) });

export const movementView = z.object({
  txId: z.string(),
  at: z.string(),
  kind: z.enum(['counter_float', 'counter_cash_in', 'counter_cash_return', 'counter_close']),
  /** Into the drawer positive, out of it negative. */
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  paymentId: z.string().uuid().nullable(),
  product: z.string().nullable(),
  customerNo: z.string().nullable().describe('masked'),
  status: z.string().nullable().describe("the payment's status now"),
});

export const shiftDetail = shiftView.extend({ movements: z.array(movementView) });

export const counterInquiryBody = inquiryBody.extend({
  memberNo: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('a member paying from savings (or a member paying cash); omit for a cash customer'),
});

export const counterQuoteView = quoteView.extend({
  member: z
    .object({ memberNo: z.string(), name: z.string(), pinLocked: z.boolean() })
    .nullable()
    .describe('the member the quote is for; null for a cash customer'),
});

export const counterPaymentBody = z.strictObject({
  quoteId: z.string().uuid(),
  funding: z.enum(['cash', 'savings']),
  pin: pinSchema.optional().describe("savings: the member's PIN, typed by the member on the kasir's screen"),
  payerName: nameSchema.optional(),
  payerPhone: phoneSchema.optional(),
});

export const counterPaymentListQuery = z.strictObject({
  shiftId: z.string().uuid().optional(),
  date: dateSchema
    .optional()
    .describe('treasurer, pengawas: counter payments of this WIB day (default today)'),
  toReturn: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('only failed cash payments whose cash is still owed back'),
});

export const counterPaymentList = z.object({
  items: z.array(paymentView),
  cashToReturn: cashLine.describe('of these, the failed cash payments still to hand back'),
});

export type CounterInquiryInput = z.output<typeof counterInquiryBody>;
export type CounterPaymentInput = z.output<typeof counterPaymentBody>;
export type ShiftView = z.infer<typeof shiftView>;
export type CashToReturnItem = z.infer<typeof cashToReturnItem>;
