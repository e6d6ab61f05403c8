/**
 * What a reconciliation run does after its automatic actions:
 * - an open attempt the settlement does not list, past the grace window, is asked about (status
 *   call): "never received" fails it and voids the hold, "paid" posts it, anything else goes to a
 *   person — the file is never trusted to be complete;
 * - every item that needs a person and belongs to a payment still open lists that payment for the
 *   treasurer and the operator (payments.review_reason), with the evidence in words.
 */
import { sql } from 'drizzle-orm';
import type { AuditEntry } from '../audit.js';
import type { Logger } from '../logger.js';
import { confirmAttempt } from '../payments/confirm.js';
import type { PaymentRow } from '../payments/repository.js';
import type { PipelineDeps as ReconDeps } from '../payments/outcome.js';
import { OPEN_STATUSES_SQL } from '../payments/lifecycle.js';

type Audit = (action: string, reason: string) => (before: PaymentRow, after: PaymentRow) => AuditEntry;

export async function resolveByStatus(
  deps: ReconDeps,
  runId: string,
  adapter: string,
  log: Logger,
  audit: Audit,
): Promise<void> {
  const checks = await deps.db.execute<{ ref_id: string; payment_id: string; attempt_no: number }>(sql`
    SELECT i.ref_id, i.payment_id, a.attempt_no FROM recon_items i
    JOIN payment_attempts a ON a.adapter = ${adapter} AND a.ref_id = i.ref_id
    WHERE i.run_id = ${runId} AND i.action = 'status_check'`);
  for (const check of checks.rows) {
    const reason = 'not in the upstream settlement after the grace window; the upstream status call decided';
    const answer = await confirmAttempt(deps, check.payment_id, check.attempt_no, log, (before, after) =>
      audit(after.status === 'success' ? 'auto_success' : 'auto_failed', reason)(before, after),
    );
    const [action, note] =
      answer.kind === 'applied'
        ? [
            answer.status === 'success' ? 'auto_success' : 'auto_failed',
            `not in the upstream settlement; status call: ${answer.outcome.rc} ${answer.outcome.message}`,
          ]
        : answer.kind === 'settled'
          ? ['none', 'settled meanwhile']
          : ['needs_review', `not in the upstream settlement after the grace window; ${answer.reason}`];
    await deps.db.execute(sql`
      UPDATE recon_items SET action = ${action}, note = ${note.slice(0, 500)} WHERE run_id = ${runId} AND ref_id = ${check.ref_id}`);
  }
}

/** List every open payment this run could not decide for a person. */
export async function flagItemsForReview(
  deps: ReconDeps,
  runId: string,
  adapter: string,
  date: string,
): Promise<void> {
  await deps.db.execute(sql`
    UPDATE payments p SET
      review_reason = left(coalesce(p.review_reason || ' | ', '') || 'reconciliation ' || ${adapter} || ' ' || ${date} || ': ' || i.note, 2000),
      review_since = coalesce(p.review_since, ${deps.clock.now()}::timestamptz),
      updated_at = now()
    FROM recon_items i
    WHERE i.run_id = ${runId} AND i.action = 'needs_review' AND i.payment_id = p.id
      AND p.status IN ${OPEN_STATUSES_SQL}
      AND position(('reconciliation ' || ${adapter} || ' ' || ${date} || ': ' || i.note) IN coalesce(p.review_reason, '')) = 0`);
}
