/**
 * A reconciliation run: get the settlement file (uploaded, or fetched from the adapter), ingest it,
 * match it, resolve what is safe. Re-runnable: the same file is ingested once; settled payments are
 * not settled again.
 */
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { previousWibDate, wibDate } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type IngestResult, ingestSettlement } from './ingest.js';
import { type ReconSummary, reconcileDay } from './reconcile.js';

export interface ReconResult {
  file: IngestResult;
  recon: ReconSummary;
}

export async function runReconciliation(
  deps: Deps,
  input: { adapter: string; date: string; trigger: string; upload?: Readable },
): Promise<ReconResult> {
  const registered = deps.billers.get(input.adapter);
  if (!registered && !input.upload) throw new AppError('ADAPTER_UNKNOWN', `no adapter named ${input.adapter}`);
  if (input.date >= wibDate(deps.clock.now())) {
    throw new AppError('REPORT_DATE_INVALID', 'a settlement covers a finished WIB day: use a date before today');
  }
  let stream = input.upload;
  if (!stream) {
    try {
      stream = await registered!.adapter.fetchSettlement(input.date);
    } catch (error) {
      throw new AppError('SETTLEMENT_NOT_AVAILABLE', `the ${input.adapter} settlement for ${input.date} is not available: ${(error as Error).message}`);
    }
  }
  const file = await ingestSettlement(deps, { adapter: input.adapter, date: input.date, source: input.upload ? 'uploaded' : 'fetched', stream });
  const recon = await reconcileDay(deps, { adapter: input.adapter, date: input.date, trigger: input.trigger });
  return { file, recon };
}

/** The scheduled morning run: yesterday (WIB), every adapter; one adapter's failure does not stop the rest. */
export async function reconcileYesterday(deps: Deps): Promise<{ adapter: string; ok: boolean; error?: string }[]> {
  const date = previousWibDate(wibDate(deps.clock.now()));
  const results = [];
  for (const adapter of deps.billers.names()) {
    try {
      await runReconciliation(deps, { adapter, date, trigger: 'schedule' });
      results.push({ adapter, ok: true });
    } catch (error) {
      deps.log.error({ err: error, adapter, date }, 'scheduled reconciliation failed');
      results.push({ adapter, ok: false, error: (error as Error).message });
    }
  }
  return results;
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
  const rows = await deps.db.execute<{ adapter: string; started_at: Date; finished_at: Date | null; class: string | null; n: number }>(sql`
    WITH latest AS (
      SELECT DISTINCT ON (adapter) id, adapter, started_at, finished_at FROM recon_runs
      WHERE settlement_date = ${date} ORDER BY adapter, started_at DESC
    )
    SELECT l.adapter, l.started_at, l.finished_at, i.class, count(i.ref_id)::int AS n
    FROM latest l LEFT JOIN recon_items i ON i.run_id = l.id AND i.koperasi_id = ${koperasiId}
    GROUP BY l.adapter, l.started_at, l.finished_at, i.class ORDER BY l.adapter`);
  const runs = new Map<string, { adapter: string; startedAt: string; finishedAt: string | null; counts: Record<string, number> }>();
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
