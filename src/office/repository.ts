/**
 * The office side's reads and accounts: office users (operators, supervisors) and the per-koperasi figures of
 * the office console. Every figure query takes the caller's region (null = every koperasi) and groups by
 * koperasi in one statement, so the console costs the same few queries for 1 koperasi or 94.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { officeUsers } from '../db/schema/index.js';
import { OPEN_STATUSES_SQL } from '../payments/lifecycle.js';

export type OfficeUserRow = typeof officeUsers.$inferSelect;

export async function findOfficeUserByUsername(db: DbOrTx, username: string) {
  const rows = await db.select().from(officeUsers).where(eq(officeUsers.username, username)).limit(1);
  return rows[0];
}

export async function findOfficeUser(db: DbOrTx, id: string) {
  const rows = await db.select().from(officeUsers).where(eq(officeUsers.id, id)).limit(1);
  return rows[0];
}

/** Insert an office user; undefined when the username is taken. */
export async function insertOfficeUser(
  db: DbOrTx,
  input: {
    role: 'operator' | 'supervisor';
    username: string;
    name: string;
    passwordHash: string;
    region: string | null;
  },
): Promise<OfficeUserRow | undefined> {
  const rows = await db.insert(officeUsers).values(input).onConflictDoNothing().returning();
  return rows[0];
}

/** `AND k.region = …` for a supervisor; nothing for an operator (region null). */
const inRegion = (region: string | null) => (region === null ? sql`` : sql`AND k.region = ${region}`);

export interface KoperasiRef {
  id: string;
  code: string;
  name: string;
  region: string | null;
}

export async function koperasiInRegion(
  db: DbOrTx,
  region: string | null,
  id?: string,
): Promise<KoperasiRef[]> {
  const rows = await db.execute<KoperasiRef & Record<string, unknown>>(sql`
    SELECT k.id, k.code, k.name, k.region FROM koperasi k
    WHERE true ${inRegion(region)} ${id ? sql`AND k.id = ${id}` : sql``}
    ORDER BY k.name`);
  return rows.rows;
}

type Range = { start: Date; end: Date };

export interface PaymentFigures {
  koperasi_id: string;
  payments: number;
  total: string;
}

/** Successful payments (count, total charged) per koperasi in a time range. */
export async function paymentFigures(db: DbOrTx, region: string | null, { start, end }: Range, id?: string) {
  const rows = await db.execute<PaymentFigures & Record<string, unknown>>(sql`
    SELECT p.koperasi_id, count(*)::int AS payments, sum(p.total)::text AS total
    FROM payments p JOIN koperasi k ON k.id = p.koperasi_id
    WHERE p.status = 'success' AND p.created_at >= ${start} AND p.created_at < ${end}
      ${inRegion(region)} ${id ? sql`AND k.id = ${id}` : sql``}
    GROUP BY p.koperasi_id`);
  return rows.rows;
}

export interface LedgerFigures {
  koperasi_id: string;
  fee_income: string;
  commission_income: string;
  deposits: string;
}

/**
 * Fee income, commission income (credit movement of the income accounts) and deposits (debit movement of the
 * deposit cash account) per koperasi over a range, from the journal: the same source as the daily report.
 */
export async function ledgerFigures(db: DbOrTx, region: string | null, { start, end }: Range, id?: string) {
  const rows = await db.execute<LedgerFigures & Record<string, unknown>>(sql`
    SELECT b.koperasi_id,
           coalesce(sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END) FILTER (WHERE a.code = 'fee_income'), 0)::text AS fee_income,
           coalesce(sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END) FILTER (WHERE a.code = 'commission_income'), 0)::text AS commission_income,
           coalesce(sum(CASE WHEN e.side = 'D' THEN e.amount ELSE -e.amount END) FILTER (WHERE a.code = 'deposits_cash'), 0)::text AS deposits
    FROM koperasi k
    JOIN books b ON b.koperasi_id = k.id
    JOIN accounts a ON a.book_id = b.id AND a.code IN ('fee_income', 'commission_income', 'deposits_cash')
    JOIN entries e ON e.account_id = a.id
    JOIN journal_transactions t ON t.id = e.tx_id
    WHERE t.created_at >= ${start} AND t.created_at < ${end} ${inRegion(region)} ${id ? sql`AND k.id = ${id}` : sql``}
    GROUP BY b.koperasi_id`);
  return rows.rows;
}

export interface StateFigures {
  koperasi_id: string;
  members: number;
  active_members: number;
  pin_lockouts: number;
  open_suspects: number;
  oldest_suspect_since: Date | null;
  review_payments: number;
  review_recon: number;
  unreconciled_days: number;
}

/**
 * What is true now per koperasi: members, active members (a payment in the last 30 days), PIN lockouts, open
 * suspects and the oldest, payments and reconciliation items waiting for a person, and days with payments that
 * no finished reconciliation has covered although their settlement is due (the WIB day ended over 12 h ago).
 */
