/** SQL of subscriptions and their runs. Every query of a person's request names the koperasi. */
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.js';
import { type RawRow, rowMapper } from '../db/rows.js';
import { subscriptionRuns, subscriptions } from '../db/schema/index.js';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type RunRow = typeof subscriptionRuns.$inferSelect;
export type SubscriptionWithMember = SubscriptionRow & { memberNo: string; memberName: string };

const toSubscription = rowMapper(subscriptions);
export const toRun = rowMapper(subscriptionRuns);

const withMember = (raw: RawRow): SubscriptionWithMember => ({
  ...toSubscription(raw),
  memberNo: String(raw.member_no),
  memberName: String(raw.member_name),
});

/** Whose subscriptions: the koperasi's, and optionally one member's. */
export interface SubscriptionScope {
  koperasiId: string;
  memberId?: string;
}

const scoped = (scope: SubscriptionScope): SQL =>
  scope.memberId === undefined
    ? sql`s.koperasi_id = ${scope.koperasiId}`
    : sql`s.koperasi_id = ${scope.koperasiId} AND s.member_id = ${scope.memberId}`;

export async function insertSubscription(
  tx: Tx,
  values: {
    koperasiId: string;
    memberId: string;
    product: string;
    customerNo: string;
    nickname: string;
    months: number | null;
    dayOfMonth: number;
    maxAmount: bigint;
    createdBy: string;
    at: Date;
  },
): Promise<SubscriptionRow> {
  const at = values.at.toISOString();
  const result = await tx.execute<RawRow>(sql`
    INSERT INTO subscriptions (koperasi_id, member_id, product, customer_no, nickname, months, day_of_month,
      max_amount, created_by, created_at, updated_at)
    VALUES (${values.koperasiId}, ${values.memberId}, ${values.product}, ${values.customerNo}, ${values.nickname},
      ${values.months}, ${values.dayOfMonth}, ${values.maxAmount.toString()}::bigint, ${values.createdBy},
      ${at}::timestamptz, ${at}::timestamptz)
    RETURNING *`);
  return toSubscription(result.rows[0]!);
}

/** The live subscription of a member for one product and number (the one the unique index found). */
export async function findLiveSubscription(
  db: DbOrTx,
  memberId: string,
  product: string,
  customerNo: string,
): Promise<string | undefined> {
  const result = await db.execute<{ id: string }>(sql`
    SELECT id FROM subscriptions WHERE member_id = ${memberId} AND product = ${product}
      AND customer_no = ${customerNo} AND status <> 'cancelled'`);
  return result.rows[0]?.id;
}

export async function findSubscription(
  db: DbOrTx,
  scope: SubscriptionScope,
  id: string,
  lock: '' | 'FOR UPDATE' | 'FOR SHARE' = '',
): Promise<SubscriptionWithMember | undefined> {
  const result = await db.execute<RawRow>(sql`
    SELECT s.*, u.username AS member_no, u.name AS member_name
    FROM subscriptions s JOIN users u ON u.id = s.member_id
    WHERE s.id = ${id} AND ${scoped(scope)}
    ${lock === '' ? sql`` : sql.raw(`${lock} OF s`)}`);
  return result.rows[0] ? withMember(result.rows[0]) : undefined;
}

export async function updateSubscription(
  tx: Tx,
  id: string,
  patch: { status?: SubscriptionRow['status']; maxAmount?: bigint; dayOfMonth?: number; nickname?: string },
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    UPDATE subscriptions SET
      status = coalesce(${patch.status ?? null}, status),
      max_amount = coalesce(${patch.maxAmount?.toString() ?? null}::bigint, max_amount),
      day_of_month = coalesce(${patch.dayOfMonth ?? null}::smallint, day_of_month),
      nickname = coalesce(${patch.nickname ?? null}, nickname),
      updated_at = ${at.toISOString()}::timestamptz
    WHERE id = ${id}`);
}

/** A cancelled subscription never pays again: its waiting run ends here. */
export async function skipPendingRuns(tx: Tx, subscriptionId: string, at: Date): Promise<void> {
  await tx.execute(sql`
    UPDATE subscription_runs SET status = 'skipped', outcome = 'CANCELLED', next_try_at = NULL,
      updated_at = ${at.toISOString()}::timestamptz
    WHERE subscription_id = ${subscriptionId} AND status = 'pending'`);
}

export async function listSubscriptionRows(
  db: DbOrTx,
  scope: SubscriptionScope,
  options: {
    period: string;
    status?: SubscriptionRow['status'];
    attention?: boolean;
    limit?: number;
    before?: { createdAt: Date; id: string };
  },
): Promise<SubscriptionWithMember[]> {
  const skipped = sql`EXISTS (SELECT 1 FROM subscription_runs r WHERE r.subscription_id = s.id
    AND r.period = ${options.period} AND r.status = 'skipped')`;
  const result = await db.execute<RawRow>(sql`
    SELECT s.*, u.username AS member_no, u.name AS member_name
    FROM subscriptions s JOIN users u ON u.id = s.member_id
    WHERE ${scoped(scope)}
      ${options.status ? sql`AND s.status = ${options.status}` : sql``}
      ${options.attention === true ? sql`AND ${skipped}` : options.attention === false ? sql`AND NOT ${skipped}` : sql``}
      ${
        options.before
          ? sql`AND (s.created_at, s.id) < (${options.before.createdAt.toISOString()}::timestamptz, ${options.before.id}::uuid)`
          : sql``
      }
    ORDER BY s.created_at DESC, s.id DESC
    ${options.limit ? sql`LIMIT ${options.limit}` : sql``}`);
  return result.rows.map(withMember);
}

/** The runs of `period` of these subscriptions, by subscription id. */
export async function runsOfPeriod(
  db: DbOrTx,
  subscriptionIds: readonly string[],
  period: string,
): Promise<Map<string, RunRow>> {
  if (subscriptionIds.length === 0) return new Map();
  const result = await db.execute<RawRow>(sql`
    SELECT * FROM subscription_runs
    WHERE period = ${period} AND subscription_id IN (${sql.join(
      subscriptionIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`);
  return new Map(result.rows.map((raw) => [String(raw.subscription_id), toRun(raw)]));
}

export type RunWithPayment = RunRow & {
  payment: { id: string; status: string; total: bigint } | null;
};

/** A subscription's history, newest period first, with the payment each run made. */
export async function listRuns(db: DbOrTx, subscriptionId: string, limit = 24): Promise<RunWithPayment[]> {
  const result = await db.execute<RawRow & { p_status: string | null; p_total: string | null }>(sql`
    SELECT r.*, p.status AS p_status, p.total::text AS p_total
    FROM subscription_runs r LEFT JOIN payments p ON p.id = r.payment_id
    WHERE r.subscription_id = ${subscriptionId}
    ORDER BY r.period DESC
    LIMIT ${limit}`);
  return result.rows.map((raw) => {
    const run = toRun(raw);
    return {
      ...run,
      payment:
        run.paymentId && raw.p_status !== null && raw.p_total !== null
          ? { id: run.paymentId, status: raw.p_status, total: BigInt(raw.p_total) }
          : null,
    };
  });
}
