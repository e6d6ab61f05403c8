/**
 * A savings deposit as the treasurer and the receipt see it. A deposit has no table of its own: it IS its
 * journal transaction (kind 'deposit'), so its id is the transaction id the deposit route answers
 * (`transactionId`). Everything else is read around it: the member whose savings it credited, the balance
 * after it (the running sum of that account up to it), the treasurer who took it (the audit row), and its
 * correction, if any (kind 'deposit_correction', reverses_tx_id = the deposit).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { toRupiah } from '../money.js';

export interface DepositRecord {
  txId: bigint;
  at: Date;
  amount: bigint;
  reference: string | null;
  balanceAfter: bigint;
  memberId: string;
  memberNo: string;
  memberName: string;
  memberPhone: string | null;
  savingsAccountId: bigint;
  koperasiName: string;
  treasurerName: string | null;
  correction: { txId: bigint; at: Date; reason: string | null; by: string | null } | null;
}

/** One deposit of this koperasi, or undefined (another koperasi's deposit does not exist for the caller). */
export async function findDeposit(
  db: DbOrTx,
  koperasiId: string,
  txId: bigint,
): Promise<DepositRecord | undefined> {
  const rows = await db.execute<{
    tx_id: string;
    created_at: string | Date;
    amount: string;
    memo: string | null;
    balance_after: string;
    member_id: string;
    member_no: string;
    member_name: string;
    member_phone: string | null;
    savings_account_id: string;
    koperasi_name: string;
    treasurer_name: string | null;
    correction_id: string | null;
    correction_at: string | Date | null;
    correction_memo: string | null;
    corrected_by: string | null;
  }>(sql`
    WITH dep AS (
      SELECT t.id, t.created_at, t.memo, e.account_id, e.amount
      FROM journal_transactions t
      JOIN entries e ON e.tx_id = t.id AND e.side = 'C'
      JOIN users u ON u.savings_account_id = e.account_id AND u.koperasi_id = ${koperasiId}
      WHERE t.id = ${txId} AND t.kind = 'deposit'
      LIMIT 1
    )
    SELECT d.id::text AS tx_id, d.created_at, d.amount::text, d.memo,
           (SELECT sum(CASE WHEN x.side = 'C' THEN x.amount ELSE -x.amount END)
              FROM entries x WHERE x.account_id = d.account_id AND x.tx_id <= d.id)::text AS balance_after,
           u.id AS member_id, u.username AS member_no, u.name AS member_name, u.phone AS member_phone,
           d.account_id::text AS savings_account_id, k.name AS koperasi_name,
           (SELECT s.name FROM audit_log a JOIN users s ON s.id::text = a.actor_id
              WHERE a.subject_type = 'member' AND a.koperasi_id = ${koperasiId} AND a.action = 'savings.deposit'
                AND a.subject_id = u.id::text AND a.after->>'transactionId' = d.id::text
              LIMIT 1) AS treasurer_name,
           c.id::text AS correction_id, c.created_at AS correction_at, c.memo AS correction_memo,
           (SELECT s.name FROM audit_log a JOIN users s ON s.id::text = a.actor_id
              WHERE c.id IS NOT NULL AND a.subject_type = 'member' AND a.koperasi_id = ${koperasiId} AND a.action = 'savings.deposit_correction'
                AND a.subject_id = u.id::text AND a.after->>'transactionId' = c.id::text
              LIMIT 1) AS corrected_by
    FROM dep d
    JOIN users u ON u.savings_account_id = d.account_id
    JOIN koperasi k ON k.id = u.koperasi_id
    LEFT JOIN LATERAL (
      SELECT id, created_at, memo FROM journal_transactions
      WHERE reverses_tx_id = d.id AND kind = 'deposit_correction' ORDER BY id LIMIT 1
    ) c ON true`);
  const r = rows.rows[0];
  if (!r) return undefined;
  return {
    txId: BigInt(r.tx_id),
    at: new Date(r.created_at),
    amount: toRupiah(r.amount),
    reference: r.memo,
    balanceAfter: toRupiah(r.balance_after),
    memberId: r.member_id,
    memberNo: r.member_no,
    memberName: r.member_name,
    memberPhone: r.member_phone,
    savingsAccountId: BigInt(r.savings_account_id),
    koperasiName: r.koperasi_name,
    treasurerName: r.treasurer_name,
    correction: r.correction_id
      ? {
          txId: BigInt(r.correction_id),
          at: new Date(r.correction_at!),
          reason: r.correction_memo,
          by: r.corrected_by,
        }
      : null,
  };
}
