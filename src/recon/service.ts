/**
 * A reconciliation run: get the settlement file (uploaded, or fetched from the adapter), ingest it,
 * match it, resolve what is safe. Re-runnable: the same file is ingested once; settled payments are
 * not settled again.
 */
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { previousWibDate, wibDate, wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type IngestResult, ingestSettlement } from './ingest.js';
import { type ReconSummary, reconcileDay } from './reconcile.js';
import { OPEN_STATUSES_SQL } from '../payments/lifecycle.js';

export interface ReconResult {
  file: IngestResult;
  recon: ReconSummary;
}

export async function runReconciliation(
  deps: Deps,
  input: { adapter: string; date: string; trigger: string; upload?: Readable },
): Promise<ReconResult> {
  const registered = deps.billers.get(input.adapter);
  if (!registered && !input.upload)
    throw new AppError('ADAPTER_UNKNOWN', `no adapter named ${input.adapter}`);
  if (input.date >= wibDate(deps.clock.now())) {
    throw new AppError(
      'REPORT_DATE_INVALID',
      'a settlement covers a finished WIB day: use a date before today',
    );
  }
  let stream = input.upload;
  if (!stream) {
    try {
      stream = await registered!.adapter.fetchSettlement(input.date);
    } catch (error) {
      throw new AppError(
        'SETTLEMENT_NOT_AVAILABLE',
        `the ${input.adapter} settlement for ${input.date} is not available: ${(error as Error).message}`,
      );
    }
  }
  const file = await ingestSettlement(deps, {
    adapter: input.adapter,
    date: input.date,
    source: input.upload ? 'uploaded' : 'fetched',
    stream,
  });
  const recon = await reconcileDay(deps, {
    adapter: input.adapter,
    date: input.date,
    trigger: input.trigger,
  });
  return { file, recon };
}

/**
 * The scheduled morning run: yesterday (WIB), every adapter; then earlier days (RECON_REVISIT_DAYS)
 * still waiting: items in their grace window or open payments a run could not decide are matched
 * again against the latest file, and days that never got a file are fetched again (a late file).
 * One adapter's or day's failure does not stop the rest.
 */
export async function reconcileYesterday(
  deps: Deps,
): Promise<{ adapter: string; date: string; ok: boolean; error?: string }[]> {
  const today = wibDate(deps.clock.now());
  const date = previousWibDate(today);
  const results = [];
  for (const adapter of deps.billers.names()) {
    for (const day of [date, ...(await daysToRevisit(deps, adapter, date))]) {
      try {
        if (day !== date && (await hasFile(deps, adapter, day))) {
          await reconcileDay(deps, { adapter, date: day, trigger: 'revisit' });
        } else {
          await runReconciliation(deps, {
            adapter,
            date: day,
            trigger: day === date ? 'schedule' : 'revisit',
          });
        }
        results.push({ adapter, date: day, ok: true });
      } catch (error) {
        deps.log.error({ err: error, adapter, date: day }, 'scheduled reconciliation failed');
        // Only yesterday's missing file makes the job retry; an old day is tried again tomorrow.
        results.push({ adapter, date: day, ok: day !== date, error: (error as Error).message });
      }
    }
  }
  return results;
}

async function hasFile(deps: Pick<Deps, 'db'>, adapter: string, date: string): Promise<boolean> {
  const rows = await deps.db.execute(
    sql`SELECT 1 FROM settlement_files WHERE adapter = ${adapter} AND settlement_date = ${date} LIMIT 1`,
  );
  return rows.rows.length > 0;
}

/**
 * Earlier days of `adapter` worth another run: their latest run left items waiting (grace window, or
 * a payment still open), or they have attempts but no file at all yet.
 */
async function daysToRevisit(deps: Deps, adapter: string, before: string): Promise<string[]> {
  const days = deps.config.RECON_REVISIT_DAYS;
  if (days === 0) return [];
  let from = before;
  for (let i = 0; i < days; i++) from = previousWibDate(from);
  const { start } = wibDayRange(from);
  const { start: end } = wibDayRange(before);
  const rows = await deps.db.execute<{ day: string }>(sql`
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

/** A koperasi's reconciliation items of a day (latest run per adapter), for the treasurer. */
export async function reconItemsFor(deps: Pick<Deps, 'db'>, koperasiId: string, date: string) {
  const rows = await deps.db.execute<{
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

/**
 * The latest run per adapter for a WIB date, counted over this koperasi's items only (run summaries
 * span every koperasi). No run yet means the day is not reconciled.
 */
export async function reconRunsFor(deps: Pick<Deps, 'db'>, koperasiId: string, date: string) {
  const rows = await deps.db.execute<{
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
  const runs = new Map<
    string,
    { adapter: string; startedAt: string; finishedAt: string | null; counts: Record<string, number> }
  >();
  for (const r of rows.rows) {
    const run = runs.get(r.adapter) ?? {
      adapter: r.adapter,
      startedAt: new Date(r.started_at).toISOString(),
      finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      counts: {},
    };
    if (r.class) run.counts[r.class] = r.n;
    runs.set(r.adapter, run);
  }
  return [...runs.values()];
}
