/**
 * `npm run bench:recon`: reconcile a generated settlement file of BENCH_RECON_ROWS rows (default
 * 1,000,000) against as many payments, and stream a BENCH_REPORT_ROWS-payment (default 100,000)
 * daily CSV report. Prints time and peak RSS of this process; the last line is one JSON object.
 */
import { createReadStream, createWriteStream, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { writeSyntheticSettlement } from '../adapters/sandbox/index.js';
import { loadConfig } from '../src/config.js';
import { buildDeps } from '../src/deps.js';
import { createLogger } from '../src/logger.js';
import { runReconciliation } from '../src/recon/service.js';
import { buildDailyReport } from '../src/reports/daily.js';
import { renderReport } from '../src/reports/render.js';
import { seedKoperasi } from './fixtures.js';
import { REDIS_URL, freshDatabase } from './stack.js';

const ROWS = Number(process.env.BENCH_RECON_ROWS ?? 1_000_000);
const REPORT_ROWS = Number(process.env.BENCH_REPORT_ROWS ?? 100_000);
const DATE = '2026-11-27';
const REPORT_DATE = '2026-11-26';

/** Peak resident memory of this process, sampled every 20 ms while `work` runs. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const result = await work();
    return {
      result,
      seconds: (performance.now() - started) / 1000,
      peakRssMb: Math.round((Math.max(peak, process.memoryUsage().rss) / 1024 / 1024) * 10) / 10,
    };
  } finally {
    clearInterval(timer);
  }
}

/** Payments as the settlement will list them: bill 50 000 + (i mod 4 500) × 100, admin 2 500, commission 500. */
function generatePayments(
  koperasiId: string,
  memberId: string,
  count: number,
  date: string,
  refPrefix: string,
) {
  return sql`
    WITH g AS (
      SELECT i, 50000 + (i % 4500) * 100 AS bill,
             ${`${date}T00:00:01+07:00`}::timestamptz + make_interval(secs => (i::double precision * 86000 / ${count}::int)) AS at
      FROM generate_series(0, ${count - 1}::int) AS i
    )
    INSERT INTO payments (id, koperasi_id, member_id, quote_id, product, customer_no, customer_name, periods, bill_amount,
                          penalty, admin_fee, koperasi_fee, price, total, status, hold_id, adapter, ref_id, upstream_ref,
                          created_at, finished_at, updated_at)
    SELECT gen_random_uuid(), ${koperasiId}::uuid, ${memberId}::uuid, gen_random_uuid(), 'PLN_POSTPAID', '53' || lpad(i::text, 10, '0'),
           'PELANGGAN ' || i, '["202611"]'::jsonb, bill, 0, 2500, 1000, bill + 2000, bill + 3500, 'success', 0, 'digiflazz',
           ${refPrefix} || i, 'SN' || i, at, at, at
    FROM g`;
}

async function main(): Promise<void> {
  const url = await freshDatabase(`pintu_bench_recon_${process.pid}`);
  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL,
    REDIS_PREFIX: `pintu-bench-recon-${process.pid}`,
    LOG_LEVEL: 'warn',
  });
  const deps = buildDeps(config, {
    log: createLogger({ level: 'warn' }),
    upstreamUrls: { digiflazz: 'http://127.0.0.1:9/digiflazz' },
    name: 'bench-recon',
  });
  const file = `${os.tmpdir()}/pintu-settlement-${process.pid}.csv`;
  try {
    const [member] = await seedKoperasi(deps.db, deps.ledger, {
      koperasi: 1,
      membersEach: 1,
      savings: 1n,
      jwtSecret: config.JWT_SECRET,
      prefix: 'recon',
    });
    console.error(`generating ${ROWS} payments and their attempts…`);
    await deps.db.execute(generatePayments(member!.koperasiId, member!.memberId, ROWS, DATE, 'R'));
    await deps.db.execute(sql`
      INSERT INTO payment_attempts (payment_id, attempt_no, adapter, sku, ref_id, state, rc, price, sent_at, answered_at)
      SELECT id, 1, adapter, 'pln', ref_id, 'success', '00', price, created_at, created_at FROM payments`);
    await deps.db.execute(sql`ANALYZE`);

    console.error('writing the settlement file…');
    // Breaks planted: every 1000th row FAILED (status mismatch), every 997th a wrong amount, 100 phantoms; and
    // the last 100 of our payments are absent from the file (missing upstream).
    const listed = ROWS - 100;
    await writeSyntheticSettlement(createWriteStream(file), {
      date: DATE,
      rows: listed + 100,
      refIdFor: (i) => (i < listed ? `R${i}` : `PHANTOM${i}`),
      rowFor: (i) => ({
        billAmount: BigInt(50_000 + (i % 4_500) * 100),
        ...(i % 1_000 === 999 ? { status: 'FAILED' as const } : {}),
        ...(i % 997 === 996 ? { adminFee: 3_000n } : {}),
      }),
    });
    const size = statSync(file).size;

    console.error('reconciling…');
    const recon = await measured(() =>
      runReconciliation(deps, {
        adapter: 'digiflazz',
        date: DATE,
        trigger: 'bench',
        upload: createReadStream(file, { highWaterMark: 1 << 20 }),
      }),
    );

    console.error(`generating ${REPORT_ROWS} payments of one day for the report…`);
    await deps.db.execute(
      generatePayments(member!.koperasiId, member!.memberId, REPORT_ROWS, REPORT_DATE, 'D'),
    );
    await deps.db.execute(sql`ANALYZE payments`);
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    const report = await measured(async () => {
      const data = await buildDailyReport(deps, { id: member!.koperasiId }, REPORT_DATE);
      await renderReport('csv', data, sink);
    });

    const summary = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      recon: {
        rows: ROWS,
        fileMb: Math.round(size / 1024 / 1024),
        seconds: Math.round(recon.seconds * 10) / 10,
        peakRssMb: recon.peakRssMb,
        counts: recon.result.recon.counts,
        actions: recon.result.recon.actions,
      },
      report: {
        rows: REPORT_ROWS,
        bytes,
        seconds: Math.round(report.seconds * 100) / 100,
        peakRssMb: report.peakRssMb,
      },
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(
      JSON.stringify({
        recon_rows: ROWS,
        recon_s: summary.recon.seconds,
        recon_peak_rss_mb: recon.peakRssMb,
        report_rows: REPORT_ROWS,
        report_csv_s: summary.report.seconds,
      }),
    );
  } finally {
    try {
      unlinkSync(file);
    } catch {
      // never written
    }
    await deps.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
