/**
 * Payments waiting for a person: suspect ones (the upstream may or may not have paid) and open ones a
 * reconciliation could not decide; the treasurer checks at the provider and settles each as success or failed
 * (refunded), with a reason that is audited. Below them, reconciliation items of settled payments that need a
 * look (e.g. the provider charged another amount), with both sides' evidence.
 */
import { ConfirmEffect } from '../../components/confirm-effect';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, post, query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { upsert } from '../../components/payment-list';
import { messageFor } from '../../errors';
import { CopyButton } from '../../components/copy-button';
import { ageInWords, day, productName, rupiah, statusLabel, wibDateTime } from '../../format';
import { useLiveEvents } from '../../live-context';
import { href } from '../../router';
import type { Page, Payment, ReviewItem } from '../../types';

/** Staff see the member's name and, while the payment is open, the full customer number. */
type StaffPayment = Payment & { reviewReason?: string | null };

const isOpen = (p: Payment) => p.status === 'suspect' || p.status === 'processing';

const who = (p: StaffPayment) => (p.memberName ? `${p.memberName} (${p.memberNo})` : `anggota ${p.memberNo}`);

/** The money effect of a decision, in words, before it is made. */
export function effectInWords(p: StaffPayment, outcome: 'success' | 'failed'): string {
  return outcome === 'failed'
    ? `${rupiah(p.total)} kembali ke saldo ${who(p)}.`
    : `Tagihan dianggap terbayar: ${rupiah(p.total)} dari saldo ${who(p)} diteruskan ke penyedia tagihan dan tidak kembali.`;
}

const waitedMinutes = (p: StaffPayment, now: number) =>
  Math.max(0, Math.floor((now - new Date(p.suspectSince ?? p.createdAt).getTime()) / 60_000));

