/** SQL of the counter: kasir accounts, shifts, and the cash each shift moved. Every query is scoped by koperasi. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.js';
import { counterShifts, payments, users } from '../db/schema/index.js';
import type { ScopedPayment } from '../payments/repository.js';
import { toRupiah } from '../money.js';

export type ShiftRow = typeof counterShifts.$inferSelect;
export type KasirRow = typeof users.$inferSelect;

export async function insertKasir(
  tx: Tx,
  input: { koperasiId: string; username: string; name: string; phone: string | null; passwordHash: string },
): Promise<KasirRow | undefined> {
  const rows = await tx
    .insert(users)
    .values({ ...input, role: 'kasir', mustChangePassword: true })
    .onConflictDoNothing({ target: [users.koperasiId, users.username] })
    .returning();
  return rows[0];
}

export async function findKasir(db: DbOrTx, koperasiId: string, id: string): Promise<KasirRow | undefined> {
  const rows = await db
    .select()
    .from(users)
    .where(and(eq(users.koperasiId, koperasiId), eq(users.id, id), eq(users.role, 'kasir')))
    .limit(1);
  return rows[0];
}

export async function lockKasir(tx: Tx, koperasiId: string, id: string): Promise<KasirRow | undefined> {
  const rows = await tx
    .select()
    .from(users)
    .where(and(eq(users.koperasiId, koperasiId), eq(users.id, id), eq(users.role, 'kasir')))
    .for('update')
    .limit(1);
  return rows[0];
}

export async function setKasirDisabled(tx: Tx, id: string, at: Date | null): Promise<KasirRow> {
  const rows = await tx.update(users).set({ disabledAt: at }).where(eq(users.id, id)).returning();
  return rows[0]!;
}

export async function listKasirRows(db: DbOrTx, koperasiId: string) {
  return db
    .select({ kasir: users, openShiftId: counterShifts.id })
    .from(users)
    .leftJoin(counterShifts, and(eq(counterShifts.kasirId, users.id), sql`${counterShifts.closedAt} IS NULL`))
    .where(and(eq(users.koperasiId, koperasiId), eq(users.role, 'kasir')))
    .orderBy(users.name, users.username);
}

const openShiftOf = (koperasiId: string, kasirId: string) =>
  and(
    eq(counterShifts.koperasiId, koperasiId),
    eq(counterShifts.kasirId, kasirId),
    sql`${counterShifts.closedAt} IS NULL`,
  );

/** The kasir's open shift, locked until the transaction ends: every drawer movement of the kasir goes through it. */
export async function lockOpenShift(
  tx: Tx,
  koperasiId: string,
  kasirId: string,
): Promise<ShiftRow | undefined> {
  const rows = await tx
    .select()
    .from(counterShifts)
    .where(openShiftOf(koperasiId, kasirId))
    .for('update')
    .limit(1);
  return rows[0];
}

export async function lockShift(tx: Tx, koperasiId: string, id: string): Promise<ShiftRow | undefined> {
  const rows = await tx
    .select()
    .from(counterShifts)
    .where(and(eq(counterShifts.koperasiId, koperasiId), eq(counterShifts.id, id)))
    .for('update')
    .limit(1);
  return rows[0];
}

export async function findShift(db: DbOrTx, koperasiId: string, id: string): Promise<ShiftRow | undefined> {
  const rows = await db
    .select()
    .from(counterShifts)
    .where(and(eq(counterShifts.koperasiId, koperasiId), eq(counterShifts.id, id)))
    .limit(1);
  return rows[0];
}

export async function findOpenShift(
  db: DbOrTx,
  koperasiId: string,
  kasirId: string,
): Promise<ShiftRow | undefined> {
  const rows = await db.select().from(counterShifts).where(openShiftOf(koperasiId, kasirId)).limit(1);
  return rows[0];
}

/** A new open shift; undefined when the kasir already has one (counter_shifts_one_open). */
export async function insertShift(
  tx: Tx,
  input: {
    koperasiId: string;
    kasirId: string;
    drawerAccountId: bigint;
    openingFloat: bigint;
    openedAt: Date;
  },
): Promise<ShiftRow | undefined> {
  const rows = await tx.insert(counterShifts).values(input).onConflictDoNothing().returning();
  return rows[0];
}

