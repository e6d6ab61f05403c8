/** The member's notifications: the bell in the header (unread, live) and the list, newest first. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, query } from '../../api';
import { type NotificationItem, type NotificationPage, markAllRead, useUnread } from '../../autodebet';
import { ErrorMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { wibDateTime } from '../../format';
import { useLiveEvents } from '../../live-context';
import { href } from '../../router';

export function NotificationBell() {
  const unread = useUnread();
  return (
    <a
      class="bell"
      href={href('notifikasi')}
      aria-label={unread > 0 ? `Notifikasi, ${unread} belum dibaca` : 'Notifikasi'}
      data-testid="bell"
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {unread > 0 && (
        <span class="bell-count" data-testid="bell-count">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </a>
  );
}

export function NotificationList() {
  const [items, setItems] = useState<NotificationItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const load = useCallback(async (after?: string) => {
    try {
      const page = await get<NotificationPage>(`/v1/me/notifications${query({ limit: 30, cursor: after })}`);
      setItems((current) => (after && current ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(undefined);
      // Seen now: the bell clears; the new ones stay marked on this screen until it is left.
      if (!after && page.unread > 0) await markAllRead();
    } catch (e) {
      setError(messageFor(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useLiveEvents((event) => {
    if (event.type === 'notification') void load();
  });
  return (
    <>
      <PageTitle title="Notifikasi">Notifikasi</PageTitle>
      <ErrorMessage message={error} />
      {items === null && !error && <p class="muted">Memuat…</p>}
      {items?.length === 0 && <p class="empty">Belum ada notifikasi.</p>}
      {items && items.length > 0 && (
        <ul class="notification-list">
          {items.map((n) => (
            <li key={n.id} class={`card notification${n.readAt ? '' : ' unread'}`} data-kind={n.kind}>
              <p class="notification-title">
                <strong>{n.title}</strong>
                {!n.readAt && <span class="badge badge-processing">Baru</span>}
              </p>
              <p>{n.body}</p>
              <p class="muted small">
                {wibDateTime(n.createdAt)}
                {n.subscriptionId && (
                  <>
                    {' · '}
                    <a href={href('autodebet', n.subscriptionId)}>Lihat autodebet</a>
                  </>
                )}
                {n.paymentId && (
                  <>
                    {' · '}
                    <a href={href('pembayaran', n.paymentId)}>Lihat pembayaran</a>
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <p class="actions">
          <button type="button" class="button secondary" onClick={() => void load(cursor)}>
            Tampilkan yang lebih lama
          </button>
        </p>
      )}
    </>
  );
}
