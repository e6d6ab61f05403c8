/**
 * `pintu ledger verify`: proves the ledger's invariants with set-based SQL over the whole history.
 * Each check returns its breaches (capped) so an operator sees which book, account or transaction.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';

export interface Breach {
  [key: string]: string | number | null;
}

export interface CheckResult {
  name: string;
  description: string;
  ok: boolean;
  breaches: Breach[];
}

export interface VerifyReport {
  ok: boolean;
  checkedAt: string;
  checks: CheckResult[];
  unsealed: {
    transactions: number;
    books: { bookId: string; koperasiId: string | null; transactions: number }[];
  };
}

/** A check contributed by another domain (e.g. payments ↔ holds); same shape as the ledger's own. */
export interface VerifyCheck {
  name: string;
  description: string;
  query: ReturnType<typeof sql>;
}

const LIMIT = 50;

export const LEDGER_CHECKS: VerifyCheck[] = [
  {
    name: 'transactions_balance',
    description: 'every journal transaction has at least two entries and balances in every book it touches',
    query: sql`
      SELECT t.id::text AS tx_id, e.book_id::text AS book_id, coalesce(e.debits, 0)::text AS debits,
             coalesce(e.credits, 0)::text AS credits, coalesce(e.n, 0)::int AS entries
      FROM journal_transactions t
      LEFT JOIN (
        SELECT tx_id, book_id, sum(amount) FILTER (WHERE side = 'D') AS debits,
               sum(amount) FILTER (WHERE side = 'C') AS credits, count(*) AS n
        FROM entries GROUP BY tx_id, book_id
      ) e ON e.tx_id = t.id
      WHERE e.tx_id IS NULL OR coalesce(e.debits, 0) <> coalesce(e.credits, 0)
         OR (SELECT count(*) FROM entries x WHERE x.tx_id = t.id) < 2`,
  },
  {
    name: 'balances_equal_entries',
    description: "every account's balance equals the sum of its entries",
    query: sql`
      WITH ent AS (
        SELECT e.account_id,
               sum(CASE WHEN (e.side = 'D') = (a.type IN ('asset', 'expense')) THEN e.amount ELSE -e.amount END) AS total
        FROM entries e JOIN accounts a ON a.id = e.account_id GROUP BY e.account_id
      ), bal AS (SELECT account_id, sum(balance) AS total FROM account_balances GROUP BY account_id)
      SELECT a.id::text AS account_id, a.book_id::text AS book_id, a.code,
             coalesce(bal.total, 0)::text AS balance, coalesce(ent.total, 0)::text AS entries_sum
      FROM accounts a LEFT JOIN ent ON ent.account_id = a.id LEFT JOIN bal ON bal.account_id = a.id
      WHERE coalesce(bal.total, 0) <> coalesce(ent.total, 0)
         OR (SELECT count(*) FROM account_balances b WHERE b.account_id = a.id) <> a.buckets`,
  },
  {
    name: 'no_negative_savings',
    description: 'no non-negative account (member savings) is below zero',
    query: sql`
      SELECT a.id::text AS account_id, a.book_id::text AS book_id, a.code, b.balance::text AS balance
      FROM accounts a JOIN account_balances b ON b.account_id = a.id
      WHERE a.non_negative AND (b.balance < 0 OR NOT b.non_negative)`,
  },
  {
    name: 'hash_chains_intact',
    description: 'every sealed transaction still hashes to its seal and each seal links to the previous one',
    query: sql`
      SELECT s.book_id::text AS book_id, s.seq::text AS seq, s.tx_id::text AS tx_id,
             CASE WHEN s.seq <> coalesce(s.prev_seq, 0) + 1 THEN 'sequence gap'
                  WHEN s.prev_hash <> coalesce(s.prev_actual, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                    THEN 'broken link to previous seal'
                  ELSE 'content no longer matches its seal' END AS problem
      FROM (
        SELECT js.*, lag(js.hash) OVER w AS prev_actual, lag(js.seq) OVER w AS prev_seq
        FROM journal_seals js WINDOW w AS (PARTITION BY js.book_id ORDER BY js.seq)
      ) s
      WHERE s.seq <> coalesce(s.prev_seq, 0) + 1
         OR s.prev_hash <> coalesce(s.prev_actual, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
         OR s.hash IS DISTINCT FROM sha256(s.prev_hash || pintu_tx_digest(s.tx_id, s.book_id))`,
  },
  {
    name: 'every_transaction_sealed_or_queued',
    description: 'each transaction is sealed in every book it touches, or still queued for sealing',
    query: sql`
      SELECT p.tx_id::text AS tx_id, p.book_id::text AS book_id
      FROM (SELECT DISTINCT tx_id, book_id FROM entries) p
      WHERE NOT EXISTS (SELECT 1 FROM journal_seals s WHERE s.book_id = p.book_id AND s.tx_id = p.tx_id)
        AND NOT EXISTS (SELECT 1 FROM unsealed u WHERE u.tx_id = p.tx_id)`,
  },
  {
    name: 'holds_match_in_flight',
    description: "each book's in-flight balance equals its pending holds, and each hold's postings exist",
    query: sql`
      SELECT a.book_id::text AS book_id, coalesce(b.total, 0)::text AS in_flight_balance,
             coalesce(h.total, 0)::text AS pending_holds
      FROM accounts a
      LEFT JOIN (SELECT account_id, sum(balance) AS total FROM account_balances GROUP BY account_id) b ON b.account_id = a.id
      LEFT JOIN (SELECT hold_account_id, sum(amount) AS total FROM holds WHERE status = 'pending' GROUP BY hold_account_id) h
        ON h.hold_account_id = a.id
      WHERE a.code = 'in_flight' AND coalesce(b.total, 0) <> coalesce(h.total, 0)
      UNION ALL
      SELECT h.book_id::text, 'hold ' || h.id::text, h.status
      FROM holds h
      WHERE NOT EXISTS (SELECT 1 FROM journal_transactions t WHERE t.id = h.hold_tx_id)
         OR (h.status = 'pending') <> (h.final_tx_id IS NULL)
         OR (h.final_tx_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM journal_transactions t WHERE t.id = h.final_tx_id))`,
  },
  {
    name: 'append_only_enforced',
    description: 'the database triggers that reject UPDATE/DELETE of ledger history are present and enabled',
    query: sql`
      SELECT expected.name AS trigger_name
      FROM (VALUES ('entries_append_only'), ('entries_no_truncate'), ('journal_transactions_append_only'),
                   ('journal_seals_append_only'), ('audit_log_append_only'), ('entries_balanced'),
                   ('ledger_checkpoints_append_only'), ('ledger_verifications_append_only')) AS expected(name)
      WHERE NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgname = expected.name AND t.tgenabled = 'O')`,
  },
];