export async function setShiftOpenTx(tx: Tx, id: string, openTxId: bigint): Promise<void> {
  await tx.update(counterShifts).set({ openTxId }).where(eq(counterShifts.id, id));
}

export async function closeShiftRow(
  tx: Tx,
  id: string,
  patch: {
    closedAt: Date;
    expected: bigint;
    counted: bigint;
    difference: bigint;
    closeNote: string | null;
    closedBy: string;
    closeTxId: bigint | null;
  },
): Promise<ShiftRow> {
  const rows = await tx.update(counterShifts).set(patch).where(eq(counterShifts.id, id)).returning();
  return rows[0]!;
}

/**
 * Shifts of a koperasi opened in [start, end), and every shift still open whenever it was opened (a kasir
 * who went home without closing must not drop out of the treasurer's view).
 */
export async function listShiftRows(
  db: DbOrTx,
  koperasiId: string,
  options: { span?: { start: Date; end: Date }; kasirId?: string; limit: number },
) {
  return db
    .select({ shift: counterShifts, kasirName: users.name })
    .from(counterShifts)
    .innerJoin(users, eq(users.id, counterShifts.kasirId))
    .where(
      and(
        eq(counterShifts.koperasiId, koperasiId),
        options.kasirId ? eq(counterShifts.kasirId, options.kasirId) : undefined,
        options.span
          ? sql`((${counterShifts.openedAt} >= ${options.span.start} AND ${counterShifts.openedAt} < ${options.span.end})
                 OR ${counterShifts.closedAt} IS NULL)`
          : undefined,
      ),
    )
    .orderBy(desc(counterShifts.openedAt), desc(counterShifts.id))
    .limit(options.limit);
}

export interface ShiftFigures {
  taken: { count: number; total: bigint };
  succeeded: { count: number; total: bigint };
  failed: { count: number; total: bigint };
  processing: { count: number; total: bigint };
  returned: { count: number; total: bigint };
  savings: { count: number; total: bigint };
}

/** What a shift took, per outcome, and the cash it handed back (returns made from its drawer while it was open). */
export async function shiftFigures(db: DbOrTx, shift: ShiftRow): Promise<ShiftFigures> {
  const rows = await db.execute<{ bucket: string; n: number; total: string }>(sql`
    SELECT CASE WHEN p.funding = 'savings' THEN 'savings'
                WHEN p.status = 'success' THEN 'succeeded'
                WHEN p.status IN ('failed', 'refunded') THEN 'failed'
                ELSE 'processing' END AS bucket,
           count(*)::int AS n, coalesce(sum(p.total), 0)::text AS total
    FROM payments p
    WHERE p.koperasi_id = ${shift.koperasiId} AND p.shift_id = ${shift.id}
    GROUP BY 1
    UNION ALL
    SELECT 'returned', count(*)::int, coalesce(sum(e.amount), 0)::text
    FROM entries e JOIN journal_transactions t ON t.id = e.tx_id
    WHERE e.account_id = ${shift.drawerAccountId} AND t.kind = 'counter_cash_return'
      AND t.memo = ${returnMemo(shift.id)}`);
  const of = (bucket: string) => {
    const r = rows.rows.filter((x) => x.bucket === bucket);
    return {
      count: r.reduce((n, x) => n + x.n, 0),
      total: r.reduce((s, x) => s + toRupiah(x.total), 0n),
    };
  };
  const succeeded = of('succeeded');
  const failed = of('failed');
  const processing = of('processing');
  return {
    taken: {
      count: succeeded.count + failed.count + processing.count,
      total: succeeded.total + failed.total + processing.total,
    },
    succeeded,
    failed,
    processing,
    returned: of('returned'),
    savings: of('savings'),
  };
}

/** The memo of a cash return names the shift whose drawer paid it: the shift's detail finds its returns by it. */
export const returnMemo = (shiftId: string) => `loket shift ${shiftId}`;

