/**
 * SQL of the scheduler: runs made per subscription and period, taken under a lease, and what each try did.
 * Every write to a taken run is fenced by its `tries` (incremented by the take): a worker whose lease ran out and
 * was taken over changes nothing.
 */
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import type { RawRow } from '../db/rows.js';
import { daysInMonth } from './calendar.js';
import { type RunRow, toRun } from './repository.js';

const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * This month's run of every active subscription whose due day has come and whose retry days have not passed;
 * none for a due day before the subscription existed (its first payment is the next due day). Idempotent.
 */
export async function ensureRuns(db: Db, now: Date, today: string, retryDays: number): Promise<number> {
  const period = today.slice(0, 7);
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const last = daysInMonth(period);
  const result = await db.execute(sql`
    INSERT INTO subscription_runs (subscription_id, koperasi_id, period, created_at, updated_at)
    SELECT s.id, s.koperasi_id, ${period}, ${ts(now)}, ${ts(now)}
    FROM subscriptions s
    WHERE s.status = 'active'
      AND least(s.day_of_month, ${last}::int) <= ${day}::int
      AND ${day}::int <= least(s.day_of_month, ${last}::int) + ${retryDays}::int
      AND (s.created_at AT TIME ZONE 'Asia/Jakarta')::date
          <= make_date(${year}::int, ${month}::int, least(s.day_of_month, ${last}::int))
    ON CONFLICT (subscription_id, period) DO NOTHING`);
  return result.rowCount ?? 0;
}

/**
 * Takes up to `limit` due runs of active subscriptions: their next_try_at becomes the lease's end, so no other
 * worker takes them meanwhile, and a killed worker's run is taken again when the lease ends.
 */
export async function takeDueRuns(db: Db, now: Date, leaseEnd: Date, limit: number): Promise<RunRow[]> {
  const result = await db.execute<RawRow>(sql`
    WITH due AS (
      SELECT r.id FROM subscription_runs r JOIN subscriptions s ON s.id = r.subscription_id
      WHERE r.status = 'pending' AND s.status = 'active' AND (r.next_try_at IS NULL OR r.next_try_at <= ${ts(now)})
      ORDER BY r.next_try_at NULLS FIRST, r.id
      LIMIT ${limit}
      FOR UPDATE OF r SKIP LOCKED)
    UPDATE subscription_runs r SET next_try_at = ${ts(leaseEnd)}, tries = r.tries + 1,
      last_tried_at = ${ts(now)}, updated_at = ${ts(now)}
    FROM due WHERE r.id = due.id
    RETURNING r.*`);
  return result.rows.map(toRun);
}

export async function lockRun(tx: Tx, id: string): Promise<RunRow | undefined> {
  const result = await tx.execute<RawRow>(sql`SELECT * FROM subscription_runs WHERE id = ${id} FOR UPDATE`);
  return result.rows[0] ? toRun(result.rows[0]) : undefined;
}

/** What one try of a taken run ended as; false when the run is no longer this worker's. */
export async function recordTry(
  db: DbOrTx,
  run: Pick<RunRow, 'id' | 'tries'>,
  change: {
    status: RunRow['status'];
    outcome: string;
    detail: Record<string, unknown>;
    nextTryAt: Date | null;
    at: Date;
  },
): Promise<boolean> {
  const result = await db.execute(sql`
    UPDATE subscription_runs SET status = ${change.status}, outcome = ${change.outcome},
      detail = coalesce(detail, '{}'::jsonb) || ${JSON.stringify(change.detail)}::jsonb,
      next_try_at = ${change.nextTryAt ? ts(change.nextTryAt) : null}, updated_at = ${ts(change.at)}
    WHERE id = ${run.id} AND status = 'pending' AND tries = ${run.tries}`);
  return (result.rowCount ?? 0) > 0;
}

