/**
 * Payments someone other than the member starts: the kasir at the counter (cash, or the member's savings after the
 * member's PIN) and autodebet (the subscription is the mandate). The app's acceptance statement, inside the caller's
 * transaction, so the caller's own row lock (the shift, the month's run) is what makes it happen once.
 */
import type { Tx } from '../db/client.js';
import { assertionOf } from '../db/assertions.js';
import type { PaymentFunding } from '../db/schema/payments.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { storedAnswer } from '../idempotency/index.js';
import { newId } from '../ids.js';
import type { AccountMeta } from '../ledger/index.js';
import { isInsufficientFunds } from '../ledger/postings.js';
import { pinLocked } from '../members/pin-check.js';
import { type PaymentOrigin, acceptPayment, inTransaction } from './accept.js';
import { publishPaymentChange } from './notify.js';
import { cutOffRefusal, requireProduct } from './quotes.js';
import type { PaymentRow, QuoteRow } from './repository.js';

/** A refusal of the acceptance statement as the API says it; 'quoteClaimed' for the caller to replay or refuse. */
export function acceptanceRefusal(error: unknown, quote: QuoteRow): unknown {
  if (isInsufficientFunds(error)) {
    return new AppError('INSUFFICIENT_BALANCE', 'the available savings are not enough for this payment', {
      required: Number(quote.total),
    });
  }
  const assertion = assertionOf(error);
  if (assertion === 'pinLocked') return pinLocked();
  if (assertion === 'quoteClaimed') return 'quoteClaimed';
  return error;
}

/** An Idempotency-Key as the caller scoped it (e.g. `user:<kasirId>`). */
export interface Idempotency {
  scope: string;
  key: string;
  fingerprint: string;
}

export type Accepted =
  /** Written in the caller's transaction: call announcePayment after it commits. */
  | { replayed: false; payment: PaymentRow }
  /** The idempotency key already made this payment. */
  | { replayed: true; paymentId: string };

/** Built when thrown (an Error captures a stack: built on every payment, it showed in the API's profile). */
export const quoteUsed = () =>
  new AppError('QUOTE_ALREADY_USED', 'this quote has already been paid; make a new inquiry');

/** What every acceptance checks first: not paid, not expired, not in the PLN cut-off. The refusal, if any. */
export function payableRefusal(
  deps: Pick<Deps, 'clock' | 'config' | 'catalog'>,
  quote: QuoteRow,
  now: Date,
): AppError | undefined {
  if (quote.usedAt) return quoteUsed();
  if (quote.expiresAt.getTime() <= now.getTime()) {
    return new AppError('QUOTE_EXPIRED', 'the quote has expired; make a new inquiry', {
      expiredAt: quote.expiresAt.toISOString(),
    });
  }
  return cutOffRefusal(deps, requireProduct(deps, quote.product));
}

function assertPayable(deps: Pick<Deps, 'clock' | 'config' | 'catalog'>, quote: QuoteRow, now: Date): void {
  const refusal = payableRefusal(deps, quote, now);
  if (refusal) throw refusal;
}

/**
 * The acceptance statement inside the caller's transaction. A quote claimed by a concurrent request, or an
 * insufficient balance, aborts the statement and with it the caller's transaction: PostgreSQL allows nothing
 * more in it, so the refusal is thrown for the caller to roll back.
 */
async function acceptWithin(
  deps: Deps,
  tx: Tx,
  input: {
    quote: QuoteRow;
    debit: AccountMeta;
    funding: PaymentFunding;
    origin: PaymentOrigin;
    idempotency?: Idempotency;
  },
): Promise<Accepted> {
  const { quote, idempotency } = input;
  const now = deps.clock.now();
  const paymentId = newId();
  const key = idempotency ?? { scope: `payment:${paymentId}`, key: paymentId, fingerprint: paymentId };
  if (idempotency) {
    const replayed = await storedAnswer<{ paymentId?: string }>(tx, idempotency);
    if (replayed?.body.paymentId) return { replayed: true, paymentId: replayed.body.paymentId };
  }
  assertPayable(deps, quote, now);
  let created;
  try {
    created = await acceptPayment(deps, inTransaction(tx), {
      ...key,
      paymentId,
      quote,
      debit: input.debit,
      funding: input.funding,
      origin: input.origin,
      now,
    });
  } catch (error) {
    const refusal = acceptanceRefusal(error, quote);
    throw refusal === 'quoteClaimed' ? quoteUsed() : refusal;
  }
  if (!created.fresh) {
    // A concurrent request with the same key committed first (we waited on its key row).
    const replayed = idempotency ? await storedAnswer<{ paymentId?: string }>(tx, idempotency) : undefined;
    if (!replayed?.body.paymentId) throw new Error('idempotency key vanished');
    return { replayed: true, paymentId: replayed.body.paymentId };
  }
  if (!created.payment) throw new Error('the acceptance statement wrote no payment');
  return { replayed: false, payment: created.payment };
}

