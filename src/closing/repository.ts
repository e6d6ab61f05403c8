/** The closing view's own reads: the day's deposits and corrections, and the book's balances at day end. */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { toRupiah } from '../money.js';

type Range = { start: Date; end: Date };

/**
 * Deposits and deposit corrections posted during the day to the koperasi's deposits cash account: each
 * transaction's movement of that account (a deposit debits it, a correction credits it).
 */
export async function depositFigures(db: DbOrTx, koperasiId: string, { start, end }: Range) {
  const rows = await db.execute<{ kind: string; n: number; amount: string }>(sql`
    SELECT t.kind, count(DISTINCT t.id)::int AS n, sum(e.amount)::text AS amount
    FROM books b
    JOIN accounts a ON a.book_id = b.id AND a.code = 'deposits_cash'
    JOIN entries e ON e.account_id = a.id
    JOIN journal_transactions t ON t.id = e.tx_id
    WHERE b.koperasi_id = ${koperasiId} AND t.kind IN ('deposit', 'deposit_correction')
      AND t.created_at >= ${start} AND t.created_at < ${end}
    GROUP BY t.kind`);
  const of = (kind: string) => {
    const r = rows.rows.find((x) => x.kind === kind);
    return { count: r?.n ?? 0, amount: toRupiah(r?.amount ?? '0') };
  };
  return { deposits: of('deposit'), corrections: of('deposit_correction') };
}

export interface BalanceLine {
  code: string;
  name: string;
  type: string;
  /** In the account's normal direction; member savings are summed into one line (`savings`). */
  balance: bigint;
  accounts: number;
}

/**
 * Every account of the koperasi's book at the end of the day (entries up to `end`), in its normal direction.
 * One aggregate over the book's entries: cheap for a koperasi's history; a checkpoint-based start would be
 * the next step at national scale.
 */
export async function balancesAt(db: DbOrTx, koperasiId: string, end: Date): Promise<BalanceLine[]> {
  const rows = await db.execute<{ code: string; name: string; type: string; balance: string; n: number }>(sql`
    SELECT CASE WHEN a.code LIKE 'savings:%' THEN 'savings' ELSE a.code END AS code,
           CASE WHEN a.code LIKE 'savings:%' THEN 'Simpanan sukarela anggota' ELSE min(a.name) END AS name,
           min(a.type) AS type, count(DISTINCT a.id)::int AS n,
           coalesce(sum(CASE WHEN (e.side = 'D') = (a.type IN ('asset', 'expense')) THEN e.amount ELSE -e.amount END), 0)::text AS balance
    FROM books b
    JOIN accounts a ON a.book_id = b.id
    LEFT JOIN (entries e JOIN journal_transactions t ON t.id = e.tx_id AND t.created_at < ${end})
      ON e.account_id = a.id
    WHERE b.koperasi_id = ${koperasiId}
    GROUP BY 1, a.code LIKE 'savings:%'
    ORDER BY min(a.type), 1`);
  return rows.rows.map((r) => ({
    code: r.code,
    name: r.name,
    type: r.type,
    balance: toRupiah(r.balance),
    accounts: r.n,
  }));
}
