/**
 * A kasir's shift, from the opening float to the closing count. While it is open the kasir's drawer account holds
 * exactly the cash that should be in the drawer: the float (from the koperasi's cash, deposits_cash), plus cash
 * taken for payments, minus cash handed back for failed ones. Closing moves what was counted back to the koperasi's
 * cash and the difference to "selisih kas" (cash_over_short), in one transaction with the shift row.
 */
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { wibDate, wibDayRange } from '../clock.js';
import type { Tx } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type IdempotencyInput, type StoredResponse, withIdempotency } from '../idempotency/index.js';
import { KOPERASI_ACCOUNTS, type PostingLine } from '../ledger/index.js';
import { bookOf } from '../members/service.js';
import { findUser } from '../members/repository.js';
import { toJsonAmount } from '../money.js';
import { maskCustomerNo } from '../privacy.js';
import { requireActiveKasir } from './kasir.js';
import {
  type ShiftRow,
  cashOwedBy,
  closeShiftRow,
  findOpenShift,
  findShift,
  insertShift,
  listShiftRows,
  lockShift,
  setShiftOpenTx,
  shiftFigures,
  shiftMovements,
} from './repository.js';
import type { CashToReturnItem, ShiftView } from './schemas.js';

type ShiftDeps = Pick<Deps, 'db' | 'ledger' | 'clock'>;

const line = (x: { count: number; total: bigint }) => ({ count: x.count, total: toJsonAmount(x.total) });

export async function toShiftView(
  deps: ShiftDeps,
  db: Tx | Deps['db'],
  shift: ShiftRow,
  names?: { kasirName?: string },
): Promise<ShiftView> {
  // One after another: `db` may be the transaction that opened or closed the shift (one statement at a time).
  const figures = await shiftFigures(db, shift);
  const kasir =
    names?.kasirName === undefined ? await findUser(db, shift.koperasiId, shift.kasirId) : undefined;
  const closer = shift.closedBy ? await findUser(db, shift.koperasiId, shift.closedBy) : undefined;
  const drawer = shift.closedAt ? undefined : await deps.ledger.balance(db, shift.drawerAccountId);
  return {
    id: shift.id,
    kasirId: shift.kasirId,
    kasirName: names?.kasirName ?? kasir?.name ?? '',
    status: shift.closedAt ? 'closed' : 'open',
    openingFloat: toJsonAmount(shift.openingFloat),
    openedAt: shift.openedAt.toISOString(),
    closedAt: shift.closedAt?.toISOString() ?? null,
    expected: toJsonAmount(shift.expected ?? drawer ?? 0n),
    counted: shift.counted === null ? null : toJsonAmount(shift.counted),
    difference: shift.difference === null ? null : toJsonAmount(shift.difference),
    closeNote: shift.closeNote,
    closedBy: closer?.name ?? null,
    cash: {
      taken: line(figures.taken),
      succeeded: line(figures.succeeded),
      failed: line(figures.failed),
      processing: line(figures.processing),
      returned: line(figures.returned),
    },
    savings: line(figures.savings),
  };
}

export function toCashToReturn(rows: Awaited<ReturnType<typeof cashOwedBy>>): CashToReturnItem[] {
  return rows.map((r) => ({
    paymentId: r.id,
    product: r.product,
    customerNo: maskCustomerNo(r.customer_no),
    payerName: r.payer_name,
    total: toJsonAmount(r.total),
    status: r.status,
    createdAt: r.created_at.toISOString(),
  }));
}

async function koperasiCash(deps: ShiftDeps, tx: Tx, koperasiId: string) {
  const bookId = await bookOf(deps, tx, koperasiId);
  return {
    bookId,
    cash: await deps.ledger.requireAccount(tx, bookId, KOPERASI_ACCOUNTS.depositsCash.code),
  };
}

