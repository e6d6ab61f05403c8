/**
 * Paying at the desk. The kasir checks a bill for anyone (a member, or a cash customer who is not one), then takes
 * either cash into the drawer or the member's savings with the member's PIN typed on the kasir's screen. The payment
 * itself is the app's: the same acceptance statement, the same worker pipeline. A failed or refunded cash payment
 * leaves the koperasi owing the customer that cash (counter_customer_funds) until a kasir hands it back.
 */
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import {
  type IdempotencyInput,
  type StoredResponse,
  storedAnswer,
  withIdempotency,
} from '../idempotency/index.js';
import { COUNTER_ACCOUNTS } from '../ledger/index.js';
import { isInsufficientFunds } from '../ledger/postings.js';
import { checkMemberPin } from '../members/pin-check.js';
import { findMemberByNo, findUser } from '../members/repository.js';
import { bookOf } from '../members/service.js';
import { wibDate, wibDayRange } from '../clock.js';
import { findQuote, quoteFor } from '../payments/quotes.js';
import { type Accepted, acceptCash, acceptFromSavings, announcePayment } from '../payments/service.js';
import { lockPayment } from '../payments/repository.js';
import { toPaymentView, toQuoteView } from '../payments/view.js';
import { attentionBefore } from '../payments/service.js';
import { requireActiveKasir } from './kasir.js';
import { counterPaymentRows, lockOpenShift, returnMemo } from './repository.js';
import type { CounterInquiryInput, CounterPaymentInput } from './schemas.js';

type DeskDeps = Deps;

/** A bill check at the desk; with a member number the quote is that member's (to pay from savings or in cash). */
export async function counterInquiry(deps: DeskDeps, principal: UserPrincipal, input: CounterInquiryInput) {
  const kasir = await requireActiveKasir(deps.db, principal);
  const { memberNo, ...inquiry } = input;
  const member =
    memberNo === undefined ? undefined : await findMemberByNo(deps.db, principal.koperasiId, memberNo);
  if (memberNo !== undefined && !member)
    throw new AppError('MEMBER_NOT_FOUND', `member ${memberNo} not found`);
  const quote = await quoteFor(
    deps,
    { koperasiId: principal.koperasiId, memberId: member?.id ?? null, kasirId: kasir.id },
    inquiry,
  );
  return {
    ...toQuoteView(quote, 'staff'),
    member: member
      ? { memberNo: member.username, name: member.name, pinLocked: member.pinLockedAt !== null }
      : null,
  };
}

/**
 * Accept a desk payment. The kasir's open shift row is locked first in the acceptance's own transaction, so the
 * drawer cannot be closed (nor its balance read for the count) while cash goes into it.
 */
