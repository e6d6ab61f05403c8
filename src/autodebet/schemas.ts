/** The HTTP edge of autodebet (langganan): subscriptions, their runs, and the koperasi's list. */
import { z } from 'zod';
import { amountSchema, memberNoSchema, pinSchema } from '../http/schemas.js';
import { nicknameSchema } from '../members/saved-numbers-schemas.js';
import { inquiryBody, productCodeSchema } from '../payments/schemas.js';
import { SUBSCRIPTION_STATUSES } from '../db/schema/autodebet.js';

/** "Bayar otomatis sampai Rp …" is capped: a standing mandate above this is a mistake, not a bill. */
export const AUTODEBET_MAX_AMOUNT = 10_000_000n;

const maxAmountSchema = amountSchema.refine(
  (v) => v <= AUTODEBET_MAX_AMOUNT,
  'at most Rp 10.000.000 (a standing mandate above that is a mistake, not a bill)',
);
const dayOfMonthSchema = z
  .number()
  .int()
  .min(1)
  .max(31)
  .describe('day of the month it is paid (WIB); 29–31 mean the last day in shorter months');

const terms = {
  dayOfMonth: dayOfMonthSchema,
  maxAmount: maxAmountSchema.describe(
    'rupiah: a bill above this is not paid (integer, or a string of digits)',
  ),
  /** BPJS Kesehatan: months paid each time (the product's own rule). */
  months: inquiryBody.shape.months,
};

const fromSaved = {
  savedNumberId: z.string().uuid(),
  /** Defaults to the saved number's nickname. */
  nickname: nicknameSchema.optional(),
  ...terms,
};
const byHand = {
  product: productCodeSchema,
  customerNo: inquiryBody.shape.customerNo,
  nickname: nicknameSchema,
  ...terms,
};

/** The member's own: confirmed with their PIN (a subscription is a standing mandate to debit savings). */
export const memberCreateBody = z.union([
  z.strictObject({ ...fromSaved, pin: pinSchema }),
  z.strictObject({ ...byHand, pin: pinSchema }),
]);

/** The treasurer's, for a member without a phone (a paper mandate at the desk): no PIN, audited. */
export const staffCreateBody = z.union([z.strictObject(fromSaved), z.strictObject(byHand)]);

export const updateBody = z
  .strictObject({
    maxAmount: terms.maxAmount.optional(),
    dayOfMonth: dayOfMonthSchema.optional(),
    nickname: nicknameSchema.optional(),
    pin: pinSchema.optional().describe('required when the limit goes up'),
  })
  .refine(
    (b) => b.maxAmount !== undefined || b.dayOfMonth !== undefined || b.nickname !== undefined,
    'change maxAmount, dayOfMonth or nickname',
  );

export const subscriptionParams = z.strictObject({ id: z.string().uuid() });
export const memberSubscriptionParams = z.strictObject({ memberNo: memberNoSchema, id: z.string().uuid() });
export const stateAction = z.enum(['pause', 'resume', 'cancel']);

export const listQuery = z.strictObject({
  status: z.enum(SUBSCRIPTION_STATUSES).optional(),
  attention: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only those whose run of this month was skipped (not paid) — a person should look'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

const runSummary = z.object({
  period: z.string().describe('YYYY-MM (WIB)'),
  status: z.enum(['pending', 'paid', 'skipped']),
  outcome: z.string().nullable(),
  outcomeText: z.string().describe('what happened, in words'),
  nextTryAt: z.string().nullable(),
});

export const subscriptionView = z.object({
  id: z.string().uuid(),
  memberNo: z.string(),
  memberName: z.string(),
  product: z.string(),
  productName: z.string(),
  customerNo: z.string().describe('in full for the member; masked except the last 4 digits for staff'),
  nickname: z.string(),
  months: z.number().int().nullable(),
  dayOfMonth: z.number().int(),
  maxAmount: z.number().int(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  nextDueDate: z.string().nullable().describe('YYYY-MM-DD (WIB) of the next payment; null when cancelled'),
  thisMonth: runSummary.nullable().describe("this month's run, once it started"),
  needsAttention: z.boolean().describe("this month's run was skipped: not paid"),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const runView = runSummary.extend({
  id: z.string().uuid(),
  tries: z.number().int(),
  lastTriedAt: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  payment: z
    .object({ id: z.string().uuid(), status: z.string(), total: z.number().int() })
    .nullable()
    .describe('the payment this run made, when it made one'),
  failedPaymentIds: z.array(z.string()).describe('earlier payments of this run that failed upstream'),
});

export const subscriptionDetail = subscriptionView.extend({ runs: z.array(runView) });
export const subscriptionList = z.object({ items: z.array(subscriptionView) });
export const subscriptionPage = z.object({
  items: z.array(subscriptionView),
  nextCursor: z.string().nullable(),
});

export type MemberCreateInput = z.output<typeof memberCreateBody>;
export type StaffCreateInput = z.output<typeof staffCreateBody>;
export type UpdateInput = z.output<typeof updateBody>;
export type ListQuery = z.output<typeof listQuery>;
export type StateAction = z.infer<typeof stateAction>;
export type SubscriptionView = z.infer<typeof subscriptionView>;
export type SubscriptionDetail = z.infer<typeof subscriptionDetail>;
export type RunView = z.infer<typeof runView>;
