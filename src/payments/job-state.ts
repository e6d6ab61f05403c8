/**
 * What a payment job works from, read in one statement: the payment, its attempts, its quote's upstream handle
 * and the member's savings account (the worker's hot path in few round trips; settle-paid.ts is the other half).
 */
import { sql } from 'drizzle-orm';
import { runNamed } from '../db/raw.js';
import { type RawRow, rowMapper, toBigInt } from '../db/rows.js';
import { paymentAttempts, payments } from '../db/schema/index.js';
import type { Deps } from '../deps.js';
import { OPEN_STATUSES_SQL } from './lifecycle.js';
import type { PaymentJob } from './jobs.js';
import type { AttemptRow, PaymentRow } from './repository.js';

export interface JobState {
  payment: PaymentRow;
  attempts: AttemptRow[];
  /** The payment's quote row (null only for a row that lost it: the job then fails loudly). */
  quote: { adapter: string; sku: string; refId: string; upstreamHandle: string | null; price: bigint } | null;
  savingsAccountId: bigint | null;
  /** The first attempt, written by this read (see jobState): the caller must send it. */
  firstAttempt: AttemptRow | undefined;
}

const toPayment = rowMapper(payments);
const toAttempt = rowMapper(paymentAttempts);

/**
 * A job-state statement's body after its source of outbox rows (`o`: payment_id, seq): each job's payment, its attempts,
 * its quote's upstream handle and the member's savings account, and the first attempt written for an open payment
 * that has none, from its quote. That attempt commits before the worker sends, as every attempt row must, without
 * a round trip of its own. `first_attempt` is set only when THIS statement wrote it: the caller then sends; when
 * another worker's insert won, it is unset and `attempts` (the statement's snapshot) may still read empty.
 */
const jobState = (now: Date) => sql`
    job AS (
      SELECT p.*, o.seq AS job_seq, q.adapter AS quote_adapter, q.sku AS quote_sku, q.ref_id AS quote_ref_id,
             q.upstream_handle AS quote_handle, q.price AS quote_price, u.savings_account_id,
             (SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.attempt_no), '[]'::jsonb)
                FROM payment_attempts a WHERE a.payment_id = p.id) AS attempts
      FROM o JOIN payments p ON p.id = o.payment_id LEFT JOIN quotes q ON q.id = p.quote_id
           LEFT JOIN users u ON u.id = p.member_id
    ), first AS (
      INSERT INTO payment_attempts (payment_id, attempt_no, adapter, sku, ref_id, upstream_handle, state, price, sent_at)
      SELECT id, 1, quote_adapter, quote_sku, quote_ref_id, quote_handle, 'sending', quote_price, ${now}::timestamptz
      FROM job
      WHERE status IN ${OPEN_STATUSES_SQL} AND attempts = '[]'::jsonb AND quote_adapter IS NOT NULL
      -- Another worker wrote it first (same payment and attempt number): it sends, this one does not.
      ON CONFLICT DO NOTHING
      RETURNING *
    )
    SELECT job.*, (SELECT to_jsonb(f) FROM first f WHERE f.payment_id = job.id) AS first_attempt FROM job`;

function toJobState(r: RawRow): JobState {
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
    firstAttempt: r.first_attempt === null ? undefined : toAttempt(r.first_attempt as RawRow),
  };
}

/**
 * Load one job's state (see jobState); undefined when the job is stale (the outbox row is gone or has moved to a
 * newer seq). No lease is taken: two workers on one payment cannot both send (the attempt row is unique) and
 * cannot both settle (the settlement locks the payment row and checks its state).
 */
export async function loadJobState(
  deps: Pick<Deps, 'database'>,
  job: PaymentJob,
  now: Date,
): Promise<JobState | undefined> {
  const rows = await runNamed<RawRow>(
    deps.database.named,
    'pintu_load_job_state',
    sql`
    WITH o AS (SELECT payment_id, seq FROM outbox WHERE payment_id = ${job.paymentId}::uuid AND seq = ${job.seq}::int),
    ${jobState(now)}`,
  );
  return rows[0] && toJobState(rows[0]);
}

/**
 * Claim up to `limit` due outbox rows and load their jobs, in one statement (the same one commit a job's load
 * costs). A claimed row's due time moves to `leaseUntil`: no other worker takes it meanwhile, and a worker that
 * dies holding it gives it back when the lease runs out. Each step of a job writes the row's next due time (or
 * deletes it) in the transaction that decides it, so a finished step never waits for the lease. Rows are taken
 * oldest due first; a row another worker is claiming at this instant is skipped, not waited for.
 */
export async function claimDueJobs(
  deps: Pick<Deps, 'database'>,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<Array<{ job: PaymentJob; work: JobState }>> {
  const rows = await runNamed<RawRow>(
    deps.database.named,
    'pintu_claim_due_jobs',
    sql`
    WITH due AS (
      SELECT payment_id FROM outbox WHERE due_at <= ${now}::timestamptz
      ORDER BY due_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED
    ),
    o AS (
      UPDATE outbox SET due_at = ${leaseUntil}::timestamptz FROM due WHERE outbox.payment_id = due.payment_id
      RETURNING outbox.payment_id, outbox.seq
    ),
    ${jobState(now)}`,
  );
  return rows.map((r) => ({
    job: { paymentId: r.id as string, seq: Number(r.job_seq) },
    work: toJobState(r),
  }));
}