export async function stateFigures(db: DbOrTx, region: string | null, now: Date, id?: string) {
  const rows = await db.execute<StateFigures & Record<string, unknown>>(sql`
    SELECT k.id AS koperasi_id,
      (SELECT count(*)::int FROM users u WHERE u.koperasi_id = k.id AND u.role = 'member') AS members,
      (SELECT count(DISTINCT p.member_id)::int FROM payments p
        WHERE p.koperasi_id = k.id AND p.created_at >= ${now}::timestamptz - interval '30 days') AS active_members,
      (SELECT count(*)::int FROM users u WHERE u.koperasi_id = k.id AND u.pin_locked_at IS NOT NULL) AS pin_lockouts,
      (SELECT count(*)::int FROM payments p WHERE p.koperasi_id = k.id AND p.status = 'suspect') AS open_suspects,
      (SELECT min(coalesce(p.suspect_since, p.created_at)) FROM payments p
        WHERE p.koperasi_id = k.id AND p.status = 'suspect') AS oldest_suspect_since,
      (SELECT count(*)::int FROM payments p
        WHERE p.koperasi_id = k.id AND p.status IN ${OPEN_STATUSES_SQL} AND p.review_reason IS NOT NULL) AS review_payments,
      (SELECT count(*)::int FROM recon_items i
        JOIN (SELECT DISTINCT ON (adapter, settlement_date) id FROM recon_runs
              WHERE finished_at IS NOT NULL AND started_at >= ${now}::timestamptz - interval '30 days'
              ORDER BY adapter, settlement_date, started_at DESC) r ON r.id = i.run_id
        WHERE i.koperasi_id = k.id AND i.action = 'needs_review') AS review_recon,
      (SELECT count(DISTINCT (p.adapter, (p.created_at AT TIME ZONE 'Asia/Jakarta')::date))::int FROM payments p
        WHERE p.koperasi_id = k.id AND p.status <> 'failed'
          AND p.created_at >= ${now}::timestamptz - interval '14 days'
          AND ((p.created_at AT TIME ZONE 'Asia/Jakarta')::date + interval '36 hours') < (${now}::timestamptz AT TIME ZONE 'Asia/Jakarta')
          AND NOT EXISTS (SELECT 1 FROM recon_runs r WHERE r.adapter = p.adapter AND r.finished_at IS NOT NULL
                          AND r.settlement_date = ((p.created_at AT TIME ZONE 'Asia/Jakarta')::date)::text)
      ) AS unreconciled_days
    FROM koperasi k WHERE true ${inRegion(region)} ${id ? sql`AND k.id = ${id}` : sql``}`);
  return rows.rows;
}

export interface ReconFigure {
  koperasi_id: string;
  adapter: string;
  settlement_date: string;
  started_at: Date;
  finished_at: Date | null;
  matched: number;
  differences: number;
}

/**
 * Reconciliation runs as one koperasi sees them: per run, its items that matched and those that did not. The
 * latest `perAdapter` runs of each upstream for each koperasi of the region.
 */
export async function reconFigures(db: DbOrTx, region: string | null, perAdapter: number, id?: string) {
  const rows = await db.execute<ReconFigure & Record<string, unknown>>(sql`
    SELECT k.id AS koperasi_id, r.adapter, r.settlement_date, r.started_at, r.finished_at,
           coalesce(c.matched, 0)::int AS matched, coalesce(c.differences, 0)::int AS differences
    FROM koperasi k
    CROSS JOIN LATERAL (
      SELECT * FROM (
        SELECT r.*, row_number() OVER (PARTITION BY r.adapter ORDER BY r.settlement_date DESC, r.started_at DESC) AS n
        FROM recon_runs r
        WHERE EXISTS (SELECT 1 FROM payments p WHERE p.koperasi_id = k.id AND p.adapter = r.adapter)
      ) ranked WHERE n <= ${perAdapter}
    ) r
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE i.class = 'matched') AS matched,
             count(*) FILTER (WHERE i.class <> 'matched') AS differences
      FROM recon_items i WHERE i.run_id = r.id AND i.koperasi_id = k.id
    ) c ON true
    WHERE true ${inRegion(region)} ${id ? sql`AND k.id = ${id}` : sql``}
    ORDER BY k.id, r.settlement_date DESC, r.started_at DESC`);
  return rows.rows;
}

/** Fee income per WIB day over [start, end), for one koperasi. */
export async function feeIncomeByDay(db: DbOrTx, koperasiId: string, { start, end }: Range) {
  const rows = await db.execute<{ day: string; amount: string }>(sql`
    SELECT to_char(t.created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD') AS day,
           sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END)::text AS amount
    FROM books b
    JOIN accounts a ON a.book_id = b.id AND a.code = 'fee_income'
    JOIN entries e ON e.account_id = a.id
    JOIN journal_transactions t ON t.id = e.tx_id
    WHERE b.koperasi_id = ${koperasiId} AND t.created_at >= ${start} AND t.created_at < ${end}
    GROUP BY 1 ORDER BY 1`);
  return rows.rows;
}

/** Successful payments by product over a range, for one koperasi. */
export async function paymentsByProduct(db: DbOrTx, koperasiId: string, { start, end }: Range) {
  const rows = await db.execute<{ product: string; payments: number; total: string }>(sql`
    SELECT product, count(*)::int AS payments, sum(total)::text AS total FROM payments
    WHERE koperasi_id = ${koperasiId} AND status = 'success' AND created_at >= ${start} AND created_at < ${end}
    GROUP BY product ORDER BY sum(total) DESC`);
  return rows.rows;
}
