/**
 * Matching one adapter's settlement file for one WIB date against our upstream attempts, in SQL,
 * then the safe automatic resolutions. Classes:
 *
 *   matched           both sides agree on the status and the amounts
 *   amount_mismatch   same status, different total or price                → a person
 *   status_mismatch   the upstream says otherwise                           → auto when safe, else a person
 *   missing_upstream  we sent it (that day) and the upstream does not list it
 *   missing_here      the upstream lists a ref_id we never sent (phantom)  → a person
 *
 * Safe automatically: a suspect the upstream settled as SUCCESS becomes success (posted); one it
 * settled as FAILED/REFUNDED, or that it does not list anywhere after the grace window, fails and is
 * refunded; a success it REFUNDED is reversed. Every automatic action is audited.
 */
import { sql } from 'drizzle-orm';
import { wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { newId } from '../ids.js';
import type { PayOutcome } from '../billers/port.js';
import { applyOutcome } from '../payments/outcome.js';
import { toRupiah } from '../money.js';

export interface ReconSummary {
  runId: string;
  adapter: string;
  date: string;
  fileId: string;
  counts: Record<string, number>;
  actions: Record<string, number>;
}

type ReconDeps = Parameters<typeof applyOutcome>[0];

async function latestFile(deps: Pick<Deps, 'db'>, adapter: string, date: string): Promise<string | undefined> {
  const rows = await deps.db.execute<{ id: string }>(sql`
    SELECT id FROM settlement_files WHERE adapter = ${adapter} AND settlement_date = ${date}
    ORDER BY ingested_at DESC LIMIT 1`);
  return rows.rows[0]?.id;
}

/** Classify every ref of the file and every attempt we sent that day, in one INSERT … SELECT. */
async function classify(deps: ReconDeps, runId: string, adapter: string, fileId: string, date: string, graceCutoff: Date) {
  const { start, end } = wibDayRange(date);
  await deps.db.execute(sql`
    WITH file AS (
      SELECT ref_id, status, total_amount, price, commission FROM settlement_rows WHERE file_id = ${fileId}
    ), ours AS (
      SELECT a.ref_id, a.payment_id, p.koperasi_id, a.sent_at,
             -- The payment's status belongs to the attempt that carries it; earlier attempts failed over.
             CASE WHEN p.ref_id = a.ref_id THEN p.status ELSE 'failed' END AS status,
             p.bill_amount + p.penalty + p.admin_fee AS amount,
             coalesce(a.price, p.price) AS price
      FROM payment_attempts a JOIN payments p ON p.id = a.payment_id
      WHERE a.adapter = ${adapter}
        AND (a.ref_id IN (SELECT ref_id FROM file) OR (a.sent_at >= ${start} AND a.sent_at < ${end}))
    ), joined AS (
      SELECT coalesce(f.ref_id, o.ref_id) AS ref_id, o.payment_id, o.koperasi_id, o.status AS our_status,
             f.status AS upstream_status, o.amount AS our_amount, f.total_amount AS upstream_amount,
             o.price AS our_price, f.price AS upstream_price, o.sent_at
      FROM file f FULL OUTER JOIN ours o ON o.ref_id = f.ref_id
    ), classified AS (
      SELECT j.*, CASE
        WHEN j.our_status IS NULL THEN 'missing_here'
        WHEN j.upstream_status IS NULL THEN CASE WHEN j.our_status = 'failed' THEN 'matched' ELSE 'missing_upstream' END
        WHEN (j.upstream_status = 'SUCCESS' AND j.our_status IN ('success', 'refunded'))
          OR (j.upstream_status = 'FAILED' AND j.our_status = 'failed')
          OR (j.upstream_status = 'REFUNDED' AND j.our_status = 'refunded')
          THEN CASE WHEN j.upstream_status = 'SUCCESS' AND (j.our_amount <> j.upstream_amount OR j.our_price <> j.upstream_price)
                    THEN 'amount_mismatch' ELSE 'matched' END
        ELSE 'status_mismatch' END AS class
      FROM joined j
    )
    INSERT INTO recon_items (run_id, ref_id, payment_id, koperasi_id, class, our_status, upstream_status,
                             our_amount, upstream_amount, our_price, upstream_price, action, note)
    SELECT ${runId}, c.ref_id, c.payment_id, c.koperasi_id, c.class, c.our_status, c.upstream_status,
           c.our_amount, c.upstream_amount, c.our_price, c.upstream_price,
           CASE
             WHEN c.class = 'matched' THEN 'none'
             WHEN c.class = 'status_mismatch' AND c.our_status IN ('suspect', 'processing') AND c.upstream_status = 'SUCCESS'
               AND c.our_amount = c.upstream_amount THEN 'auto_success'
             WHEN c.class = 'status_mismatch' AND c.our_status IN ('suspect', 'processing') THEN 'auto_failed'
             WHEN c.class = 'status_mismatch' AND c.our_status = 'success' AND c.upstream_status = 'REFUNDED' THEN 'auto_refund'
             -- Listed in another day's file (it settled across midnight)? Then that day's run decides.
             WHEN c.class = 'missing_upstream' AND c.our_status IN ('suspect', 'processing')
               AND NOT EXISTS (SELECT 1 FROM settlement_rows r JOIN settlement_files sf ON sf.id = r.file_id
                               WHERE sf.adapter = ${adapter} AND r.ref_id = c.ref_id)
               THEN CASE WHEN c.sent_at < ${graceCutoff} THEN 'auto_failed' ELSE 'waiting_grace' END
             ELSE 'needs_review' END,
           CASE c.class
             WHEN 'missing_here' THEN 'the upstream lists a transaction Pintu never sent'
             WHEN 'amount_mismatch' THEN 'total or price differs from the upstream'
             WHEN 'missing_upstream' THEN 'not in the upstream settlement'
             WHEN 'status_mismatch' THEN 'Pintu says ' || c.our_status || ', the upstream says ' || c.upstream_status
           END
    FROM classified c`);
}

interface ActionRow {
  ref_id: string;
  payment_id: string;
  action: 'auto_success' | 'auto_failed' | 'auto_refund';
  status: string | null;
  price: unknown;
  sn_or_token: string | null;
  rc: string | null;
  attempt_no: number;
}

function outcomeFor(row: ActionRow): PayOutcome {
  const rc = row.rc ?? 'RECON';
  switch (row.action) {
    case 'auto_success': {
      const sn = row.sn_or_token ?? '';
      const token = /^\d{4}(-\d{4}){4}/.exec(sn)?.[0];
      return { kind: 'success', upstreamRef: sn.split('/')[0] || `RECON-${row.ref_id}`, token, price: row.price === null ? undefined : toRupiah(row.price), rc, message: 'settled SUCCESS in the upstream settlement file' };
    }
    case 'auto_failed':
      return { kind: 'failed', rc, message: row.status ? `settled ${row.status} in the upstream settlement file` : 'not in any upstream settlement after the grace window', transactionCreated: true };
    case 'auto_refund':
      return { kind: 'refunded', rc, message: 'REFUNDED in the upstream settlement file' };
  }
}

export async function reconcileDay(
  deps: ReconDeps,
  input: { adapter: string; date: string; trigger: string },
): Promise<ReconSummary> {
  const fileId = await latestFile(deps, input.adapter, input.date);
  if (!fileId) throw new Error(`no settlement file for ${input.adapter} on ${input.date}`);
  const runId = newId();
  await deps.db.execute(sql`
    INSERT INTO recon_runs (id, adapter, settlement_date, file_id, trigger) VALUES (${runId}, ${input.adapter}, ${input.date}, ${fileId}, ${input.trigger})`);
  const graceCutoff = new Date(deps.clock.now().getTime() - deps.config.RECON_GRACE_HOURS * 3_600_000);
  await classify(deps, runId, input.adapter, fileId, input.date, graceCutoff);

  const actions = await deps.db.execute<ActionRow & Record<string, unknown>>(sql`
    SELECT i.ref_id, i.payment_id, i.action, r.status, r.price, r.sn_or_token, r.rc, a.attempt_no
    FROM recon_items i
    JOIN payment_attempts a ON a.adapter = ${input.adapter} AND a.ref_id = i.ref_id
    LEFT JOIN settlement_rows r ON r.file_id = ${fileId} AND r.ref_id = i.ref_id
    WHERE i.run_id = ${runId} AND i.action IN ('auto_success', 'auto_failed', 'auto_refund')`);
  const log = deps.log.child({ recon: runId, adapter: input.adapter, date: input.date });
  for (const row of actions.rows) {
    const outcome = outcomeFor(row);
    await applyOutcome(deps, row.payment_id, { attemptNo: row.attempt_no, adapter: input.adapter, refId: row.ref_id }, outcome, log, {
      audit: (before, after) => ({
        koperasiId: after.koperasiId,
        actorType: 'system',
        actorId: `recon:${runId}`,
        action: `recon.${row.action}`,
        subjectType: 'payment',
        subjectId: after.id,
        before: { status: before.status },
        after: { status: after.status, upstreamRef: after.upstreamRef },
        reason: outcome.message,
      }),
    });
  }

  const counts = await deps.db.execute<{ key: string; n: number }>(sql`
    SELECT 'class:' || class AS key, count(*)::int AS n FROM recon_items WHERE run_id = ${runId} GROUP BY class
    UNION ALL SELECT 'action:' || action, count(*)::int FROM recon_items WHERE run_id = ${runId} GROUP BY action`);
  const summary: ReconSummary = { runId, adapter: input.adapter, date: input.date, fileId, counts: {}, actions: {} };
  for (const { key, n } of counts.rows) {
    const [kind, name] = key.split(':') as [string, string];
    if (kind === 'class') summary.counts[name] = n;
    else summary.actions[name] = n;
  }
  await deps.db.execute(sql`
    UPDATE recon_runs SET finished_at = now(), summary = ${JSON.stringify({ ...summary.counts, ...prefixed(summary.actions) })}::jsonb
    WHERE id = ${runId}`);
  log.info({ counts: summary.counts, actions: summary.actions }, 'reconciliation finished');
  return summary;
}

const prefixed = (actions: Record<string, number>) =>
  Object.fromEntries(Object.entries(actions).map(([k, v]) => [`action_${k}`, v]));