/** Failed or refunded cash payments taken by a kasir (any shift) whose cash was not handed back yet. */
export async function cashOwedBy(db: DbOrTx, koperasiId: string, kasirId?: string) {
  const rows = await db.execute<{
    id: string;
    product: string;
    customer_no: string;
    payer_name: string | null;
    total: string;
    status: 'failed' | 'refunded';
    created_at: Date | string;
  }>(sql`
    SELECT p.id, p.product, p.customer_no, p.payer_name, p.total::text AS total, p.status, p.created_at
    FROM payments p
    WHERE p.koperasi_id = ${koperasiId} AND p.funding = 'cash' AND p.status IN ('failed', 'refunded')
      ${kasirId ? sql`AND p.kasir_id = ${kasirId}` : sql``}
      AND NOT EXISTS (SELECT 1 FROM journal_transactions j WHERE j.payment_id = p.id AND j.kind = 'counter_cash_return')
    ORDER BY p.created_at, p.id`);
  return rows.rows.map((r) => ({ ...r, total: toRupiah(r.total), created_at: new Date(r.created_at) }));
}

/** Every movement of a shift's drawer, in order, with the drawer's balance after each. */
export async function shiftMovements(db: DbOrTx, shift: ShiftRow) {
  const rows = await db.execute<{
    tx_id: string;
    at: Date | string;
    kind: string;
    amount: string;
    balance_after: string;
    payment_id: string | null;
    product: string | null;
    customer_no: string | null;
    status: string | null;
  }>(sql`
    WITH moves AS (
      SELECT t.id, t.created_at, t.kind, t.payment_id,
             sum(CASE WHEN e.side = 'D' THEN e.amount ELSE -e.amount END) AS amount
      FROM journal_transactions t JOIN entries e ON e.tx_id = t.id AND e.account_id = ${shift.drawerAccountId}
      WHERE t.id = ${shift.openTxId} OR t.id = ${shift.closeTxId}
         OR (t.kind = 'counter_cash_in' AND t.payment_id IN (SELECT id FROM payments WHERE shift_id = ${shift.id}))
         OR (t.kind = 'counter_cash_return' AND t.memo = ${returnMemo(shift.id)})
      GROUP BY t.id, t.created_at, t.kind, t.payment_id
    )
    SELECT m.id::text AS tx_id, m.created_at AS at, m.kind, m.amount::text AS amount,
           (sum(m.amount) OVER (ORDER BY m.id))::text AS balance_after,
           m.payment_id, p.product, p.customer_no, p.status
    FROM moves m LEFT JOIN payments p ON p.id = m.payment_id AND p.koperasi_id = ${shift.koperasiId}
    ORDER BY m.id`);
  return rows.rows.map((r) => ({
    ...r,
    at: new Date(r.at),
    amount: toRupiah(r.amount),
    balanceAfter: toRupiah(r.balance_after),
  }));
}

/** Counter payments of a koperasi (a shift's, or a WIB day's), newest first, shaped like the payment list's rows. */
export async function counterPaymentRows(
  db: DbOrTx,
  koperasiId: string,
  filter: { shiftId?: string; span?: { start: Date; end: Date }; toReturn?: boolean },
): Promise<ScopedPayment[]> {
  const returnedAt = sql<
    string | null
  >`(SELECT j.created_at FROM journal_transactions j WHERE j.payment_id = ${payments.id} AND j.kind = 'counter_cash_return')`;
  const rows = await db
    .select({
      payment: payments,
      memberNo: users.username,
      memberName: users.name,
      cashReturnedAt: returnedAt,
    })
    .from(payments)
    .leftJoin(users, eq(users.id, payments.memberId))
    .where(
      and(
        eq(payments.koperasiId, koperasiId),
        eq(payments.channel, 'counter'),
        filter.shiftId ? eq(payments.shiftId, filter.shiftId) : undefined,
        filter.span
          ? sql`${payments.createdAt} >= ${filter.span.start} AND ${payments.createdAt} < ${filter.span.end}`
          : undefined,
        filter.toReturn
          ? sql`${payments.funding} = 'cash' AND ${payments.status} IN ('failed', 'refunded') AND ${returnedAt} IS NULL`
          : undefined,
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(500);
  return rows.map((r) => ({
    ...r.payment,
    memberNo: r.memberNo,
    memberName: r.memberName,
    attemptAdapter: null,
    attemptRefId: null,
    cashReturnedAt: r.cashReturnedAt === null ? null : new Date(r.cashReturnedAt),
  }));
}