export async function counterPayment(
  deps: DeskDeps,
  principal: UserPrincipal,
  input: CounterPaymentInput,
  idempotency: Omit<IdempotencyInput, 'scope'>,
): Promise<{ paymentId: string; replayed: boolean }> {
  const kasir = await requireActiveKasir(deps.db, principal);
  const quote = await findQuote(deps, principal.koperasiId, input.quoteId);
  // A quote is paid at the desk only by the kasir who made it there: not a member's own from the app.
  if (!quote || quote.kasirId !== kasir.id) throw new AppError('QUOTE_NOT_FOUND', 'quote not found');
  const key = { scope: `user:${kasir.id}`, ...idempotency };
  let memberId: string | undefined;
  if (input.funding === 'savings') {
    if (quote.memberId === null)
      throw new AppError('VALIDATION_FAILED', 'a savings payment needs a quote made with the member number', {
        errors: [{ path: 'body.quoteId', message: 'the quote has no member' }],
      });
    if (input.pin === undefined)
      throw new AppError('VALIDATION_FAILED', "a savings payment needs the member's PIN", {
        errors: [{ path: 'body.pin', message: 'required for funding = savings' }],
      });
    const member = await findUser(deps.db, principal.koperasiId, quote.memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND', 'member not found');
    // The same guesses and lockout as in the member's app: a wrong PIN at the desk counts toward it.
    await checkMemberPin(deps, member, input.pin);
    memberId = member.id;
  }
  const accepted: Accepted = await withTransaction(deps.db, async (tx) => {
    const shift = await lockOpenShift(tx, principal.koperasiId, kasir.id);
    if (input.funding === 'cash') {
      if (!shift) {
        // A retry of a payment taken before the shift was closed answers with that payment.
        const stored = await storedAnswer<{ paymentId?: string }>(tx, key);
        if (stored?.body.paymentId) return { replayed: true, paymentId: stored.body.paymentId };
        throw new AppError('SHIFT_NOT_OPEN', 'open your shift (the drawer float) before taking cash');
      }
      return acceptCash(deps, tx, {
        quote,
        shift: { id: shift.id, kasirId: kasir.id, drawerAccountId: shift.drawerAccountId },
        ...(input.payerName ? { payerName: input.payerName } : {}),
        ...(input.payerPhone ? { payerPhone: input.payerPhone } : {}),
        idempotency: key,
      });
    }
    return acceptFromSavings(deps, tx, {
      quote,
      memberId: memberId!,
      origin: {
        channel: 'counter',
        kasirId: kasir.id,
        ...(shift ? { shiftId: shift.id } : {}),
        ...(input.payerName ? { payerName: input.payerName } : {}),
        ...(input.payerPhone ? { payerPhone: input.payerPhone } : {}),
      },
      idempotency: key,
    });
  });
  if (accepted.replayed) return { paymentId: accepted.paymentId, replayed: true };
  await announcePayment(deps, accepted.payment);
  return { paymentId: accepted.payment.id, replayed: false };
}

const isOneReturnViolation = (error: unknown): boolean => {
  const cause = ((error as { cause?: unknown }).cause ?? error) as { code?: string; constraint?: string };
  return cause.code === '23505' && cause.constraint === 'journal_transactions_one_cash_return';
};

const alreadyReturned = () =>
  new AppError('CASH_ALREADY_RETURNED', "this payment's cash was already handed back to the customer");

/**
 * The kasir hands the cash of a failed or refunded cash payment back: Dr counter_customer_funds / Cr the kasir's
 * drawer (their open shift), once per payment (journal_transactions_one_cash_return). Any kasir with an open shift
 * may do it: the customer may come back on another day, to another desk.
 */
export async function returnCash(
  deps: DeskDeps,
  principal: UserPrincipal,
  paymentId: string,
  idempotency: Omit<IdempotencyInput, 'scope'>,
): Promise<StoredResponse<{ paymentId: string }>> {
  const kasir = await requireActiveKasir(deps.db, principal);
  try {
    return await withIdempotency(deps.db, { scope: `user:${kasir.id}`, ...idempotency }, async (tx) => {
      const shift = await lockOpenShift(tx, principal.koperasiId, kasir.id);
      if (!shift) throw new AppError('SHIFT_NOT_OPEN', 'open your shift before handing cash back');
      // The payment row's lock orders this return after any settlement or refund in progress, and concurrent
      // returns of one payment one after the other (the second then finds the first's transaction).
      const payment = await lockPayment(tx, paymentId);
      if (!payment || payment.koperasiId !== principal.koperasiId)
        throw new AppError('PAYMENT_NOT_FOUND', 'payment not found');
      if (payment.funding !== 'cash' || (payment.status !== 'failed' && payment.status !== 'refunded'))
        throw new AppError(
          'PAYMENT_NOT_RETURNABLE',
          `only a failed or refunded cash payment's cash is handed back (this one is ${payment.funding}, ${payment.status})`,
        );
      const done = await tx.query.journalTransactions.findFirst({
        where: (j, { and, eq }) => and(eq(j.paymentId, payment.id), eq(j.kind, 'counter_cash_return')),
      });
      if (done) throw alreadyReturned();
      const bookId = await bookOf(deps, tx, principal.koperasiId);
      const funds = await deps.ledger.requireAccount(tx, bookId, COUNTER_ACCOUNTS.customerFunds.code);
      const txId = await deps.ledger.post(tx, {
        kind: 'counter_cash_return',
        paymentId: payment.id,
        memo: returnMemo(shift.id),
        lines: [
          { accountId: funds.id, side: 'D', amount: payment.total },
          { accountId: shift.drawerAccountId, side: 'C', amount: payment.total },
        ],
      });
      await recordAudit(tx, {
        koperasiId: principal.koperasiId,
        actorType: 'kasir',
        actorId: kasir.id,
        action: 'counter.cash_return',
        subjectType: 'payment',
        subjectId: payment.id,
        after: { amount: payment.total.toString(), shiftId: shift.id, transactionId: txId.toString() },
      });
      return { statusCode: 200, body: { paymentId: payment.id } };
    });
  } catch (error) {
    if (isOneReturnViolation(error)) throw alreadyReturned();
    if (isInsufficientFunds(error))
      throw new AppError(
        'CASH_DRAWER_SHORT',
        'the drawer holds less cash than this return; ask the treasurer (the float may be too small)',
      );
    throw error;
  }
}

/** Kasir: the payments of their open shift (or one of their shifts); treasurer, pengawas: a day's counter payments. */
export async function listCounterPayments(
  deps: DeskDeps,
  principal: UserPrincipal,
  query: { shiftId?: string | undefined; date?: string | undefined; toReturn?: boolean | undefined },
) {
  let filter: Parameters<typeof counterPaymentRows>[2];
  if (principal.role === 'kasir') {
    await requireActiveKasir(deps.db, principal);
    const shiftId =
      query.shiftId ??
      (
        await deps.db.query.counterShifts.findFirst({
          where: (s, { and, eq, isNull }) =>
            and(eq(s.koperasiId, principal.koperasiId), eq(s.kasirId, principal.userId), isNull(s.closedAt)),
        })
      )?.id;
    if (!shiftId) return { items: [], cashToReturn: { count: 0, total: 0 } };
    const shift = await deps.db.query.counterShifts.findFirst({
      where: (s, { and, eq }) => and(eq(s.id, shiftId), eq(s.koperasiId, principal.koperasiId)),
    });
    if (!shift || shift.kasirId !== principal.userId)
      throw new AppError('SHIFT_NOT_FOUND', 'shift not found');
    filter = { shiftId, ...(query.toReturn ? { toReturn: true } : {}) };
  } else {
    const day = query.date ?? wibDate(deps.clock.now());
    let span;
    try {
      span = wibDayRange(day);
    } catch {
      throw new AppError('REPORT_DATE_INVALID', `${day} is not a calendar date (YYYY-MM-DD)`);
    }
    filter = {
      ...(query.shiftId ? { shiftId: query.shiftId } : { span }),
      ...(query.toReturn ? { toReturn: true } : {}),
    };
  }
  const rows = await counterPaymentRows(deps.db, principal.koperasiId, filter);
  const cutoff = attentionBefore(deps);
  const items = rows.map((r) => toPaymentView(r, cutoff, 'staff'));
  const owed = items.filter((p) => p.cashToReturn);
  return { items, cashToReturn: { count: owed.length, total: owed.reduce((s, p) => s + p.total, 0) } };
}
