/**
 * Every payment of the koperasi as it happens, with the day at a glance and filters: status (chips), product,
 * member (number or name) and WIB day. The filters are the list API's own query parameters, so paging and the
 * live updates respect them too.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, query } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { PaymentRow, upsert } from '../../components/payment-list';
import { StatusChips } from '../../components/status-chips';
import { messageFor } from '../../errors';
import { PRODUCT_NAMES, todayWib } from '../../format';
import { useLiveEvents } from '../../live-context';
import type { Page, Payment, PaymentStatus, Product } from '../../types';
import { DateField } from './date-field';
import { type Today, TodayStrip } from './today-strip';

export interface FeedFilter {
  status?: PaymentStatus;
  product?: string;
  member?: string;
  date?: string;
}

export function LiveFeed({ today }: { today: Today | null }) {
  const [filter, setFilter] = useState<FeedFilter>({});
  const [memberText, setMemberText] = useState('');
  const [products, setProducts] = useState<{ code: string; name: string }[]>(
    Object.entries(PRODUCT_NAMES).map(([code, name]) => ({ code, name })),
  );

  useEffect(() => {
    get<Product[]>('/v1/products')
      .then((list) => setProducts(list.map((p) => ({ code: p.code, name: p.name }))))
      .catch(() => undefined);
  }, []);

  // The member box filters once the treasurer pauses typing.
  useEffect(() => {
    const timer = setTimeout(() => {
      const member = memberText.trim() || undefined;
      setFilter((f) => (f.member === member ? f : { ...f, member }));
    }, 400);
    return () => clearTimeout(timer);
  }, [memberText]);

  const filtered = filter.product !== undefined || filter.member !== undefined || filter.date !== undefined;
  return (
    <>
      <PageTitle title="Transaksi">Transaksi koperasi</PageTitle>
      <TodayStrip data={today} />
      <p class="muted">
        Pembayaran anggota muncul di sini secara langsung (tanda “Langsung” di atas menunjukkan sambungannya).
      </p>
      <StatusChips value={filter.status} onChange={(status) => setFilter((f) => ({ ...f, status }))} />
      <details class="feed-filters" open={filtered}>
        <summary>Saring menurut produk, anggota atau tanggal{filtered ? ' (aktif)' : ''}</summary>
        <div class="filter-grid">
          <div class="field">
            <label for="filter-product">Produk</label>
            <select
              id="filter-product"
              value={filter.product ?? ''}
              onChange={(e) => setFilter((f) => ({ ...f, product: e.currentTarget.value || undefined }))}
            >
              <option value="">Semua produk</option>
              {products.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-member">Anggota (nomor atau nama)</label>
            <input
              id="filter-member"
              type="search"
              value={memberText}
              maxLength={64}
              autocomplete="off"
              placeholder="mis. A-001 atau Siti"
              onInput={(e) => setMemberText(e.currentTarget.value)}
            />
          </div>
          <DateField
            id="filter-date"
            label="Tanggal (WIB)"
            value={filter.date ?? ''}
            max={todayWib()}
            onValue={(date) =>
              setFilter((f) => ({ ...f, date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined }))
            }
          />
        </div>
        {filtered && (
          <button
            type="button"
            class="button link"
            onClick={() => {
              setMemberText('');
              setFilter((f) => ({ status: f.status }));
            }}
          >
            Hapus saringan
          </button>
        )}
      </details>
      <FeedList
        key={JSON.stringify(filter)}
        filter={filter}
        empty={
          filtered || filter.status
            ? 'Tidak ada transaksi yang cocok dengan saringan ini.'
            : 'Belum ada transaksi.'
        }
      />
    </>
  );
}

/** Does a payment (from a live event) belong in the filtered list? The same rules as the API's. */
function matches(p: Payment, f: FeedFilter): boolean {
  if (f.status && p.status !== f.status) return false;
  if (f.product && p.product !== f.product) return false;
  if (f.date && todayWib(new Date(p.createdAt)) !== f.date) return false;
  if (f.member) {
    const m = f.member.toLowerCase();
    if ((p.memberNo ?? '').toLowerCase() !== m && !(p.memberName ?? '').toLowerCase().includes(m))
      return false;
  }
  return true;
}

function FeedList({ filter, empty }: { filter: FeedFilter; empty: string }) {
  const [items, setItems] = useState<Payment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  // The list is keyed by the filter (a new filter is a new list), so the filter never changes under it.
  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      try {
        const page = await get<Page<Payment>>(
          `/v1/payments${query({ limit: 20, ...filter, cursor: after })}`,
        );
        setItems((current) => page.items.reduce((acc, p) => upsert(acc, p), after ? current : []));
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (e) {
        setError(messageFor(e));
      } finally {
        setLoading(false);
      }
    },
    [filter],
  );

  useEffect(() => {
    void load();
  }, [load]);

  useLiveEvents((event) => {
    if (event.type === 'ready') void load();
    if (event.type !== 'payment') return;
    get<Payment>(`/v1/payments/${event.paymentId}`)
      .then((p) =>
        setItems((current) =>
          matches(p, filter) ? upsert(current, p) : current.filter((x) => x.id !== p.id),
        ),
      )
      .catch(() => undefined);
  });

  return (
    <section aria-label="Transaksi terbaru" aria-busy={loading}>
      <ErrorMessage message={error} />
      {items.length === 0 && !loading && !error && <p class="empty">{empty}</p>}
      {items.length > 0 && (
        <ul class="payments">
          {items.map((p) => (
            <PaymentRow key={p.id} payment={p} showMember />
          ))}
        </ul>
      )}
      {loading && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {cursor && !loading && (
        <button type="button" class="button secondary" onClick={() => void load(cursor)}>
          Muat lagi
        </button>
      )}
    </section>
  );
}
