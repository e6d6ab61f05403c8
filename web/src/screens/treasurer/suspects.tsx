/**
 * Suspect payments: the upstream may or may not have paid. The treasurer checks at the biller and
 * settles each one as success or failed (refunded), with a reason that is audited.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, post, query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { upsert } from '../../components/payment-list';
import { messageFor } from '../../errors';
import { productName, rupiah, wibDateTime } from '../../format';
import { useLiveEvents } from '../../live-context';
import { href } from '../../router';
import type { Page, Payment } from '../../types';

function ResolveForm({ payment, onResolved }: { payment: Payment; onResolved: (p: Payment) => void }) {
  const [outcome, setOutcome] = useState<'success' | 'failed' | ''>('');
  const [reason, setReason] = useState('');
  const [upstreamRef, setUpstreamRef] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const base = `r-${payment.id}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!outcome) return setError('Pilih hasil di biller: berhasil atau gagal.');
    if (!reason.trim()) return setError('Isi alasan (mis. “dicek di portal biller: terbayar”).');
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, string> = { outcome, reason: reason.trim() };
      if (upstreamRef.trim()) body.upstreamRef = upstreamRef.trim();
      onResolved(await post<Payment>(`/v1/payments/${payment.id}/resolve`, body));
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate class="resolve">
      <fieldset>
        <legend>Hasil di biller</legend>
        <label class="radio">
          <input
            type="radio"
            name={`${base}-outcome`}
            value="success"
            checked={outcome === 'success'}
            onChange={() => setOutcome('success')}
          />
          Berhasil — tagihan terbayar, dana diteruskan
        </label>
        <label class="radio">
          <input
            type="radio"
            name={`${base}-outcome`}
            value="failed"
            checked={outcome === 'failed'}
            onChange={() => setOutcome('failed')}
          />
          Gagal — dana dikembalikan ke anggota
        </label>
      </fieldset>
      <div class="field">
        <label for={`${base}-reason`}>Alasan</label>
        <textarea
          id={`${base}-reason`}
          rows={2}
          maxLength={500}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={`${base}-ref`}>Nomor referensi biller (opsional)</label>
        <input
          id={`${base}-ref`}
          maxLength={64}
          value={upstreamRef}
          onInput={(e) => setUpstreamRef(e.currentTarget.value)}
        />
      </div>
      <ErrorMessage message={error} />
      <button type="submit" class="button primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Menyimpan…' : 'Selesaikan'}
      </button>
    </form>
  );
}

export function Suspects({ readOnly = false }: { readOnly?: boolean }) {
  const [items, setItems] = useState<Payment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const load = useCallback(async (after?: string) => {
    setLoading(true);
    try {
      const page = await get<Page<Payment>>(
        `/v1/payments${query({ status: 'suspect', limit: 50, cursor: after })}`,
      );
      setItems((current) => page.items.reduce((acc, p) => upsert(acc, p), after ? current : []));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useLiveEvents((event) => {
    if (event.type === 'ready') void load();
    if (event.type !== 'payment') return;
    if (event.status === 'suspect') {
      get<Payment>(`/v1/payments/${event.paymentId}`)
        .then((p) => setItems((current) => (p.status === 'suspect' ? upsert(current, p) : current)))
        .catch(() => undefined);
    } else {
      setItems((current) => current.filter((p) => p.id !== event.paymentId));
    }
  });

  const resolved = (payment: Payment) => {
    setItems((current) => current.filter((p) => p.id !== payment.id));
    setNotice(
      `Pembayaran ${productName(payment.product)} ${payment.customerNo} (${payment.memberNo}) diselesaikan sebagai ${payment.status === 'success' ? 'berhasil' : 'gagal; dana dikembalikan'}.`,
    );
  };

  return (
    <>
      <PageTitle title="Perlu konfirmasi">Pembayaran menunggu konfirmasi</PageTitle>
      <p class="muted">
        Biller belum memberi kepastian untuk pembayaran ini (suspect). Sistem terus memeriksanya;
        {readOnly
          ? ' bendahara menyelesaikannya setelah memastikan di portal biller.'
          : ' bila sudah Anda pastikan di portal biller, selesaikan di sini.'}
      </p>
      <StatusMessage message={notice} tone="success" />
      <ErrorMessage message={error} />
      {items.length === 0 && !loading && !error && (
        <p class="empty">Tidak ada pembayaran yang menunggu konfirmasi.</p>
      )}
      <ul class="plain">
        {items.map((p) => (
          <li key={p.id} class="card suspect">
            <h2 class="h3">
              <a href={href('pembayaran', p.id)}>
                {productName(p.product)} · {p.customerNo}
              </a>
            </h2>
            <p>
              {p.customerName} · Anggota {p.memberNo} · <strong class="money">{rupiah(p.total)}</strong>
            </p>
            <p class="muted small">
              {wibDateTime(p.createdAt)}
              {p.suspectSince && <> · menunggu sejak {wibDateTime(p.suspectSince)}</>}
            </p>
            {p.needsAttention && (
              <p class="alert alert-warning">
                {readOnly
                  ? 'Sudah lama tanpa kepastian: bendahara perlu memeriksanya di portal biller.'
                  : 'Sudah lama tanpa kepastian: mohon periksa di portal biller lalu selesaikan.'}
              </p>
            )}
            {!readOnly && <ResolveForm payment={p} onResolved={resolved} />}
          </li>
        ))}
      </ul>
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
    </>
  );
}
