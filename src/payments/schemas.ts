import { PAYMENT_STATUSES } from './lifecycle.js';
import { PAYMENT_CHANNELS, PAYMENT_FUNDING } from '../db/schema/payments.js';
import { z } from 'zod';
import { calendarDateSchema, pinSchema, reasonSchema } from '../http/schemas.js';

export const productCodeSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{2,40}$/, 'a product code such as PLN_POSTPAID');

export const inquiryBody = z.strictObject({
  product: productCodeSchema,
  customerNo: z.string().regex(/^\d{6,20}$/, '6–20 digits'),
  /** PLN_PREPAID: the token denomination in rupiah. */
  amount: z
    .union([z.number().int().positive(), z.string().regex(/^\d{1,9}$/)])
    .transform((v) => BigInt(v))
    .optional(),
  /** BPJS_KESEHATAN: months to pay. */
  months: z.number().int().min(1).max(24).optional(),
});

const periodView = z.object({
  period: z.string(),
  amount: z.number().int(),
  penalty: z.number().int(),
  admin: z.number().int(),
});

export const quoteView = z.object({
  id: z.string().uuid(),
  product: z.string(),
  customerNo: z.string().describe("in full for the member's own; masked except the last 4 digits for staff"),
  customerName: z.string(),
  periods: z.array(periodView),
  months: z.number().int().nullable(),
  denomination: z.number().int().nullable(),
  billAmount: z.number().int(),
  penalty: z.number().int().describe('denda'),
  adminFee: z.number().int().describe("the upstream's admin fee"),
  koperasiFee: z.number().int(),
  total: z.number().int(),
  details: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

export const paymentBody = z.strictObject({
  quoteId: z.string().uuid(),
  pin: pinSchema,
});

export const paymentParams = z.strictObject({ id: z.string().uuid() });

export const PAYMENT_STATUS = z.enum(PAYMENT_STATUSES);

export const paymentView = z.object({
  id: z.string().uuid(),
  status: PAYMENT_STATUS,
  product: z.string(),
  memberNo: z.string().nullable().describe('null for a cash payment by a non-member at the counter'),
  customerNo: z.string().describe("in full for the member's own; masked except the last 4 digits for staff"),
  customerName: z.string(),
  periods: z.array(z.string()),
  billAmount: z.number().int(),
  penalty: z.number().int(),
  adminFee: z.number().int(),
  koperasiFee: z.number().int(),
  total: z.number().int(),
  upstreamRef: z.string().nullable(),
  token: z.string().nullable().describe('PLN prepaid token, once successful'),
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
  suspectSince: z.string().nullable().describe('when the outcome became uncertain'),
  needsAttention: z
    .boolean()
    .describe(
      'open and listed for a person: suspect longer than SUSPECT_ALERT_MINUTES, or Pintu and the upstream disagree',
    ),
  reviewReason: z
    .string()
    .nullable()
    .describe(
      'treasurer only: why a person must decide (the evidence: upstream, reference, what each side says)',
    ),
  memberName: z.string().nullable().describe("staff only: the member's name"),
  customerNoFull: z
    .string()
    .nullable()
    .describe('staff only, open payments only: the full customer number to look up at the aggregator'),
  upstream: z
    .object({ adapter: z.string(), refId: z.string() })
    .nullable()
    .describe(
      "treasurer only: the upstream and Pintu's reference of the current attempt, to look up in the aggregator's portal",
    ),
  channel: z
    .enum(PAYMENT_CHANNELS)
    .describe("where it was started: the member's app, an autodebet subscription, the koperasi's counter"),
  funding: z.enum(PAYMENT_FUNDING).describe("the member's savings, or cash at the counter"),
  payerName: z.string().nullable().describe('staff only: who paid cash at the counter, when given'),
  cashToReturn: z
    .boolean()
    .describe('a failed or refunded cash payment whose cash the kasir has not handed back yet'),
  cashReturnedAt: z
    .string()
    .nullable()
    .describe('when the kasir handed the cash of a failed cash payment back'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const paymentListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{10,200}$/)
    .optional(),
  status: PAYMENT_STATUS.optional(),
  /** Only open payments listed for a person: suspect longer than SUSPECT_ALERT_MINUTES, or under review. */
  attention: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Staff feed filters: one product, a member (exact number or part of the name), a WIB calendar day. */
  product: productCodeSchema.optional(),
  member: z.string().trim().min(1).max(64).optional(),
  date: calendarDateSchema.optional(),
});

export const paymentList = z.object({ items: z.array(paymentView), nextCursor: z.string().nullable() });

export const resolveBody = z.strictObject({
  outcome: z.enum(['success', 'failed']),
  reason: reasonSchema,
  upstreamRef: z.string().trim().min(1).max(64).optional(),
  /**
   * A success: what the upstream charged our deposit, as its portal shows it. Without it the attempt's quoted
   * price is posted; a prepaid top-up is priced when it is paid, so a fee that changed meanwhile makes them differ.
   */
  price: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

export const preferWait = (header: string | string[] | undefined): number => {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const match = /(?:^|[,;\s])wait=(\d{1,3})(?:$|[,;\s])/.exec(value);
  return match ? Math.min(Number(match[1]), 30) : 0;
};

export type InquiryInput = z.output<typeof inquiryBody>;
export type QuoteView = z.infer<typeof quoteView>;
export type PaymentView = z.infer<typeof paymentView>;
