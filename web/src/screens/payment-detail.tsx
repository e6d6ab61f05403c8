/**
 * One payment, live: processing → success | failed | suspect (→ refunded). The status changes as
 * GET /v1/events reports it; on each event and each (re)connect the payment is re-read, so the PLN
 * token appears as soon as the payment succeeds. A slow poll covers a lost event.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorMessage, StatusMessage } from '../components/alert';
import { CopyButton } from '../components/copy-button';
import { HelpContact } from '../components/help-contact';
import { PageTitle } from '../components/page-title';
import { StatusBadge } from '../components/status-badge';
import { download } from '../download';
import { messageFor } from '../errors';
import { SaveNumber } from '../components/save-number';
import { ShareReceipt } from '../components/share-receipt';
import { fileSize, isFinal, period, productName, rupiah, tokenKwh, wibDateTime } from '../format';
import { payAgainHref, prefillFor, useSavedNumbers } from '../saved-numbers';
import { useLiveEvents } from '../live-context';
import { href } from '../router';
import type { Payment, PaymentStatus, Role } from '../types';

const FALLBACK_POLL_MS = 15_000;

const HEADLINES: Record<PaymentStatus, string> = {
  processing: 'Pembayaran sedang diproses…',
  success: 'Pembayaran berhasil',
  failed: 'Pembayaran gagal',
  suspect: 'Menunggu kepastian dari penyedia tagihan',
  refunded: 'Pembayaran dikembalikan',
};

const EXPLANATIONS: Record<PaymentStatus, string> = {
  processing: 'Saldo sudah ditahan. Halaman ini berubah sendiri begitu ada hasil dari penyedia tagihan.',
  success: 'Tagihan sudah dibayar.',
  failed: 'Tagihan tidak terbayar. Dana sudah dikembalikan ke saldo simpanan.',
  suspect:
    'Penyedia tagihan belum memberi kepastian. Dana tetap ditahan dan tidak akan ditagih dua kali; status diperiksa otomatis dan oleh bendahara.',
  refunded: 'Penyedia tagihan membatalkan pembayaran ini. Dana sudah dikembalikan ke saldo simpanan.',
};

/** A long reference wraps after its separators (- / _ .) before it would ever break inside a word. */
function breakAtSeparators(text: string) {
  return text.split(/(?<=[-/_.])/).map((part, i) => (
    <span key={i}>
      {part}
      <wbr />
    </span>
  ));
}

/** "Bayar lagi": this product and number on the pay screen, the bill checked at once. */
function PayAgain({ payment }: { payment: Payment }) {
  const { items } = useSavedNumbers();
  const saved = items?.find((x) => x.product === payment.product && x.customerNo === payment.customerNo);
  return (
    <a class="button secondary" href={payAgainHref(payment.product, prefillFor(payment, saved?.months))}>
      Bayar lagi
    </a>
  );
}

