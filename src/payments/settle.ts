/**
 * The payment state machine and its postings. Every transition runs inside the caller's DB
 * transaction on a payment row locked FOR UPDATE, so the worker, a callback, the treasurer and
 * reconciliation can race on one payment and exactly one of them moves it.
 *
 * Which transitions are allowed is lifecycle.ts's to say.
 *
 * On success the hold is posted out: the upstream's price to payable-to-gateway, the koperasi fee to
 * fee income, the rest (bill + denda + admin − price) to commission income; in the platform book the
 * koperasi's receivable grows and our deposit at the upstream shrinks by the same price.
 */
import type { DbOrTx, Tx } from '../db/client.js';
import type { Deps } from '../deps.js';
import { KOPERASI_ACCOUNTS, type PostingLine, receivableCode, upstreamDepositCode } from '../ledger/index.js';
import type { Rupiah } from '../money.js';
import { type PaymentStatus, assertMove as assertTransition } from './lifecycle.js';
import {
  type AttemptRow,
  deleteOutbox,
  finishOutbox,
  type PaymentRow,
  rescheduleOutbox,
  updatePayment,
} from './repository.js';

type SettleDeps = Pick<Deps, 'ledger' | 'clock'>;

function assertMove(payment: PaymentRow, to: PaymentStatus): void {
  assertTransition(payment.status, to);
}

/** The income split of a successful payment; commission may be negative if the upstream charged more. */
export function splitOf(payment: Pick<PaymentRow, 'total' | 'koperasiFee'>, price: Rupiah) {
  return {
    payable: price,
    fee: payment.koperasiFee,
    commission: payment.total - payment.koperasiFee - price,
  };
}

/** A posting line with a signed amount: negative flips the side. Zero amounts are dropped. */
function line(accountId: bigint, side: 'D' | 'C', amount: Rupiah): PostingLine[] {
  if (amount === 0n) return [];
  if (amount > 0n) return [{ accountId, side, amount }];
  return [{ accountId, side: side === 'D' ? 'C' : 'D', amount: -amount }];
}

export interface SettlementAccountIds {
  inFlight: bigint;
  payable: bigint;
  fee: bigint;
  commission: bigint;
  receivable: bigint;
  deposit: bigint;
}

/** The accounts a payment's settlement touches (cached facts; the deposit account opened on first use). */
export async function settlementAccountIds(
  deps: Pick<Deps, 'ledger'>,
  db: DbOrTx,
  payment: Pick<PaymentRow, 'koperasiId' | 'adapter'>,
): Promise<SettlementAccountIds> {
  const bookId = await deps.ledger.findBookId(db, payment.koperasiId);
  const platformBookId = await deps.ledger.findBookId(db, null);
  if (bookId === undefined || platformBookId === undefined) throw new Error('ledger books missing');
  // One after another: `db` may be a transaction, whose one connection runs one statement at a time (cached after
  // the first settlement, so this costs nothing on the hot path).
  const inFlight = await deps.ledger.requireAccount(db, bookId, KOPERASI_ACCOUNTS.inFlight.code);
  const payable = await deps.ledger.requireAccount(db, bookId, KOPERASI_ACCOUNTS.payableGateway.code);
  const fee = await deps.ledger.requireAccount(db, bookId, KOPERASI_ACCOUNTS.feeIncome.code);
  const commission = await deps.ledger.requireAccount(db, bookId, KOPERASI_ACCOUNTS.commissionIncome.code);
  const receivable = await deps.ledger.requireAccount(db, platformBookId, receivableCode(payment.koperasiId));
  const deposit =
    (await deps.ledger.findAccount(db, platformBookId, upstreamDepositCode(payment.adapter))) ??
    (await deps.ledger.openUpstreamDepositAccount(db, payment.adapter));
  return {
    inFlight: inFlight.id,
    payable: payable.id,
    fee: fee.id,
    commission: commission.id,
    receivable: receivable.id,
    deposit: deposit.id,
  };
}

/** The credit side of posting a paid hold, and the platform book's lines. */
export function successLines(
  payment: Pick<PaymentRow, 'total' | 'koperasiFee'>,
  price: Rupiah,
  acc: SettlementAccountIds,
) {
  const split = splitOf(payment, price);
  return {
    credits: [
      ...line(acc.payable, 'C', split.payable),
      ...line(acc.fee, 'C', split.fee),
      ...line(acc.commission, 'C', split.commission),
    ],
    extra: [...line(acc.receivable, 'D', price), ...line(acc.deposit, 'C', price)],
  };
}

/** The token a member receives: only token products (PLN prepaid) carry one. */
export const tokenFor = (payment: Pick<PaymentRow, 'denomination'>, token: string | null | undefined) =>
  payment.denomination === null ? null : (token ?? null);

