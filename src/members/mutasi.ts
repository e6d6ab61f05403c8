/**
 * Mutasi: every movement of a member's savings, newest first — deposits in, payments out (the hold), money back
 * (a failed payment's void, a late refund) — with the balance after each, read from the journal itself, so the
 * member, the treasurer and the ledger always tell the same story.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client.js';
import { toJsonAmount, toRupiah } from '../money.js';

export const mutasiQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, 'a cursor from nextCursor')
    .optional(),
});

export const mutasiPage = z.object({
  items: z.array(
    z.object({
      txId: z.string(),
      at: z.string(),
      kind: z.enum(['deposit', 'payment', 'refund', 'other']),
      amount: z.number().int().describe('rupiah; positive in, negative out'),
      balanceAfter: z.number().int(),
      paymentId: z.string().nullable(),
      product: z.string().nullable(),
      paymentStatus: z.string().nullable(),
      note: z.string().nullable().describe("a deposit's reference; a correction's reason"),
      reversesTxId: z
        .string()
        .nullable()
        .describe('a correction (kind other): the deposit it reverses — read it as "Koreksi setoran"'),
      correctedBy: z.string().nullable().describe('a deposit: the correction that reversed it, if any'),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const KINDS: Record<string, 'deposit' | 'payment' | 'refund'> = {
  deposit: 'deposit',
  payment_hold: 'payment',
  payment_void: 'refund',
  payment_refund: 'refund',
};

/** Kinds whose memo people should read: a deposit's reference, a correction's reason. */
const NOTED = new Set(['deposit', 'deposit_correction']);

export async function savingsMutasi(
  db: DbOrTx,
  savingsAccountId: bigint,
  query: z.output<typeof mutasiQuery>,
): Promise<z.infer<typeof mutasiPage>> {
  const rows = await db.execute<{
    tx_id: string;
    created_at: string;
    kind: string;
    memo: string | null;
    reverses_tx_id: string | null;
    corrected_by: string | null;
    payment_id: string | null;
    product: string | null;
    status: string | null;
    amount: string;
    balance_after: string;
  }>(sql`
    WITH moves AS (
      SELECT t.id, t.created_at, t.kind, t.memo, t.payment_id, t.reverses_tx_id,
             sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END) AS amount
      FROM entries e JOIN journal_transactions t ON t.id = e.tx_id
      WHERE e.account_id = ${savingsAccountId}
      GROUP BY t.id
    ), running AS (
      SELECT m.*, sum(m.amount) OVER (ORDER BY m.id) AS balance_after FROM moves m
    )
    SELECT r.id::text AS tx_id, r.created_at, r.kind, r.memo, r.payment_id::text AS payment_id, p.product,
           p.status, r.amount::text, r.balance_after::text, r.reverses_tx_id::text AS reverses_tx_id,
           (SELECT c.id::text FROM journal_transactions c
             WHERE r.kind = 'deposit' AND c.reverses_tx_id = r.id AND c.kind = 'deposit_correction'
             ORDER BY c.id LIMIT 1) AS corrected_by
    FROM running r LEFT JOIN payments p ON p.id = r.payment_id
    WHERE ${query.cursor ? sql`r.id < ${query.cursor}::bigint` : sql`true`}
    ORDER BY r.id DESC
    LIMIT ${query.limit + 1}`);
  const page = rows.rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      txId: r.tx_id,
      at: new Date(r.created_at).toISOString(),
      kind: KINDS[r.kind] ?? 'other',
      amount: toJsonAmount(toRupiah(r.amount)),
      balanceAfter: toJsonAmount(toRupiah(r.balance_after)),
      paymentId: r.payment_id,
      product: r.product,
      paymentStatus: r.status,
      note: NOTED.has(r.kind) ? r.memo : null,
      reversesTxId: r.kind === 'deposit_correction' ? r.reverses_tx_id : null,
      correctedBy: r.corrected_by,
    })),
    nextCursor: rows.rows.length > query.limit ? (page.at(-1)?.tx_id ?? null) : null,
  };
}
