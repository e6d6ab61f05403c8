/**
 * Reconciliation's reads for scheduling and for the treasurer (the matching itself is reconcile.ts's statement,
 * ingestion ingest.ts's COPY).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { OPEN_STATUSES_SQL } from '../payments/lifecycle.js';

export async function hasSettlementFile(db: DbOrTx, adapter: string, date: string): Promise<boolean> {
  const rows = await db.execute(
    sql`SELECT 1 FROM settlement_files WHERE adapter = ${adapter} AND settlement_date = ${date} LIMIT 1`,
  );
  return rows.rows.length > 0;
}

/**
 * Days of `adapter` in [from, before) whose latest run left items waiting (grace window, or a payment still open),
 * or that have attempts (sent in [start, end)) but no file at all yet.
 */
export async function revisitableDays(
  db: DbOrTx,
  adapter: string,
  range: { from: string; before: string; start: Date; end: Date },
): Promise<string[]> {
  const { from, before, start, end } = range;
  const rows = await db.execute<{ day: string }>(sql`
    WITH latest AS (
      SELECT DISTINCT ON (settlement_date) id, settlement_date FROM recon_runs
      WHERE adapter = ${adapter} AND settlement_date >= ${from} AND settlement_date < ${before}
      ORDER BY settlement_date, started_at DESC
    ), waiting AS (
      SELECT DISTINCT l.settlement_date AS day FROM latest l JOIN recon_items i ON i.run_id = l.id
      LEFT JOIN payments p ON p.id = i.payment_id
      WHERE i.action = 'waiting_grace' OR (i.action IN ('needs_review', 'status_check') AND p.status IN ${OPEN_STATUSES_SQL})
    ), unfiled AS (
      SELECT DISTINCT to_char(a.sent_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD') AS day FROM payment_attempts a
      WHERE a.adapter = ${adapter} AND a.sent_at >= ${start} AND a.sent_at < ${end}
        AND NOT EXISTS (SELECT 1 FROM settlement_files f WHERE f.adapter = ${adapter}
                          AND f.settlement_date = to_char(a.sent_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD'))
    )
    SELECT day FROM waiting UNION SELECT day FROM unfiled ORDER BY day`);
  return rows.rows.map((r) => r.day);
}

/** A koperasi's reconciliation items of a day that are not matched, from the latest run per adapter. */
export async function reconItemsOf(db: DbOrTx, koperasiId: string, date: string) {
  const rows = await db.execute<{
    adapter: string;
    ref_id: string;
    payment_id: string | null;
    class: string;
    action: string;
    our_status: string | null;
    upstream_status: string | null;
    note: string | null;
    run_at: Date;
  }>(sql`
    WITH latest AS (
      SELECT DISTINCT ON (adapter) id, adapter, started_at FROM recon_runs
      WHERE settlement_date = ${date} ORDER BY adapter, started_at DESC
    )
    SELECT l.adapter, i.ref_id, i.payment_id, i.class, i.action, i.our_status, i.upstream_status, i.note, l.started_at AS run_at
    FROM latest l JOIN recon_items i ON i.run_id = l.id
    WHERE i.koperasi_id = ${koperasiId} AND i.class <> 'matched'
    ORDER BY i.class, i.ref_id LIMIT 1000`);
  return rows.rows;
}

/** The latest run per adapter for a WIB date with this koperasi's item counts per class. */
export async function latestRunCounts(db: DbOrTx, koperasiId: string, date: string) {
  const rows = await db.execute<{
    adapter: string;
    started_at: Date;
    finished_at: Date | null;
    class: string | null;
    n: number;
  }>(sql`
    WITH latest AS (
      SELECT DISTINCT ON (adapter) id, adapter, started_at, finished_at FROM recon_runs
      WHERE settlement_date = ${date} ORDER BY adapter, started_at DESC
    )
    SELECT l.adapter, l.started_at, l.finished_at, i.class, count(i.ref_id)::int AS n
    FROM latest l LEFT JOIN recon_items i ON i.run_id = l.id AND i.koperasi_id = ${koperasiId}
    GROUP BY l.adapter, l.started_at, l.finished_at, i.class ORDER BY l.adapter`);
  return rows.rows;
}

/**
 * Reconciliation items that wait for a person (`needs_review`) in the latest finished run of each upstream and
 * day of the last `days` days, with the evidence (both sides' status, amount and price, the note) and the
 * payment's current state, oldest day first: the treasurer's "Perlu konfirmasi" list shows them.
 */
export async function reviewItemsOf(db: DbOrTx, koperasiId: string, since: string) {
  const rows = await db.execute<{
    adapter: string;
    settlement_date: string;
    ref_id: string;
    payment_id: string | null;
    class: string;
    our_status: string | null;
    upstream_status: string | null;
    our_amount: string | null;
    upstream_amount: string | null;
    our_price: string | null;
    upstream_price: string | null;
    note: string | null;
    run_at: Date;
    payment_status: string | null;
    product: string | null;
    member_no: string | null;
    member_name: string | null;
  }>(sql`
    WITH latest AS (
      SELECT DISTINCT ON (adapter, settlement_date) id, adapter, settlement_date, started_at FROM recon_runs
      WHERE finished_at IS NOT NULL AND settlement_date >= ${since}
      ORDER BY adapter, settlement_date, started_at DESC
    )
    SELECT l.adapter, l.settlement_date, i.ref_id, i.payment_id, i.class, i.our_status, i.upstream_status,
           i.our_amount::text, i.upstream_amount::text, i.our_price::text, i.upstream_price::text, i.note,
           l.started_at AS run_at, p.status AS payment_status, p.product, u.username AS member_no, u.name AS member_name
    FROM latest l JOIN recon_items i ON i.run_id = l.id
    LEFT JOIN payments p ON p.id = i.payment_id
    LEFT JOIN users u ON u.id = p.member_id
    WHERE i.koperasi_id = ${koperasiId} AND i.action = 'needs_review'
    ORDER BY l.settlement_date, i.ref_id LIMIT 500`);
  return rows.rows;
}