/**
 * A payment from a member's savings that someone else starts: the kasir at the counter (who has checked the
 * member's PIN) or the member's autodebet subscription (their standing mandate). No PIN check here.
 */
export async function acceptFromSavings(
  deps: Deps,
  tx: Tx,
  input: { quote: QuoteRow; memberId: string; origin: PaymentOrigin; idempotency?: Idempotency },
): Promise<Accepted> {
  const { quote } = input;
  if (quote.memberId !== input.memberId) throw new AppError('QUOTE_NOT_FOUND', 'quote not found');
  const member = await tx.query.users.findFirst({
    where: (u, { and, eq }) => and(eq(u.id, input.memberId), eq(u.koperasiId, quote.koperasiId)),
  });
  if (!member || member.role !== 'member' || !member.savingsAccountId)
    throw new AppError('MEMBER_NOT_FOUND', 'member not found');
  return acceptWithin(deps, tx, {
    ...input,
    debit: await deps.ledger.accountById(tx, member.savingsAccountId),
    funding: 'savings',
  });
}

/**
 * Cash at the counter, in the caller's transaction (which has locked the open shift): the cash goes into the
 * kasir's drawer as money the koperasi holds for the customer, and is held for the payment like savings are.
 * A failure or refund gives it back to that account; the kasir then hands it over (counter_cash_return).
 */
export async function acceptCash(
  deps: Deps,
  tx: Tx,
  input: {
    quote: QuoteRow;
    shift: { id: string; kasirId: string; drawerAccountId: bigint };
    payerName?: string;
    payerPhone?: string;
    idempotency?: Idempotency;
  },
): Promise<Accepted> {
  const { quote, shift } = input;
  const bookId = await deps.ledger.findBookId(tx, quote.koperasiId);
  if (bookId === undefined) throw new Error(`koperasi ${quote.koperasiId} has no book`);
  const funds = await deps.ledger.openCounterAccount(tx, bookId, 'customerFunds');
  const drawer = await deps.ledger.accountById(tx, shift.drawerAccountId);
  if (drawer.bookId !== bookId) throw new Error('the drawer is not in the koperasi book');
  const origin: PaymentOrigin = {
    channel: 'counter',
    kasirId: shift.kasirId,
    shiftId: shift.id,
    ...(input.payerName ? { payerName: input.payerName } : {}),
    ...(input.payerPhone ? { payerPhone: input.payerPhone } : {}),
  };
  const accepted = await acceptWithin(deps, tx, {
    quote,
    debit: funds,
    funding: 'cash',
    origin,
    ...(input.idempotency ? { idempotency: input.idempotency } : {}),
  });
  if (accepted.replayed) return accepted;
  // The cash taken, in the same transaction as its hold (which already debited the customer funds).
  await deps.ledger.post(tx, {
    kind: 'counter_cash_in',
    paymentId: accepted.payment.id,
    memo: `${quote.product} ${quote.refId}`,
    at: accepted.payment.createdAt,
    lines: [
      { accountId: drawer.id, side: 'D', amount: quote.total },
      { accountId: funds.id, side: 'C', amount: quote.total },
    ],
  });
  return accepted;
}

/**
 * After the acceptance committed: the live event, which also wakes the workers (the job is the outbox row the
 * acceptance wrote; they find it by polling too).
 */
export async function announcePayment(deps: Deps, payment: PaymentRow): Promise<void> {
  await publishPaymentChange(deps, payment).catch((err: unknown) =>
    deps.log.warn({ err, paymentId: payment.id }, 'payment event not published'),
  );
}
