import { toJsonAmount } from '../money.js';
import { maskCustomerNo } from '../privacy.js';
import type { PaymentRow, QuoteRow } from './repository.js';
import type { PaymentView, QuoteView } from './schemas.js';

/**
 * Who reads a payment or a quote. `owner`: the member it belongs to, who sees their own customer number in full
 * (they typed it, and pay it again from it: issue 13). `staff`: treasurer, pengawas, office: masked as in logs,
 * lists and reports (src/privacy.ts), plus the staff-only fields. A member only ever reads their own payments
 * and quotes (every read is scoped to them), so "not staff" is always the owner.
 */
export type Audience = 'owner' | 'staff';

/** The older boolean form (`staff`) still reads: true is staff, false the owner. */
const isStaff = (audience: Audience | boolean) => audience === true || audience === 'staff';

const customerNoFor = (customerNo: string, audience: Audience | boolean) =>
  isStaff(audience) ? maskCustomerNo(customerNo) : customerNo;

/** A quote is only ever answered to the member who asked for it (POST /v1/inquiries is member-only). */
export function toQuoteView(quote: QuoteRow, audience: Audience): QuoteView {
  return {
    id: quote.id,
    product: quote.product,
    customerNo: customerNoFor(quote.customerNo, audience),
    customerName: quote.customerName,
    periods: quote.periods.map((p) => ({
      period: p.period,
      amount: toJsonAmount(BigInt(p.amount)),
      penalty: toJsonAmount(BigInt(p.penalty)),
      admin: toJsonAmount(BigInt(p.admin)),
    })),
    months: quote.months,
    denomination: quote.denomination === null ? null : toJsonAmount(quote.denomination),
    billAmount: toJsonAmount(quote.billAmount),
    penalty: toJsonAmount(quote.penalty),
    adminFee: toJsonAmount(quote.adminFee),
    koperasiFee: toJsonAmount(quote.koperasiFee),
    total: toJsonAmount(quote.total),
    details: quote.details,
    expiresAt: quote.expiresAt.toISOString(),
  };
}

/**
 * `attentionBefore`: a suspect payment suspect since before this instant needs a person (it has not
 * resolved by polling, callbacks or reconciliation within SUSPECT_ALERT_MINUTES); so does an open
 * payment under review. The review's evidence is for staff, not for the member.
 */
export function toPaymentView(
  payment: PaymentRow & {
    memberNo: string | null;
    memberName?: string | null;
    cashReturnedAt?: Date | null;
    attemptAdapter?: string | null;
    attemptRefId?: string | null;
  },
  attentionBefore: Date | undefined,
  /** Said at every call: a forgotten audience must not show a full customer number to staff. */
  audience: Audience | boolean,
): PaymentView {
  const staff = isStaff(audience);
  const open = payment.status === 'suspect' || payment.status === 'processing';
  return {
    id: payment.id,
    status: payment.status,
    product: payment.product,
    memberNo: payment.memberNo,
    customerNo: customerNoFor(payment.customerNo, audience),
    customerName: payment.customerName,
    periods: payment.periods,
    billAmount: toJsonAmount(payment.billAmount),
    penalty: toJsonAmount(payment.penalty),
    adminFee: toJsonAmount(payment.adminFee),
    koperasiFee: toJsonAmount(payment.koperasiFee),
    total: toJsonAmount(payment.total),
    upstreamRef: payment.upstreamRef,
    token: payment.token,
    failureCode: payment.failureCode,
    failureMessage: payment.failureMessage,
    suspectSince: payment.suspectSince?.toISOString() ?? null,
    needsAttention:
      (open && payment.reviewReason !== null) ||
      (payment.status === 'suspect' &&
        payment.suspectSince !== null &&
        attentionBefore !== undefined &&
        payment.suspectSince < attentionBefore),
    reviewReason: staff ? payment.reviewReason : null,
    memberName: staff ? (payment.memberName ?? null) : null,
    // An open payment is what a treasurer looks up in the aggregator's portal, by the full number.
    customerNoFull: staff && open ? payment.customerNo : null,
    upstream:
      staff && payment.attemptAdapter && payment.attemptRefId
        ? { adapter: payment.attemptAdapter, refId: payment.attemptRefId }
        : null,
    channel: payment.channel,
    funding: payment.funding,
    payerName: staff ? payment.payerName : null,
    // A failed or refunded cash payment owes the customer their cash until the kasir hands it back.
    cashToReturn:
      payment.funding === 'cash' &&
      (payment.status === 'failed' || payment.status === 'refunded') &&
      !payment.cashReturnedAt,
    cashReturnedAt: payment.cashReturnedAt?.toISOString() ?? null,
    createdAt: payment.createdAt.toISOString(),
    finishedAt: payment.finishedAt?.toISOString() ?? null,
  };
}
