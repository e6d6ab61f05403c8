/**
 * The API's side of a payment: check the PIN, then in ONE transaction claim the quote, hold the
 * member's funds and write the payment and its outbox row; enqueue after commit. Reads are scoped:
 * a member sees their own payments, a treasurer the koperasi's.
 */
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { withIdempotency } from '../http/idempotency.js';
import { newId } from '../ids.js';
import { InsufficientFundsError, KOPERASI_ACCOUNTS } from '../ledger/index.js';
import { findUser, recordPinFailure, resetPinFailures } from '../members/repository.js';
import { bookOf } from '../members/service.js';
import { enqueueSafely } from './jobs.js';
import { publishPaymentChange } from './notify.js';
import { assertNotCutOff, requireProduct } from './quotes.js';
import {
  type PaymentRow,
  claimQuote,
  findPayment,
  findPaymentFor,
  findQuote,
  insertOutbox,
  insertPayment,
  listPaymentsFor,
} from './repository.js';
import type { PaymentView } from './schemas.js';
import { isFinal, settleFailure, settleSuccess } from './settle.js';
import { toPaymentView } from './view.js';

type PaymentDeps = Deps;

/** Check the member's PIN; counts failures and locks after PIN_MAX_ATTEMPTS. */
export async function verifyPin(deps: PaymentDeps, member: UserPrincipal, pin: string): Promise<void> {
  const user = await findUser(deps.db, member.koperasiId, member.userId);
  if (!user?.pinHash) throw new AppError('FORBIDDEN', 'this account cannot pay');
  if (user.pinLockedAt) throw new AppError('PIN_LOCKED', 'the PIN is locked after too many wrong tries; ask your treasurer to unlock it');
  if (await deps.pins.verify(user.id, user.pinHash, pin)) {
    if (user.pinFailures > 0) await resetPinFailures(deps.db, user.id);
    return;
  }
  const { pin_failures: failures, locked } = await recordPinFailure(deps.db, user.id, deps.config.PIN_MAX_ATTEMPTS);
  if (locked) throw new AppError('PIN_LOCKED', 'wrong PIN; the PIN is now locked, ask your treasurer to unlock it');
  throw new AppError('PIN_INVALID', 'wrong PIN', { remainingAttempts: Math.max(0, deps.config.PIN_MAX_ATTEMPTS - failures) });
}

export async function createPayment(
  deps: PaymentDeps,
  member: UserPrincipal,
  input: { quoteId: string; pin: string },
  idempotency: { key: string; fingerprint: string },
): Promise<{ paymentId: string; replayed: boolean }> {
  await verifyPin(deps, member, input.pin);
  let created: PaymentRow | undefined;
  const stored = await withIdempotency(deps.db, { scope: `user:${member.userId}`, ...idempotency }, async (tx) => {
    const now = deps.clock.now();
    const quote = await claimQuote(tx, input.quoteId, member.userId, now);
    if (!quote) {
      const existing = await findQuote(tx, input.quoteId, member.userId);
      if (!existing) throw new AppError('QUOTE_NOT_FOUND', 'quote not found');
      throw new AppError('QUOTE_ALREADY_USED', 'this quote has already been paid; make a new inquiry');
    }
    if (quote.expiresAt.getTime() <= now.getTime()) {
      throw new AppError('QUOTE_EXPIRED', 'the quote has expired; make a new inquiry', { expiredAt: quote.expiresAt.toISOString() });
    }
    assertNotCutOff(deps, requireProduct(deps, quote.product));
    const user = await findUser(tx, member.koperasiId, member.userId);
    if (!user?.savingsAccountId) throw new Error(`member ${member.userId} has no savings account`);

    const paymentId = newId();
    const bookId = await bookOf(deps, tx, member.koperasiId);
    const inFlight = await deps.ledger.requireAccount(tx, bookId, KOPERASI_ACCOUNTS.inFlight.code);
    let holdId: bigint;
    try {
      const hold = await deps.ledger.hold(tx, {
        bookId,
        debitAccountId: user.savingsAccountId,
        holdAccountId: inFlight.id,
        amount: quote.total,
        paymentId,
        memo: `${quote.product} ${quote.refId}`,
      });
      holdId = hold.id;
    } catch (error) {
      if (error instanceof InsufficientFundsError) {
        throw new AppError('INSUFFICIENT_BALANCE', 'your available savings are not enough for this payment', {
          required: Number(quote.total),
        });
      }
      throw error;
    }
    created = await insertPayment(tx, {
      id: paymentId,
      koperasiId: member.koperasiId,
      memberId: member.userId,
      quoteId: quote.id,
      product: quote.product,
      customerNo: quote.customerNo,
      customerName: quote.customerName,
      periods: quote.periods.map((p) => p.period),
      months: quote.months,
      denomination: quote.denomination,
      billAmount: quote.billAmount,
      penalty: quote.penalty,
      adminFee: quote.adminFee,
      koperasiFee: quote.koperasiFee,
      price: quote.price,
      total: quote.total,
      status: 'processing',
      holdId,
      adapter: quote.adapter,
      refId: quote.refId,
      createdAt: now,
    });
    await insertOutbox(tx, paymentId, now);
    return { statusCode: 202, body: { paymentId } };
  });
  if (!stored.replayed && created) {
    await enqueueSafely(deps, { paymentId: created.id, seq: 0 });
    await publishPaymentChange(deps, created);
  }
  return { paymentId: stored.body.paymentId, replayed: stored.replayed };
}

