/**
 * Notifications: what the app tells a member (or the koperasi's staff, memberId null) about things that happened
 * without them — an autodebet that paid, or did not and why. Written in the transaction of what they tell
 * (deduplicated by a key per event, so a retried job never says it twice), published live after it commits.
 */
import type { Deps } from '../deps.js';
import type { LiveEvent } from '../events/bus.js';
import {
  type NotificationRecord,
  countUnread,
  listNotificationRows,
  markNotificationsRead,
} from './repository.js';
import type { MarkReadInput, NotificationPage, NotificationQuery } from './schemas.js';

export { insertNotifications, type NotificationInsert } from './repository.js';

/** Whose notifications: a member's own, or the staff's of a koperasi (memberId null). */
export interface NotificationScope {
  koperasiId: string;
  memberId: string | null;
}

/** The live events of notifications just inserted; publish them after the transaction commits. */
export function notificationEvents(rows: readonly NotificationRecord[]): LiveEvent[] {
  return rows.map((row) => ({
    type: 'notification',
    koperasiId: row.koperasi_id,
    memberId: row.member_id,
    id: row.id,
    kind: row.kind,
    title: row.title,
    at: row.created_at.toISOString(),
  }));
}

export async function publishNotifications(
  deps: Pick<Deps, 'events'>,
  rows: readonly NotificationRecord[],
): Promise<void> {
  if (rows.length > 0) await deps.events.publish(...notificationEvents(rows));
}

export async function listNotifications(
  deps: Pick<Deps, 'db'>,
  scope: NotificationScope,
  query: NotificationQuery,
): Promise<NotificationPage> {
  const rows = await listNotificationRows(deps.db, scope.koperasiId, scope.memberId, {
    limit: query.limit + 1,
    ...(query.cursor ? { before: query.cursor } : {}),
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      subscriptionId: row.subscription_id,
      paymentId: row.payment_id,
      createdAt: row.created_at.toISOString(),
      readAt: row.read_at?.toISOString() ?? null,
    })),
    unread: await countUnread(deps.db, scope.koperasiId, scope.memberId),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function markRead(
  deps: Pick<Deps, 'db' | 'clock'>,
  scope: NotificationScope,
  input: MarkReadInput,
): Promise<{ marked: number; unread: number }> {
  const ids = 'all' in input ? 'all' : input.ids;
  const marked = await markNotificationsRead(
    deps.db,
    scope.koperasiId,
    scope.memberId,
    ids,
    deps.clock.now(),
  );
  return { marked, unread: await countUnread(deps.db, scope.koperasiId, scope.memberId) };
}