/** Open the kasir's shift: the float moves from the koperasi's cash into the drawer (kind counter_float). */
export async function openShift(
  deps: ShiftDeps,
  principal: UserPrincipal,
  openingFloat: bigint,
  idempotency: Omit<IdempotencyInput, 'scope'>,
): Promise<StoredResponse<ShiftView>> {
  return withIdempotency(deps.db, { scope: `user:${principal.userId}`, ...idempotency }, async (tx) => {
    const kasir = await requireActiveKasir(tx, principal);
    const { bookId, cash } = await koperasiCash(deps, tx, principal.koperasiId);
    const drawer = await deps.ledger.openCashDrawerAccount(tx, bookId, kasir.id, kasir.name);
    const now = deps.clock.now();
    // counter_shifts_one_open: a concurrent second open waits on the index, then finds the first one's row.
    const shift = await insertShift(tx, {
      koperasiId: principal.koperasiId,
      kasirId: kasir.id,
      drawerAccountId: drawer.id,
      openingFloat,
      openedAt: now,
    });
    if (!shift) throw new AppError('SHIFT_ALREADY_OPEN', 'your shift is already open; close it first');
    let openTxId: bigint | null = null;
    if (openingFloat > 0n) {
      openTxId = await deps.ledger.post(tx, {
        kind: 'counter_float',
        memo: `modal awal loket shift ${shift.id}`,
        at: now,
        lines: [
          { accountId: drawer.id, side: 'D', amount: openingFloat },
          { accountId: cash.id, side: 'C', amount: openingFloat },
        ],
      });
      await setShiftOpenTx(tx, shift.id, openTxId);
    }
    await recordAudit(tx, {
      koperasiId: principal.koperasiId,
      actorType: 'kasir',
      actorId: kasir.id,
      action: 'counter.shift_open',
      subjectType: 'counter_shift',
      subjectId: shift.id,
      after: { openingFloat: openingFloat.toString(), transactionId: openTxId?.toString() ?? null },
    });
    return {
      statusCode: 201,
      body: await toShiftView(deps, tx, { ...shift, openTxId }, { kasirName: kasir.name }),
    };
  });
}

/**
 * Close a shift with the counted cash: expected is the drawer's balance read under the shift row's lock (every
 * movement of the drawer takes that lock first), counted goes to the koperasi's cash, the difference to
 * cash_over_short. A kasir cannot close while cash of their failed payments is still owed to a customer (hand it
 * back first); the treasurer can.
 */
export async function closeShift(
  deps: ShiftDeps,
  principal: UserPrincipal,
  shiftId: string,
  input: { counted: bigint; note?: string | undefined },
  idempotency: Omit<IdempotencyInput, 'scope'>,
): Promise<StoredResponse<ShiftView>> {
  return withIdempotency(deps.db, { scope: `user:${principal.userId}`, ...idempotency }, async (tx) => {
    if (principal.role === 'kasir') await requireActiveKasir(tx, principal);
    const shift = await lockShift(tx, principal.koperasiId, shiftId);
    if (!shift || (principal.role === 'kasir' && shift.kasirId !== principal.userId))
      throw new AppError('SHIFT_NOT_FOUND', 'shift not found');
    if (shift.closedAt) throw new AppError('SHIFT_NOT_OPEN', 'this shift is already closed');
    // The kasir hands owed cash back before counting. A customer who never comes back must not keep the drawer
    // open for ever: the treasurer may close anyway; the owed cash then goes to the koperasi's cash with the count,
    // and stays owed (counter_customer_funds) until a kasir hands it back from their drawer.
    const owed = principal.role === 'kasir' ? await cashOwedBy(tx, principal.koperasiId, shift.kasirId) : [];
    if (owed.length > 0) {
      throw new AppError(
        'CASH_RETURN_PENDING',
        'cash of failed payments is still to be handed back to customers; return it first (or ask the treasurer to close the shift)',
        {
          payments: owed.map((p) => p.id),
          total: toJsonAmount(owed.reduce((s, p) => s + p.total, 0n)),
        },
      );
    }
    const expected = await deps.ledger.balance(tx, shift.drawerAccountId);
    const difference = input.counted - expected;
    const now = deps.clock.now();
    let closeTxId: bigint | null = null;
    if (expected !== 0n || input.counted !== 0n) {
      const { bookId, cash } = await koperasiCash(deps, tx, principal.koperasiId);
      const overShort = await deps.ledger.openCounterAccount(tx, bookId, 'overShort');
      const lines: PostingLine[] = [];
      if (input.counted > 0n) lines.push({ accountId: cash.id, side: 'D', amount: input.counted });
      if (expected > 0n) lines.push({ accountId: shift.drawerAccountId, side: 'C', amount: expected });
      if (difference < 0n) lines.push({ accountId: overShort.id, side: 'D', amount: -difference });
      if (difference > 0n) lines.push({ accountId: overShort.id, side: 'C', amount: difference });
      closeTxId = await deps.ledger.post(tx, {
        kind: 'counter_close',
        memo: `tutup loket shift ${shift.id}`,
        at: now,
        lines,
      });
    }
    const closed = await closeShiftRow(tx, shift.id, {
      closedAt: now,
      expected,
      counted: input.counted,
      difference,
      closeNote: input.note ?? null,
      closedBy: principal.userId,
      closeTxId,
    });
    await recordAudit(tx, {
      koperasiId: principal.koperasiId,
      actorType: principal.role,
      actorId: principal.userId,
      action: 'counter.shift_close',
      subjectType: 'counter_shift',
      subjectId: shift.id,
      before: { expected: expected.toString() },
      after: {
        counted: input.counted.toString(),
        difference: difference.toString(),
        transactionId: closeTxId?.toString() ?? null,
        kasirId: shift.kasirId,
      },
      reason: input.note ?? null,
    });
    return { statusCode: 200, body: await toShiftView(deps, tx, closed) };
  });
}

