/**
 * A reconciliation run: get the settlement file (uploaded, or fetched from the adapter), ingest it,
 * match it, resolve what is safe. Re-runnable: the same file is ingested once; settled payments are
 * not settled again.
 */
import type { Readable } from 'node:stream';
import { previousWibDate, wibDate, wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type IngestResult, ingestSettlement } from './ingest.js';
import { type ReconSummary, reconcileDay } from './reconcile.js';
import { hasSettlementFile, latestRunCounts, reconItemsOf, revisitableDays } from './repository.js';

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
        if (day !== date && (await hasSettlementFile(deps.db, adapter, day))) {
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
  return revisitableDays(deps.db, adapter, { from, before, start, end });
}

/** A koperasi's reconciliation items of a day (latest run per adapter), for the treasurer. */
export const reconItemsFor = (deps: Pick<Deps, 'db'>, koperasiId: string, date: string) =>
  reconItemsOf(deps.db, koperasiId, date);

/**
 * The latest run per adapter for a WIB date, counted over this koperasi's items only (run summaries
 * span every koperasi). No run yet means the day is not reconciled.
 */
export async function reconRunsFor(deps: Pick<Deps, 'db'>, koperasiId: string, date: string) {
  const rows = await latestRunCounts(deps.db, koperasiId, date);
  const runs = new Map<
    string,
    { adapter: string; startedAt: string; finishedAt: string | null; counts: Record<string, number> }
  >();
  for (const r of rows) {
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