/** The run made its payment (in the payment's own transaction, under the run's lock). */
export async function markPaid(
  tx: Tx,
  runId: string,
  payment: { id: string; total: bigint } | null,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    UPDATE subscription_runs SET status = 'paid', outcome = 'PAID', next_try_at = NULL, updated_at = ${ts(at)},
      payment_id = coalesce(${payment?.id ?? null}::uuid, payment_id),
      detail = coalesce(detail, '{}'::jsonb) - 'required'
        || ${payment ? sql`jsonb_build_object('total', ${payment.total.toString()}::bigint)` : sql`'{}'::jsonb`}
    WHERE id = ${runId}`);
}

/** Gives a taken run back at once (its subscription was paused meanwhile, or its terms changed). */
export async function releaseRun(db: DbOrTx, run: Pick<RunRow, 'id' | 'tries'>): Promise<void> {
  await db.execute(sql`
    UPDATE subscription_runs SET next_try_at = NULL
    WHERE id = ${run.id} AND status = 'pending' AND tries = ${run.tries}`);
}

export interface FinishedRun {
  runId: string;
  koperasiId: string;
  subscriptionId: string;
  memberId: string;
  product: string;
  nickname: string;
  memberNo: string;
  memberName: string;
  period: string;
  paymentId: string;
  paymentStatus: 'success' | 'failed' | 'refunded';
  total: bigint;
  runStatus: RunRow['status'];
}

/**
 * Paid runs whose payment reached a final state and that were not yet told, in one statement: a success is told
 * (PAYMENT_SUCCESS), a refund is told and never paid again automatically (PAYMENT_REFUNDED), a failure (the money
 * is back in savings) goes back to pending for a new payment after `retryAt` — or is skipped after
 * `maxFailures` failed payments in one month. A refund can follow a success: successes of the last
 * `refundHorizonDays` are watched for it.
 */
export async function followFinishedPayments(
  tx: Tx,
  now: Date,
  retryAt: Date,
  maxFailures: number,
  refundHorizonDays: number,
): Promise<FinishedRun[]> {
  const result = await tx.execute<{
    run_id: string;
    koperasi_id: string;
    subscription_id: string;
    member_id: string;
    product: string;
    nickname: string;
    member_no: string;
    member_name: string;
    period: string;
    payment_id: string;
    payment_status: 'success' | 'failed' | 'refunded';
    total: string;
    run_status: RunRow['status'];
  }>(sql`
    WITH fin AS (
      SELECT r.id, p.id AS payment_id, p.status AS payment_status, p.total,
        coalesce(jsonb_array_length(r.detail -> 'failedPaymentIds'), 0) AS failures
      FROM subscription_runs r JOIN payments p ON p.id = r.payment_id
      WHERE r.status = 'paid'
        AND ((r.outcome = 'PAID' AND p.status IN ('success', 'failed', 'refunded'))
          OR (r.outcome = 'PAYMENT_SUCCESS' AND p.status = 'refunded'
              AND r.updated_at > ${ts(now)} - make_interval(days => ${refundHorizonDays}::int)))
      FOR UPDATE OF r SKIP LOCKED)
    UPDATE subscription_runs r SET
      status = CASE
        WHEN fin.payment_status <> 'failed' THEN 'paid'
        WHEN fin.failures + 1 >= ${maxFailures}::int THEN 'skipped'
        ELSE 'pending' END,
      outcome = CASE fin.payment_status
        WHEN 'success' THEN 'PAYMENT_SUCCESS' WHEN 'refunded' THEN 'PAYMENT_REFUNDED' ELSE 'PAYMENT_FAILED' END,
      next_try_at = CASE
        WHEN fin.payment_status = 'failed' AND fin.failures + 1 < ${maxFailures}::int THEN ${ts(retryAt)}
        ELSE NULL END,
      detail = CASE WHEN fin.payment_status = 'failed'
        THEN coalesce(r.detail, '{}'::jsonb) || jsonb_build_object('failedPaymentIds',
          coalesce(r.detail -> 'failedPaymentIds', '[]'::jsonb) || to_jsonb(fin.payment_id::text))
        ELSE r.detail END,
      updated_at = ${ts(now)}
    FROM fin, subscriptions s, users u
    WHERE r.id = fin.id AND s.id = r.subscription_id AND u.id = s.member_id
    RETURNING r.id AS run_id, r.koperasi_id, r.subscription_id, s.member_id, s.product, s.nickname,
      u.username AS member_no, u.name AS member_name, r.period, fin.payment_id, fin.payment_status,
      fin.total::text AS total, r.status AS run_status`);
  return result.rows.map((row) => ({
    runId: row.run_id,
    koperasiId: row.koperasi_id,
    subscriptionId: row.subscription_id,
    memberId: row.member_id,
    product: row.product,
    nickname: row.nickname,
    memberNo: row.member_no,
    memberName: row.member_name,
    period: row.period,
    paymentId: row.payment_id,
    paymentStatus: row.payment_status,
    total: BigInt(row.total),
    runStatus: row.run_status,
  }));
}