function ResolveForm({ payment, onResolved }: { payment: StaffPayment; onResolved: (p: Payment) => void }) {
  const [outcome, setOutcome] = useState<'success' | 'failed' | ''>('');
  const [reason, setReason] = useState('');
  const [upstreamRef, setUpstreamRef] = useState('');
  /** What the provider's portal says our deposit was charged (a token is priced when it is bought). */
  const [price, setPrice] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** The decision is shown in words and confirmed once more before it moves money. */
  const [confirming, setConfirming] = useState(false);
  const base = `r-${payment.id}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!outcome) return setError('Pilih hasil di penyedia tagihan: berhasil atau gagal.');
    if (!reason.trim()) return setError('Isi alasan (mis. “dicek di portal penyedia: terbayar”).');
    if (outcome === 'success' && price.trim() && !/^[1-9]\d{0,11}$/.test(price.replace(/\./g, '').trim()))
      return setError('Harga dari penyedia: tulis angka rupiah saja, mis. 52075.');
    setError(undefined);
    setConfirming(true);
  };

  const confirm = async () => {
    if (busy || !outcome) return;
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, string> = { outcome, reason: reason.trim() };
      if (upstreamRef.trim()) body.upstreamRef = upstreamRef.trim();
      const charged = price.replace(/\./g, '').trim();
      onResolved(
        await post<Payment>(`/v1/payments/${payment.id}/resolve`, {
          ...body,
          ...(outcome === 'success' && charged ? { price: Number(charged) } : {}),
        }),
      );
    } catch (err) {
      setError(messageFor(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate class="resolve">
      <fieldset>
        <legend>Hasil di penyedia tagihan</legend>
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
        <label for={`${base}-ref`}>Nomor referensi penyedia (opsional)</label>
        <input
          id={`${base}-ref`}
          maxLength={64}
          value={upstreamRef}
          onInput={(e) => setUpstreamRef(e.currentTarget.value)}
        />
      </div>
      {outcome === 'success' && (
        <div class="field">
          <label for={`${base}-price`}>Harga yang dipotong penyedia, Rp (opsional)</label>
          <input
            id={`${base}-price`}
            inputMode="numeric"
            maxLength={16}
            value={price}
            onInput={(e) => setPrice(e.currentTarget.value)}
            aria-describedby={`${base}-price-hint`}
          />
          <p class="hint" id={`${base}-price-hint`}>
            Lihat di portal penyedia. Kosongkan bila sama dengan harga saat cek tagihan.
          </p>
        </div>
      )}
      <ErrorMessage message={error} />
      {confirming && outcome ? (
        <ConfirmEffect
          id={`${base}-effect`}
          effect={<strong>{effectInWords(payment, outcome)}</strong>}
          confirmLabel="Ya, selesaikan"
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button type="submit" class="button primary">
          Selesaikan
        </button>
      )}
    </form>
  );
}

export function Suspects({ readOnly = false }: { readOnly?: boolean }) {
  const [items, setItems] = useState<StaffPayment[]>([]);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const load = useCallback(async (after?: string) => {
    setLoading(true);
    try {
      const [page, review] = await Promise.all([
        get<Page<Payment>>(`/v1/payments${query({ status: 'suspect', limit: 50, cursor: after })}`),
        // Open payments a reconciliation listed for a person (they may still be "processing").
        after
          ? Promise.resolve(null)
          : get<Page<Payment>>(`/v1/payments${query({ attention: 'true', limit: 100 })}`),
      ]);
      const open = [...page.items, ...(review?.items ?? [])].filter(isOpen);
      setItems((current) => open.reduce((acc, p) => upsert(acc, p), after ? current : []));
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
    } else if (event.status !== 'processing') {
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
        Penyedia tagihan belum memberi kepastian untuk pembayaran ini, atau catatannya berbeda dengan Pintu.
        Sistem terus memeriksanya;
        {readOnly
          ? ' bendahara menyelesaikannya setelah memastikan di portal penyedia tagihan.'
          : ' bila sudah Anda pastikan di portal penyedia tagihan, selesaikan di sini.'}
      </p>
      <StatusMessage message={notice} tone="success" />
      <ErrorMessage message={error} />
      {items.length === 0 && !loading && !error && (
        <p class="empty">Tidak ada pembayaran yang menunggu konfirmasi.</p>
      )}
      {items.length > 1 && <p class="muted small">Urutan: yang paling lama menunggu di atas.</p>}
      <ul class="plain">
        {[...items]
          .sort((a, b) => waitedMinutes(b, now) - waitedMinutes(a, now))
          .map((p) => (
            <li key={p.id} class="card suspect">
              <h2 class="h3">
                <a href={href('pembayaran', p.id)}>
                  {productName(p.product)} · {p.memberName ?? `Anggota ${p.memberNo}`}
                </a>
              </h2>
              <p>
                {p.customerName} · Anggota {p.memberNo} · <strong class="money">{rupiah(p.total)}</strong>
              </p>
              <p class="waited">
                Menunggu <strong>{ageInWords(waitedMinutes(p, now))}</strong>
                <span class="muted small"> · dibayar {wibDateTime(p.createdAt)}</span>
              </p>
              <dl class="rows refs">
                <dt>Nomor pelanggan</dt>
                <dd>
                  <span class="mono">{p.customerNoFull ?? p.customerNo}</span>{' '}
                  {p.customerNoFull && (
                    <CopyButton text={p.customerNoFull} label="Salin" what="Nomor pelanggan" small />
                  )}
                </dd>
                {p.upstream && (
                  <>
                    <dt>Referensi Pintu ({p.upstream.adapter})</dt>
                    <dd>
                      <span class="mono break">{p.upstream.refId}</span>{' '}
                      <CopyButton text={p.upstream.refId} label="Salin" what="Referensi Pintu" small />
                    </dd>
                  </>
                )}
                {p.upstreamRef && (
                  <>
                    <dt>Referensi penyedia</dt>
                    <dd>
                      <span class="mono break">{p.upstreamRef}</span>{' '}
                      <CopyButton text={p.upstreamRef} label="Salin" what="Referensi penyedia" small />
                    </dd>
                  </>
                )}
              </dl>
              {p.needsAttention && (
                <p class="alert alert-warning">
                  {readOnly
                    ? 'Sudah lama tanpa kepastian: bendahara perlu memeriksanya di portal penyedia tagihan.'
                    : 'Sudah lama tanpa kepastian: mohon periksa di portal penyedia tagihan lalu selesaikan.'}
                </p>
              )}
              {p.reviewReason && (
                <div class="evidence">
                  <p class="small">
                    <strong>Catatan rekonsiliasi:</strong> <span class="break">{p.reviewReason}</span>
                  </p>
                </div>
              )}
              {!readOnly && p.status === 'suspect' && <ResolveForm payment={p} onResolved={resolved} />}
              {p.status === 'processing' && (
                <p class="muted small">
                  Pintu masih menunggu jawaban penyedia tagihan untuk pembayaran ini; setelah statusnya
                  menunggu kepastian, bendahara bisa menyelesaikannya di sini.
                </p>
              )}
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
      <ReviewItems openIds={new Set(items.map((p) => p.id))} />
    </>
  );
}

const CLASS_WORDS: Record<string, string> = {
  amount_mismatch: 'Nominal berbeda',
  status_mismatch: 'Status berbeda',
  missing_upstream: 'Tidak ada di file penyedia tagihan',
  missing_here: 'Ada di penyedia tagihan, tidak ada di Pintu',
};

const side = (s: { status: string | null; amount: number | null; price: number | null }) =>
  [
    s.status ? statusLabel(s.status) : 'tidak ada',
    s.amount !== null ? `total ${rupiah(s.amount)}` : null,
    s.price !== null ? `harga ${rupiah(s.price)}` : null,
  ]
    .filter(Boolean)
    .join(', ');

/**
 * Reconciliation items of the last 30 days that need a person and whose payment is no longer open (an open one
 * is in the list above, with its resolution form): what each side says, so the treasurer can take it up with
 * the provider. Pintu never refunds on such a difference by itself.
 */
function ReviewItems({ openIds }: { openIds: Set<string> }) {
  const [items, setItems] = useState<ReviewItem[]>([]);
  useEffect(() => {
    get<{ items: ReviewItem[] }>('/v1/reconciliations/review')
      .then((r) => setItems(r.items))
      .catch(() => undefined);
  }, []);
  const shown = items.filter((i) => !i.paymentId || !openIds.has(i.paymentId));
  if (shown.length === 0) return null;
  return (
    <section aria-label="Selisih rekonsiliasi" class="review-items">
      <h2>Selisih rekonsiliasi perlu diperiksa ({shown.length})</h2>
      <p class="muted small">
        File rekonsiliasi penyedia tagihan berbeda dengan catatan Pintu untuk pembayaran yang sudah selesai.
        Pintu tidak mengubah apa pun sendiri: periksa di portal penyedia tagihan dan hubungi mereka bila
        perlu.
      </p>
      <ul class="plain">
        {shown.map((i) => (
          <li key={`${i.adapter}-${i.date}-${i.refId}`} class="card suspect">
            <h3 class="h3">
              {CLASS_WORDS[i.class] ?? i.class} · {day(i.date)}
            </h3>
            {i.payment && (
              <p>
                {i.paymentId ? (
                  <a href={href('pembayaran', i.paymentId)}>{productName(i.payment.product)}</a>
                ) : (
                  productName(i.payment.product)
                )}{' '}
                · {i.payment.memberName} ({i.payment.memberNo}) · {statusLabel(i.payment.status)}
              </p>
            )}
            <dl class="rows refs">
              <dt>Referensi Pintu ({i.adapter})</dt>
              <dd>
                <span class="mono break">{i.refId}</span>{' '}
                <CopyButton text={i.refId} label="Salin" what="Referensi Pintu" small />
              </dd>
              <dt>Catatan Pintu</dt>
              <dd>{side(i.ours)}</dd>
              <dt>File penyedia</dt>
              <dd>{side(i.upstream)}</dd>
            </dl>
            {i.note && <p class="muted small break">{i.note}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