/** The kasir's open shift (or none) and the cash they still owe customers. */
export async function currentShift(deps: ShiftDeps, principal: UserPrincipal) {
  const kasir = await requireActiveKasir(deps.db, principal);
  const [shift, owed] = await Promise.all([
    findOpenShift(deps.db, principal.koperasiId, kasir.id),
    cashOwedBy(deps.db, principal.koperasiId, kasir.id),
  ]);
  return {
    shift: shift ? await toShiftView(deps, deps.db, shift, { kasirName: kasir.name }) : null,
    cashToReturn: toCashToReturn(owed),
  };
}

/** Treasurer, pengawas: shifts opened on a WIB day plus any still open; a kasir: their own latest shifts. */
export async function listShifts(deps: ShiftDeps, principal: UserPrincipal, date?: string) {
  let span: { start: Date; end: Date } | undefined;
  if (principal.role === 'kasir') {
    await requireActiveKasir(deps.db, principal);
  } else {
    const day = date ?? wibDate(deps.clock.now());
    try {
      span = wibDayRange(day);
    } catch {
      throw new AppError('REPORT_DATE_INVALID', `${day} is not a calendar date (YYYY-MM-DD)`);
    }
  }
  const rows = await listShiftRows(deps.db, principal.koperasiId, {
    ...(span ? { span } : {}),
    ...(principal.role === 'kasir' ? { kasirId: principal.userId } : {}),
    limit: principal.role === 'kasir' ? 30 : 500,
  });
  return {
    items: await Promise.all(
      rows.map((r) => toShiftView(deps, deps.db, r.shift, { kasirName: r.kasirName })),
    ),
  };
}

/** One shift with every movement of its drawer: float, each cash payment, each return, the closing. */
export async function shiftDetail(deps: ShiftDeps, principal: UserPrincipal, shiftId: string) {
  if (principal.role === 'kasir') await requireActiveKasir(deps.db, principal);
  const shift = await findShift(deps.db, principal.koperasiId, shiftId);
  if (!shift || (principal.role === 'kasir' && shift.kasirId !== principal.userId))
    throw new AppError('SHIFT_NOT_FOUND', 'shift not found');
  const [view, moves] = await Promise.all([
    toShiftView(deps, deps.db, shift),
    shiftMovements(deps.db, shift),
  ]);
  return {
    ...view,
    movements: moves.map((m) => ({
      txId: m.tx_id,
      at: m.at.toISOString(),
      kind: m.kind as 'counter_float' | 'counter_cash_in' | 'counter_cash_return' | 'counter_close',
      amount: toJsonAmount(m.amount),
      balanceAfter: toJsonAmount(m.balanceAfter),
      paymentId: m.payment_id,
      product: m.product,
      customerNo: m.customer_no === null ? null : maskCustomerNo(m.customer_no),
      status: m.status,
    })),
  };
}