/**
 * Post the hold out for the attempt that paid the bill, at the price that upstream charged (its
 * answer, else what it quoted for this attempt): a failed-over payment was paid at the second
 * upstream's price, not the first's.
 */
export async function settleSuccess(
  deps: SettleDeps,
  tx: Tx,
  payment: PaymentRow,
  attempt: Pick<AttemptRow, 'adapter' | 'refId' | 'price'>,
  answer: { upstreamRef: string; token?: string | null; price?: Rupiah },
): Promise<PaymentRow> {
  assertMove(payment, 'success');
  const settled = { ...payment, adapter: attempt.adapter, refId: attempt.refId };
  const price = answer.price ?? attempt.price ?? payment.price;
  const acc = await settlementAccountIds(deps, tx, settled);
  await deps.ledger.postHold(tx, payment.holdId, {
    paymentId: payment.id,
    memo: `${payment.product} ${settled.refId}`,
    ...successLines(payment, price, acc),
  });
  const patch = {
    status: 'success' as const,
    price,
    adapter: settled.adapter,
    refId: settled.refId,
    upstreamRef: answer.upstreamRef,
    token: tokenFor(payment, answer.token),
    failureCode: null,
    failureMessage: null,
    finishedAt: deps.clock.now(),
  };
  await updatePayment(tx, payment.id, patch);
  await finishOutbox(tx, payment.id, deps.clock.now());
  return { ...payment, ...patch };
}

export async function settleFailure(
  deps: SettleDeps,
  tx: Tx,
  payment: PaymentRow,
  failure: { code: string; message: string },
): Promise<PaymentRow> {
  assertMove(payment, 'failed');
  await deps.ledger.voidHold(tx, payment.holdId, {
    paymentId: payment.id,
    memo: `${failure.code}: ${failure.message}`.slice(0, 200),
  });
  const patch = {
    status: 'failed' as const,
    failureCode: failure.code,
    failureMessage: failure.message.slice(0, 500),
    finishedAt: deps.clock.now(),
  };
  await updatePayment(tx, payment.id, patch);
  await deleteOutbox(tx, payment.id);
  return { ...payment, ...patch };
}

/**
 * Suspect: the upstream may have acted. Keep the hold; poll again at `nextPollAt`, or (undefined)
 * stop polling: the caller then lists the payment for a person.
 */
export async function markSuspect(
  deps: SettleDeps,
  tx: Tx,
  payment: PaymentRow,
  reason: { code: string; message: string },
  nextPollAt: Date | undefined,
): Promise<PaymentRow> {
  assertMove(payment, 'suspect');
  const patch = {
    status: 'suspect' as const,
    suspectSince: payment.suspectSince ?? deps.clock.now(),
    failureCode: reason.code,
    failureMessage: reason.message.slice(0, 500),
  };
  await updatePayment(tx, payment.id, patch);
  if (nextPollAt === undefined) {
    await deleteOutbox(tx, payment.id);
    return { ...payment, ...patch };
  }
  const seq = await rescheduleOutbox(tx, payment.id, nextPollAt);
  if (seq === undefined) throw new Error(`payment ${payment.id} has no outbox row`);
  return { ...payment, ...patch };
}

/**
 * A success the upstream reversed later: a new transaction reverses the posting; the payer is repaid where the
 * money came from (the hold's debit account: the member's savings, or the counter's cash owed to the customer).
 */
export async function refundSuccess(
  deps: SettleDeps,
  tx: Tx,
  payment: PaymentRow,
  reason: { code: string; message: string },
): Promise<PaymentRow> {
  assertMove(payment, 'refunded');
  const acc = await settlementAccountIds(deps, tx, payment);
  const split = splitOf(payment, payment.price);
  // Back to where the money came from: the member's savings, or for cash what the koperasi owes the customer.
  const hold = await tx.query.holds.findFirst({ where: (h, { eq }) => eq(h.id, payment.holdId) });
  if (!hold) throw new Error(`payment ${payment.id} has no hold`);
  await deps.ledger.post(tx, {
    kind: 'payment_refund',
    paymentId: payment.id,
    reversesTxId: hold.finalTxId,
    memo: `${reason.code}: ${reason.message}`.slice(0, 200),
    lines: [
      ...line(acc.payable, 'D', split.payable),
      ...line(acc.fee, 'D', split.fee),
      ...line(acc.commission, 'D', split.commission),
      ...line(hold.debitAccountId, 'C', payment.total),
      ...line(acc.deposit, 'D', payment.price),
      ...line(acc.receivable, 'C', payment.price),
    ],
  });
  const patch = {
    status: 'refunded' as const,
    failureCode: reason.code,
    failureMessage: reason.message.slice(0, 500),
  };
  await updatePayment(tx, payment.id, patch);
  return { ...payment, ...patch };
}