async function runCheck(db: DbOrTx, check: VerifyCheck): Promise<CheckResult> {
  const result = await db.execute<Breach>(sql`SELECT * FROM (${check.query}) AS breaches LIMIT ${LIMIT}`);
  return {
    name: check.name,
    description: check.description,
    ok: result.rows.length === 0,
    breaches: result.rows,
  };
}

export async function verifyLedger(db: DbOrTx, extraChecks: VerifyCheck[] = []): Promise<VerifyReport> {
  const checks: CheckResult[] = [];
  for (const check of [...LEDGER_CHECKS, ...extraChecks]) checks.push(await runCheck(db, check));
  const tail = await db.execute<{ book_id: string; koperasi_id: string | null; n: number }>(sql`
    SELECT e.book_id::text AS book_id, b.koperasi_id::text AS koperasi_id, count(DISTINCT u.tx_id)::int AS n
    FROM unsealed u JOIN entries e ON e.tx_id = u.tx_id JOIN books b ON b.id = e.book_id
    GROUP BY e.book_id, b.koperasi_id ORDER BY e.book_id`);
  const unsealedTotal = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM unsealed`);
  return {
    ok: checks.every((c) => c.ok),
    checkedAt: new Date().toISOString(),
    checks,
    unsealed: {
      transactions: unsealedTotal.rows[0]?.n ?? 0,
      books: tail.rows.map((r) => ({ bookId: r.book_id, koperasiId: r.koperasi_id, transactions: r.n })),
    },
  };
}
