/** SQL of notifications. Every query names the koperasi; memberId null means the koperasi's staff. */
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';

export interface NotificationInsert {
  koperasiId: string;
  memberId: string | null;
  kind: string;
  title: string;
  body: string;
  subscriptionId?: string | null;
  paymentId?: string | null;
  /** One notice per thing that happened: inserting the same key again does nothing. */
  dedupeKey: string;
  at: Date;
}

export type NotificationRecord = {
  id: string;
  koperasi_id: string;
  member_id: string | null;
  kind: string;
  title: string;
  body: string;
  subscription_id: string | null;
  payment_id: string | null;
  created_at: Date;
  read_at: Date | null;
};

/** Inserts what is new; returns only the rows this call wrote (a duplicate key is silently kept as it was). */
export async function insertNotifications(
  db: DbOrTx,
  items: readonly NotificationInsert[],
): Promise<NotificationRecord[]> {
  if (items.length === 0) return [];
  const values = sql.join(
    items.map(
      (n) =>
        sql`(${n.koperasiId}::uuid, ${n.memberId}::uuid, ${n.kind}, ${n.title}, ${n.body},
             ${n.subscriptionId ?? null}::uuid, ${n.paymentId ?? null}::uuid, ${n.dedupeKey}, ${n.at.toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  const result = await db.execute<NotificationRecord>(sql`
    INSERT INTO notifications (koperasi_id, member_id, kind, title, body, subscription_id, payment_id, dedupe_key, created_at)
    VALUES ${values}
    ON CONFLICT (koperasi_id, dedupe_key) DO NOTHING
    RETURNING id::text, koperasi_id, member_id, kind, title, body, subscription_id, payment_id, created_at, read_at`);
  return result.rows.map(withDates);
}

function withDates(row: NotificationRecord): NotificationRecord {
  return {
    ...row,
    created_at: new Date(row.created_at),
    read_at: row.read_at === null ? null : new Date(row.read_at),
  };
}

const audienceOf = (memberId: string | null): SQL =>
  memberId === null ? sql`member_id IS NULL` : sql`member_id = ${memberId}`;

export async function listNotificationRows(
  db: DbOrTx,
  koperasiId: string,
  memberId: string | null,
  options: { limit: number; before?: string },
): Promise<NotificationRecord[]> {
  const result = await db.execute<NotificationRecord>(sql`
    SELECT id::text, koperasi_id, member_id, kind, title, body, subscription_id, payment_id, created_at, read_at
    FROM notifications
    WHERE koperasi_id = ${koperasiId} AND ${audienceOf(memberId)}
      ${options.before ? sql`AND id < ${options.before}::bigint` : sql``}
    ORDER BY id DESC
    LIMIT ${options.limit}`);
  return result.rows.map(withDates);
}

export async function countUnread(db: DbOrTx, koperasiId: string, memberId: string | null): Promise<number> {
  const result = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM notifications
    WHERE koperasi_id = ${koperasiId} AND ${audienceOf(memberId)} AND read_at IS NULL`);
  return result.rows[0]?.n ?? 0;
}

/** Marks the given ids (or all) read; ids of someone else's notifications are ignored. */
export async function markNotificationsRead(
  db: DbOrTx,
  koperasiId: string,
  memberId: string | null,
  ids: readonly string[] | 'all',
  at: Date,
): Promise<number> {
  const which =
    ids === 'all'
      ? sql``
      : sql`AND id IN (${sql.join(
          ids.map((id) => sql`${id}::bigint`),
          sql`, `,
        )})`;
  const result = await db.execute(sql`
    UPDATE notifications SET read_at = ${at.toISOString()}::timestamptz
    WHERE koperasi_id = ${koperasiId} AND ${audienceOf(memberId)} AND read_at IS NULL ${which}`);
  return result.rowCount ?? 0;
}
