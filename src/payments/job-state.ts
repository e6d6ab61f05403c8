/**
 * What a payment job works from, read in one statement: the payment, its attempts, its quote's upstream handle
 * and the member's savings account (the worker's hot path in few round trips; settle-paid.ts is the other half).
 */
import { sql } from 'drizzle-orm';
import { runNamed } from '../db/raw.js';
import { type RawRow, rowMapper, toBigInt } from '../db/rows.js';
import { paymentAttempts, payments } from '../db/schema/index.js';
import type { Deps } from '../deps.js';
import type { AttemptRow, PaymentRow } from './repository.js';

export interface JobState {
  payment: PaymentRow;
  attempts: AttemptRow[];
  /**
   * The quote kept in PostgreSQL, for a payment accepted before the first attempt was written with it (a
   * payment accepted by an older release during a rolling deploy); null otherwise.
   */
  quote: { adapter: string; sku: string; refId: string; upstreamHandle: string | null; price: bigint } | null;
  savingsAccountId: bigint | null;
}

const toPayment = rowMapper(payments);
const toAttempt = rowMapper(paymentAttempts);

/**
 * Load the job's payment, its attempts, its quote's upstream handle and the member's savings account
 * in one read; undefined when the job is stale (the outbox row is gone or has moved to a newer seq).
 * No lease is taken: two workers on one payment cannot both send (the attempt row is unique) and
 * cannot both settle (the settlement locks the payment row and checks its state).
 */
export async function loadJobState(
  deps: Pick<Deps, 'database'>,
  job: { paymentId: string; seq: number },
): Promise<JobState | undefined> {
  const rows = await runNamed<RawRow>(
    deps.database.pool,
    'pintu_load_job_state',
    sql`
    SELECT p.*, q.adapter AS quote_adapter, q.sku AS quote_sku, q.ref_id AS quote_ref_id,
           q.upstream_handle AS quote_handle, q.price AS quote_price, u.savings_account_id,
           (SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.attempt_no), '[]'::jsonb)
              FROM payment_attempts a WHERE a.payment_id = p.id) AS attempts
    FROM outbox o JOIN payments p ON p.id = o.payment_id LEFT JOIN quotes q ON q.id = p.quote_id LEFT JOIN users u ON u.id = p.member_id
    WHERE o.payment_id = ${job.paymentId}::uuid AND o.seq = ${job.seq}::int`,
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    payment: toPayment(r),
    attempts: (r.attempts as RawRow[]).map(toAttempt),
    quote:
      r.quote_adapter === null
        ? null
        : {
            adapter: r.quote_adapter as string,
            sku: r.quote_sku as string,
            refId: r.quote_ref_id as string,
            upstreamHandle: (r.quote_handle as string | null) ?? null,
            price: toBigInt(r.quote_price),
          },
    savingsAccountId: r.savings_account_id === null ? null : toBigInt(r.savings_account_id),
  };
}