export async function getPayment(deps: PaymentDeps, principal: UserPrincipal, id: string): Promise<PaymentView> {
  const payment = await findPaymentFor(deps.db, id, scopeOf(principal));
  if (!payment) throw new AppError('PAYMENT_NOT_FOUND', 'payment not found');
  return toPaymentView(payment);
}

export const scopeOf = (principal: UserPrincipal) =>
  principal.role === 'member' ? { koperasiId: principal.koperasiId, memberId: principal.userId } : { koperasiId: principal.koperasiId };

/** Cursor = base64url of "createdAt|id" of the last item: stable under concurrent inserts. */
const encodeCursor = (p: { createdAt: Date; id: string }) => Buffer.from(`${p.createdAt.toISOString()}|${p.id}`).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'cursor is not valid; use nextCursor from the previous page');
  }
  return { createdAt, id };
}

export async function listPayments(
  deps: PaymentDeps,
  principal: UserPrincipal,
  query: { limit: number; cursor?: string; status?: PaymentRow['status'] },
) {
  const rows = await listPaymentsFor(deps.db, scopeOf(principal), {
    limit: query.limit + 1,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    status: query.status,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(toPaymentView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

/** Wait up to `seconds` for a final state (Prefer: wait=N); returns the latest view either way. */
export async function waitForFinal(deps: PaymentDeps, principal: UserPrincipal, id: string, seconds: number): Promise<PaymentView> {
  const deadline = Date.now() + seconds * 1000;
  let view = await getPayment(deps, principal, id);
  if (seconds <= 0 || isFinal(view.status)) return view;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
    // Events make it fast; a slow poll makes it correct if an event is lost.
    const poll = setInterval(() => {
      void findPayment(deps.db, id).then((p) => p && isFinal(p.status) && done(), () => undefined);
    }, 500);
    const unsubscribe = deps.events.subscribe((event) => {
      if (event.type === 'payment' && event.paymentId === id && isFinal(event.status as PaymentRow['status'])) done();
    });
  });
  view = await getPayment(deps, principal, id);
  return view;
}

/**
 * A treasurer settles a suspect payment by hand (after checking with the upstream). The check, the
 * settlement and the audit entry are one transaction on the locked payment row, so a callback or a
 * status poll arriving at the same moment either wins before (→ PAYMENT_NOT_SUSPECT) or finds it final.
 */
export async function resolvePayment(
  deps: PaymentDeps,
  treasurer: UserPrincipal,
  id: string,
  input: { outcome: 'success' | 'failed'; reason: string; upstreamRef?: string },
): Promise<PaymentView> {
  const settled = await withTransaction(deps.db, async (tx) => {
    const visible = await findPaymentFor(tx, id, { koperasiId: treasurer.koperasiId });
    if (!visible) throw new AppError('PAYMENT_NOT_FOUND', 'payment not found');
    const payment = await findPayment(tx, id, true);
    if (!payment || payment.status !== 'suspect') {
      throw new AppError('PAYMENT_NOT_SUSPECT', `only a suspect payment can be resolved; this one is ${payment?.status ?? 'gone'}`);
    }
    const after =
      input.outcome === 'success'
        ? await settleSuccess(deps, tx, payment, { upstreamRef: input.upstreamRef ?? 'MANUAL' })
        : await settleFailure(deps, tx, payment, { code: 'RESOLVED_FAILED', message: input.reason });
    await recordAudit(tx, {
      koperasiId: treasurer.koperasiId,
      actorType: 'treasurer',
      actorId: treasurer.userId,
      action: `payment.resolve.${input.outcome}`,
      subjectType: 'payment',
      subjectId: id,
      before: { status: payment.status, failureCode: payment.failureCode, suspectSince: payment.suspectSince },
      after: { status: after.status, upstreamRef: after.upstreamRef },
      reason: input.reason,
    });
    return after;
  });
  await publishPaymentChange(deps, settled);
  return getPayment(deps, treasurer, id);
}

