/**
 * "Transparansi" for members: what the koperasi paid for its members today and this month, what it earned
 * in fees, and whether its ledger checks out, in plain words. Totals only: nobody's personal data.
 */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { CategoryIcon } from '../../components/icons';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { CATEGORY_NAMES, count, day, monthName, rupiah, wibDateTime } from '../../format';
import { useLiveEvents } from '../../live-context';
import type { PeriodTotals, ProductCategory, TransparencySummary } from '../../types';

const CATEGORIES: ProductCategory[] = ['electricity', 'water', 'health'];

/** Per category (Listrik, Air (PDAM), BPJS Kesehatan): members think in bills, not in product codes. */
function byCategory(totals: PeriodTotals) {
  return CATEGORIES.map((category) => {
    const items = totals.byProduct.filter((p) => p.category === category);
    return {
      category,
      payments: items.reduce((n, p) => n + p.payments, 0),
      total: items.reduce((n, p) => n + p.total, 0),
    };
  });
}

function Totals({ id, title, totals }: { id: string; title: string; totals: PeriodTotals }) {
  return (
    <section class="card" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      <dl class="rows fit">
        <dt>Jumlah pembayaran</dt>
        <dd data-testid={`${id}-payments`}>{count(totals.payments)}</dd>
        <dt>Tagihan yang dibayar</dt>
        <dd class="money" data-testid={`${id}-total`}>
          {rupiah(totals.total)}
        </dd>
        <dt>Pendapatan biaya koperasi</dt>
        <dd class="money" data-testid={`${id}-fees`}>
          {rupiah(totals.feeIncome)}
        </dd>
      </dl>
      <ul class="plain categories" aria-label={`${title} per jenis tagihan`}>
        {byCategory(totals).map((c) => (
          <li key={c.category} class="category-line" data-category={c.category}>
            <CategoryIcon category={c.category} />
            <span class="grow">
              <strong class="block">{CATEGORY_NAMES[c.category]}</strong>
              <span class="muted small">{count(c.payments)} pembayaran</span>
            </span>
            <span class="money">{rupiah(c.total)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function LedgerHealth({ summary }: { summary: TransparencySummary }) {
  const { checkpoint, verification } = summary;
  return (
    <section class="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Buku besar koperasi</h2>
      <p class="small">
        Setiap rupiah simpanan dan pembayaran dicatat di buku besar. Setiap hari buku besar diperiksa ulang
        dan ditandatangani secara digital oleh sistem.
      </p>
      <dl class="stacked">
        <dt>Pemeriksaan terakhir</dt>
        <dd data-testid="verification">
          {verification ? (
            <>
              <span class={`badge ${verification.ok ? 'badge-success' : 'badge-failed'}`}>
                {verification.ok ? 'Cocok, tidak ada selisih' : 'Ditemukan ketidakcocokan'}
              </span>{' '}
              <span class="small nowrap">{wibDateTime(verification.verifiedAt)}</span>
            </>
          ) : (
            'Belum pernah diperiksa'
          )}
        </dd>
        <dt>Tanda tangan terakhir</dt>
        <dd>{checkpoint ? `Tutup buku ${day(checkpoint.day)}` : 'Belum ada'}</dd>
      </dl>
      {checkpoint && (
        <div class="fingerprint-box">
          <p class="card-label">Sidik jari buku besar</p>
          <p>
            <code class="fingerprint big" data-testid="fingerprint">
              {checkpoint.fingerprint}
            </code>
          </p>
          <p class="muted small">
            Sidik jari adalah kode pendek dari tanda tangan digital buku besar hari itu. Kode yang sama
            tercatat di laporan pengurus dan di Dinas Koperasi; bila ada catatan yang diubah diam-diam,
            kodenya tidak akan cocok lagi.
          </p>
        </div>
      )}
      {verification && !verification.ok && (
        <p class="alert alert-warning">
          Pemeriksaan terakhir menemukan ketidakcocokan di buku besar. Tanyakan kepada bendahara atau pengawas
          koperasi.
        </p>
      )}
    </section>
  );
}

export function Transparency() {
  const [summary, setSummary] = useState<TransparencySummary | null>(null);
  const [error, setError] = useState<string>();

  const load = () =>
    get<TransparencySummary>('/v1/transparency/summary')
      .then((s) => {
        setSummary(s);
        setError(undefined);
      })
      .catch((e: unknown) => setError(messageFor(e)));

  useEffect(() => {
    void load();
  }, []);
  // A payment that settles changes the totals: read them again (a member's own events only, so rarely).
  useLiveEvents((event) => {
    if (event.type === 'payment' && event.status === 'success') void load();
  });

  return (
    <>
      <PageTitle title="Transparansi">Transparansi koperasi</PageTitle>
      <p class="muted">
        Berapa tagihan yang dibayar anggota lewat {summary ? summary.koperasi.name : 'koperasi'}, dan berapa
        biaya koperasi yang terkumpul (biaya kecil per pembayaran yang menjadi pendapatan koperasi). Hanya
        jumlah: tidak ada data pribadi anggota.
      </p>
      <ErrorMessage message={error} />
      {!summary && !error && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {summary && (
        <>
          <Totals id="month" title={`Bulan ini (${monthName(summary.month.month)})`} totals={summary.month} />
          <Totals id="today" title={`Hari ini (${day(summary.today.day)})`} totals={summary.today} />
          <LedgerHealth summary={summary} />
        </>
      )}
    </>
  );
}
