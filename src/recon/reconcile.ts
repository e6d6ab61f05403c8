/**
 * Matching one adapter's settlement file for one WIB date against our upstream ATTEMPTS at that
 * adapter, in SQL, then the safe automatic resolutions. Each attempt is judged by its own state
 * (a failed-over attempt that created nothing is not the payment's open attempt). Classes:
 *
 *   matched           both sides agree (a failure absent from the file agrees too)
 *   amount_mismatch   the upstream lists it as paid at another total or price      → a person
 *   status_mismatch   the upstream says otherwise                                   → auto when safe, else a person
 *   missing_upstream  we sent it (that day) and the upstream does not list it
 *   missing_here      the upstream lists a ref_id we never sent (phantom)          → a person
 *
 * What may be decided without a person (SPEC §5), everything else is `needs_review` (the rule table itself is
 * RECON_RULES in payments/lifecycle.ts; this is its summary):
 *
 *   our attempt            settlement row                        action
 *   suspect / processing   SUCCESS, same total and price         auto_success
 *   suspect / processing   FAILED or REFUNDED                    auto_failed (hold voided)
 *   success                REFUNDED                              auto_refund (reversal)
 *   failed / not created   absent                                none (matched)
 *   suspect / processing   absent, after the grace window        the upstream's status call decides:
 *                                                                 "never received" → auto_failed,
 *                                                                 paid → auto_success, else a person
 *   anything               SUCCESS at another total or price     needs_review (never a refund)
 *
 * A file is never trusted to be complete: absence alone refunds nothing.
 */
import { sql } from 'drizzle-orm';
import type { PayOutcome } from '../billers/port.js';
import { wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { newId } from '../ids.js';
import { toRupiah } from '../money.js';
import { reconActionSql } from '../payments/lifecycle.js';
import { applyOutcome } from '../payments/outcome.js';
import { flagItemsForReview, resolveByStatus } from './review.js';

export interface ReconSummary {
  runId: string;
  adapter: string;
  date: string;
  fileId: string;
  counts: Record<string, number>;
  actions: Record<string, number>;
}

export type ReconDeps = Parameters<typeof applyOutcome>[0];

async function latestFile(
  deps: Pick<Deps, 'db'>,
  adapter: string,
  date: string,
): Promise<string | undefined> {
  const rows = await deps.db.execute<{ id: string }>(sql`
    SELECT id FROM settlement_files WHERE adapter = ${adapter} AND settlement_date = ${date}
    ORDER BY ingested_at DESC LIMIT 1`);
  return rows.rows[0]?.id;
}

/** Classify every ref of the file and every attempt we sent that day, in one INSERT … SELECT. */
async function classify(
  deps: ReconDeps,
  runId: string,
  adapter: string,
  fileId: string,
  date: string,
  graceCutoff: Date,
) {
  const { start, end } = wibDayRange(date);
  await deps.db.execute(sql`
    WITH file AS (
      SELECT ref_id, status, total_amount, price FROM settlement_rows WHERE file_id = ${fileId}
    ), ours AS (
      SELECT a.ref_id, a.payment_id, p.koperasi_id, a.sent_at,
             CASE a.state WHEN 'sending' THEN 'processing' ELSE a.state END AS status,
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
        WHEN j.upstream_status IS NULL THEN
          CASE WHEN j.our_status IN ('failed', 'not_created') THEN 'matched' ELSE 'missing_upstream' END
        WHEN j.upstream_status = 'SUCCESS' THEN
          CASE WHEN j.our_amount <> j.upstream_amount OR j.our_price <> j.upstream_price THEN 'amount_mismatch'
               WHEN j.our_status IN ('success', 'refunded') THEN 'matched'
               ELSE 'status_mismatch' END
        ELSE
          CASE WHEN j.our_status IN ('failed', 'not_created', 'refunded') THEN 'matched' ELSE 'status_mismatch' END
        END AS class,
        EXISTS (SELECT 1 FROM settlement_rows r JOIN settlement_files sf ON sf.id = r.file_id
                WHERE sf.adapter = ${adapter} AND sf.settlement_date <> ${date} AND r.ref_id = j.ref_id) AS listed_elsewhere
      FROM joined j
    )
    INSERT INTO recon_items (run_id, ref_id, payment_id, koperasi_id, class, our_status, upstream_status,
                             our_amount, upstream_amount, our_price, upstream_price, action, note)
    SELECT ${runId}, c.ref_id, c.payment_id, c.koperasi_id, c.class, c.our_status, c.upstream_status,
           c.our_amount, c.upstream_amount, c.our_price, c.upstream_price,
           ${reconActionSql({
             class: sql`c.class`,
             ourStatus: sql`c.our_status`,
             upstreamStatus: sql`c.upstream_status`,
             listedElsewhere: sql`c.listed_elsewhere`,
             pastGrace: sql`(c.sent_at < ${graceCutoff})`,
           })},
           CASE c.class
             WHEN 'missing_here' THEN 'the upstream lists a transaction Pintu never sent'
             WHEN 'amount_mismatch' THEN 'the upstream lists it as ' || c.upstream_status || ' at total ' || c.upstream_amount || ', price ' || c.upstream_price
                                         || '; Pintu has total ' || c.our_amount || ', price ' || c.our_price
             WHEN 'missing_upstream' THEN CASE WHEN c.listed_elsewhere THEN 'listed in another day''s settlement'
                                               ELSE 'not in the upstream settlement' END
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
      return {
        kind: 'success',
        upstreamRef: sn.split('/')[0] || `RECON-${row.ref_id}`,
        token,
        price: row.price === null ? undefined : toRupiah(row.price),
        rc,
        message: 'settled SUCCESS in the upstream settlement file',
      };
    }
    case 'auto_failed':
      return {
        kind: 'failed',
        rc,
        message: `settled ${row.status ?? 'FAILED'} in the upstream settlement file`,
        transactionCreated: true,
      };
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
  const audit =
    (action: string, reason: string) =>
    (
      before: { status: string },
      after: { id: string; koperasiId: string; status: string; upstreamRef: string | null },
    ) => ({
      koperasiId: after.koperasiId,
      actorType: 'system' as const,
      actorId: `recon:${runId}`,
      action: `recon.${action}`,
      subjectType: 'payment',
      subjectId: after.id,
      before: { status: before.status },
      after: { status: after.status, upstreamRef: after.upstreamRef },
      reason,
    });
  for (const row of actions.rows) {
    const outcome = outcomeFor(row);
    await applyOutcome(deps, row.payment_id, { attemptNo: row.attempt_no }, outcome, log, {
      audit: audit(row.action, outcome.message),
    });
  }
  await resolveByStatus(deps, runId, input.adapter, log, (action, reason) => audit(action, reason));
  await flagItemsForReview(deps, runId, input.adapter, input.date);

  const counts = await deps.db.execute<{ key: string; n: number }>(sql`
    SELECT 'class:' || class AS key, count(*)::int AS n FROM recon_items WHERE run_id = ${runId} GROUP BY class
    UNION ALL SELECT 'action:' || action, count(*)::int FROM recon_items WHERE run_id = ${runId} GROUP BY action`);
  const summary: ReconSummary = {
    runId,
    adapter: input.adapter,
    date: input.date,
    fileId,
    counts: {},
    actions: {},
  };
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