export function PaymentDetail({ id, role, koperasiCode }: { id: string; role: Role; koperasiCode?: string }) {
  const [payment, setPayment] = useState<Payment | null>(null);
  const [error, setError] = useState<string>();
  const [receipt, setReceipt] = useState<string>();
  const [downloading, setDownloading] = useState(false);

  const load = useCallback(async () => {
    try {
      setPayment(await get<Payment>(`/v1/payments/${encodeURIComponent(id)}`));
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  useLiveEvents((event) => {
    if (event.type === 'ready') void load();
    if (event.type === 'payment' && event.paymentId === id) {
      setPayment((current) => (current ? { ...current, status: event.status } : current));
      void load();
    }
  });

  const status = payment?.status;
  useEffect(() => {
    if (!status || isFinal(status)) return;
    const timer = setInterval(() => void load(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [status, load]);

  const downloadReceipt = async () => {
    if (!payment) return;
    setDownloading(true);
    setReceipt(undefined);
    try {
      const file = await download(`/v1/payments/${payment.id}/receipt`, `struk-${payment.id}.pdf`);
      setReceipt(`Struk ${file.name} (${fileSize(file.size)}) sudah diunduh.`);
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setDownloading(false);
    }
  };

  if (!payment) {
    return (
      <>
        <PageTitle title="Pembayaran">Pembayaran</PageTitle>
        <ErrorMessage message={error} />
        {!error && (
          <p class="muted" role="status">
            Memuat…
          </p>
        )}
      </>
    );
  }

  const s = payment.status;
  return (
    <>
      <PageTitle title="Pembayaran">{productName(payment.product)}</PageTitle>
      <section class={`card result result-${s}`} aria-labelledby="result-title">
        <div role="status" aria-live="polite" aria-atomic="true" data-testid="payment-status" data-status={s}>
          <h2 id="result-title">
            {s === 'processing' && <span class="spinner" aria-hidden="true" />}
            {HEADLINES[s]}
          </h2>
          <p>
            {s === 'success' && payment.token
              ? 'Token listrik sudah terbit. Masukkan 20 angka token ini ke meteran listrik Anda.'
              : EXPLANATIONS[s]}
          </p>
        </div>
        {s === 'success' && payment.token && (
          <div class="token-box">
            <p class="card-label" id="token-label">
              Token listrik
            </p>
            <p class="token" data-testid="token" aria-labelledby="token-label">
              {/* Wrap only between groups of digits on a narrow screen. */}
              {payment.token.split('-').map((group, i, all) => (
                <span key={i} class="token-group">
                  {group}
                  {i < all.length - 1 ? '-' : ''}
                  {i < all.length - 1 && <wbr />}
                </span>
              ))}
            </p>
            {tokenKwh(payment.upstreamRef) && (
              <p class="token-kwh" data-testid="token-kwh">
                {tokenKwh(payment.upstreamRef)}
              </p>
            )}
            <p class="token-actions">
              <CopyButton text={payment.token.replace(/\D/g, '')} label="Salin token" primary />
            </p>
          </div>
        )}
        {(s === 'failed' || s === 'refunded') && payment.failureMessage && (
          <p class="muted small">Keterangan penyedia tagihan: {payment.failureMessage}</p>
        )}
        {(s === 'success' || s === 'refunded') && (
          <p class="receipt-actions">
            <button
              type="button"
              class={`button ${payment.token ? 'secondary' : 'primary'}`}
              onClick={() => void downloadReceipt()}
              disabled={downloading}
              aria-busy={downloading}
            >
              {downloading ? 'Mengunduh…' : 'Unduh struk'}
            </button>
            {role === 'member' && <ShareReceipt payment={payment} />}
            {role === 'member' && <PayAgain payment={payment} />}
          </p>
        )}
        {role === 'member' && s === 'failed' && (
          <p class="receipt-actions">
            <PayAgain payment={payment} />
          </p>
        )}
        {role === 'member' && s === 'success' && <SaveNumber payment={payment} />}
        <StatusMessage message={receipt} tone="success" />
        <ErrorMessage message={error} />
        {role === 'member' && koperasiCode && s !== 'success' && (
          <HelpContact
            koperasiCode={koperasiCode}
            about={`pembayaran ${productName(payment.product)} ${payment.customerNo} (ID ${payment.id})`}
          />
        )}
      </section>
      <section class="card" aria-labelledby="detail-title">
        <h2 id="detail-title">Rincian</h2>
        <dl class="rows">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={s} />
          </dd>
          {role !== 'member' && (
            <>
              <dt>Anggota</dt>
              <dd>{payment.memberNo}</dd>
            </>
          )}
          <dt>Nama pelanggan</dt>
          <dd>{payment.customerName}</dd>
          <dt>{payment.token ? 'Nomor meter' : 'Nomor pelanggan'}</dt>
          <dd>{payment.customerNo}</dd>
          {tokenKwh(payment.upstreamRef) && (
            <>
              <dt>Jumlah listrik</dt>
              <dd>{tokenKwh(payment.upstreamRef)}</dd>
            </>
          )}
          {payment.periods.length > 0 && (
            <>
              <dt>Periode</dt>
              <dd>{payment.periods.map(period).join(', ')}</dd>
            </>
          )}
          <dt>Tagihan</dt>
          <dd class="money">{rupiah(payment.billAmount)}</dd>
          <dt>Denda</dt>
          <dd class="money">{rupiah(payment.penalty)}</dd>
          <dt>Biaya admin</dt>
          <dd class="money">{rupiah(payment.adminFee)}</dd>
          <dt>Biaya koperasi</dt>
          <dd class="money">{rupiah(payment.koperasiFee)}</dd>
          <dt class="total">Total</dt>
          <dd class="total money">{rupiah(payment.total)}</dd>
          <dt>Waktu</dt>
          <dd>{wibDateTime(payment.createdAt)}</dd>
          {payment.upstreamRef && (
            <>
              <dt>Referensi penyedia tagihan</dt>
              <dd class="break">{breakAtSeparators(payment.upstreamRef)}</dd>
            </>
          )}
        </dl>
      </section>
      <p>
        <a href={role === 'member' ? href('riwayat') : href()}>
          {role === 'member' ? 'Lihat riwayat' : 'Kembali ke transaksi'}
        </a>
      </p>
    </>
  );
}
