/**
 * Payments newest first with cursor paging ("Muat lagi"), kept live: every payment event re-reads
 * that payment and updates or inserts it; every (re)connect re-reads the first page.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, query } from '../api';
import { messageFor } from '../errors';
import { productName, rupiah, wibDateTime } from '../format';
import { useLiveEvents } from '../live-context';
import { href } from '../router';
import { payAgainHref, prefillFor } from '../saved-numbers';
import type { Page, Payment, PaymentStatus } from '../types';
import { ErrorMessage } from './alert';
import { StatusBadge } from './status-badge';

export function upsert(items: Payment[], payment: Payment): Payment[] {
  const rest = items.filter((p) => p.id !== payment.id);
  return [payment, ...rest].sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0,
  );
}

export function PaymentRow({
  payment,
  showMember,
  payAgain = false,
}: {
  payment: Payment;
  showMember: boolean;
  /** The member's own list: a "Bayar lagi" button under each row (a button, so the row keeps one link). */
  payAgain?: boolean;
}) {
  return (
    <li class={`payment-row${payAgain ? ' with-pay-again' : ''}`}>
      <a href={href('pembayaran', payment.id)} class="payment-link">
        <span class="payment-line">
          <strong>{productName(payment.product)}</strong>
          <span class="money">{rupiah(payment.total)}</span>
        </span>
        <span class="muted">
          {payment.customerName} · <span class="nowrap">{payment.customerNo}</span>
          {showMember && (
            <>
              {' '}
              ·{' '}
              <span class="nowrap">
                {payment.memberName
                  ? `${payment.memberName} (${payment.memberNo})`
                  : payment.memberNo
                    ? `Anggota ${payment.memberNo}`
                    : `Tunai di loket${payment.payerName ? ` · ${payment.payerName}` : ''}`}
              </span>
            </>
          )}
        </span>
        <span class="payment-line">
          <span class="muted small">{wibDateTime(payment.createdAt)}</span>
          <StatusBadge status={payment.status} />
        </span>
      </a>
      {payAgain && (
        <button
          type="button"
          class="button secondary small-button pay-again"
          aria-label={`Bayar lagi ${productName(payment.product)} ${payment.customerNo}`}
          onClick={() => {
            location.hash = payAgainHref(payment.product, prefillFor(payment));
          }}
        >
          Bayar lagi
        </button>
      )}
    </li>
  );
}

interface Props {
  showMember?: boolean;
  status?: PaymentStatus;
  empty: string;
  label: string;
  pageSize?: number;
  /** Offer "Muat lagi" (off for a short preview). */
  paging?: boolean;
  /** A "Bayar lagi" button on each row (the member's own history). */
  payAgain?: boolean;
}

export function PaymentList({
  showMember = false,
  status,
  empty,
  label,
  pageSize = 20,
  paging = true,
  payAgain = false,
}: Props) {
  const [items, setItems] = useState<Payment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();

  const loadFirst = useCallback(async () => {
    try {
      const page = await get<Page<Payment>>(`/v1/payments${query({ limit: pageSize, status })}`);
      setItems((current) =>
        page.items.reduce(
          (acc, p) => upsert(acc, p),
          current.filter((p) => !status || p.status === status),
        ),
      );
      setCursor((current) => current ?? page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setLoading(false);
    }
  }, [pageSize, status]);

  useEffect(() => {
    void loadFirst();
  }, [loadFirst]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await get<Page<Payment>>(`/v1/payments${query({ limit: pageSize, status, cursor })}`);
      setItems((current) => page.items.reduce((acc, p) => upsert(acc, p), current));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setLoading(false);
    }
  };

  useLiveEvents((event) => {
    if (event.type === 'ready') void loadFirst();
    if (event.type !== 'payment') return;
    get<Payment>(`/v1/payments/${event.paymentId}`)
      .then((payment) =>
        setItems((current) =>
          status && payment.status !== status
            ? current.filter((p) => p.id !== payment.id)
            : upsert(current, payment),
        ),
      )
      .catch(() => undefined);
  });

  return (
    <section aria-label={label} aria-busy={loading}>
      <ErrorMessage message={error} />
      {items.length === 0 && !loading && !error && <p class="empty">{empty}</p>}
      {items.length > 0 && (
        <ul class="payments">
          {(paging ? items : items.slice(0, pageSize)).map((p) => (
            <PaymentRow key={p.id} payment={p} showMember={showMember} payAgain={payAgain} />
          ))}
        </ul>
      )}
      {loading && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {paging && cursor && !loading && (
        <button type="button" class="button secondary" onClick={() => void loadMore()}>
          Muat lagi
        </button>
      )}
    </section>
  );
}
