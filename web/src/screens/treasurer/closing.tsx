/**
 * Tutup hari: what the treasurer checks before closing the day — payments by status, income, deposits and
 * corrections, what the koperasi owes the providers for the day, what is still open, reconciliation per
 * provider and the book's balances at day end. Printable (the print style hides the console around it), with
 * the day's report downloads beside it.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { download } from '../../download';
import { messageFor } from '../../errors';
import { ageInWords, count, fileSize, rupiah, statusLabel, todayWib, wibDateTime } from '../../format';
import { href } from '../../router';
import type { Closing } from '../../types';
import type { CounterClosing } from '../../counter';
import { ClosingCounter } from './closing-counter';
import { DateField, tanggal } from './date-field';

/** The book's accounts as a treasurer names them. */
const ACCOUNT_LABELS: Record<string, string> = {
  deposits_cash: 'Kas dari setoran simpanan',
  savings: 'Simpanan sukarela anggota',
  in_flight: 'Pembayaran sedang diproses',
  payable_gateway: 'Utang ke penyedia tagihan (lewat Pintu)',
  fee_income: 'Pendapatan biaya koperasi',
  commission_income: 'Pendapatan komisi',
};

const FORMATS = [
  { format: 'pdf', label: 'PDF' },
  { format: 'xlsx', label: 'Excel' },
  { format: 'csv', label: 'CSV' },
] as const;

export function ClosingScreen() {
  const [date, setDate] = useState(todayWib);
  const [data, setData] = useState<Closing | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [done, setDone] = useState<string>();

  useEffect(() => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    setLoading(true);
    get<Closing>(`/v1/closing${query({ date })}`)
      .then((d) => {
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => setError(messageFor(e)))
      .finally(() => setLoading(false));
  }, [date]);

  const fetchReport = async (format: string) => {
    setDone(undefined);
    try {
      const file = await download(`/v1/reports/daily${query({ date, format })}`, `laporan-${date}.${format}`);
      setDone(`Berkas ${file.name} (${fileSize(file.size)}) sudah diunduh.`);
    } catch (e) {
      setError(messageFor(e));
    }
  };

  return (
    <>
      <PageTitle title="Tutup hari">Tutup hari</PageTitle>
      <div class="card no-print closing-controls">
        <DateField id="closing-date" label="Tanggal (WIB)" value={date} onValue={setDate} max={todayWib()} />
        <div class="actions">
          <button type="button" class="button primary" onClick={() => window.print()}>
            Cetak
          </button>
          {FORMATS.map(({ format, label }) => (
            <button
              key={format}
              type="button"
              class="button secondary"
              onClick={() => void fetchReport(format)}
            >
              Laporan {label}
            </button>
          ))}
        </div>
        <p class="muted small">
          Laporan bulanan atau per rentang tanggal ada di <a href={href('laporan')}>Laporan</a>.
        </p>
        <StatusMessage message={done} tone="success" />
      </div>
      <ErrorMessage message={error} />
      {loading && !data && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {data && <ClosingSheet data={data} />}
    </>
  );
}

function ClosingSheet({ data }: { data: Closing }) {
  const success = data.payments.byStatus.find((s) => s.status === 'success');
  const openCount = data.open.suspects + data.open.reviewPayments + data.open.reviewRecon;
  return (
    <article class="closing" aria-label={`Tutup hari ${tanggal(data.date)}`} data-testid="closing">
      <header class="closing-head">
        <h2>
          {data.koperasi.name} · {tanggal(data.date)}
        </h2>
        <p class="muted small">
          {data.complete ? 'Hari sudah berakhir.' : 'Hari belum berakhir: angka masih bisa bertambah.'} Dibuat{' '}
          {wibDateTime(data.generatedAt)}.
        </p>
      </header>

      <section class="closing-figures" aria-label="Ringkasan hari">
        <Figure
          label="Pembayaran berhasil"
          value={rupiah(success?.total ?? 0)}
          note={`${count(success?.count ?? 0)} transaksi`}
        />
        <Figure
          label="Pendapatan biaya koperasi"
          value={rupiah(data.feeIncome)}
          note={`komisi ${rupiah(data.commissionIncome)}`}
        />
        <Figure
          label="Utang ke penyedia tagihan hari ini"
          value={rupiah(data.owedUpstream)}
          note="harga tagihan yang berhasil dibayar"
        />
        <Figure
          label="Setoran masuk"
          value={rupiah(data.deposits.net)}
          note={
            data.deposits.corrections.count > 0
              ? `${count(data.deposits.count)} setoran ${rupiah(data.deposits.total)}, dikoreksi ${rupiah(data.deposits.corrections.total)}`
              : `${count(data.deposits.count)} setoran`
          }
        />
      </section>

      <section aria-label="Pembayaran menurut status">
        <h3>Pembayaran menurut status</h3>
        {data.payments.count === 0 ? (
          <p class="empty">Tidak ada pembayaran pada tanggal ini.</p>
        ) : (
          <table class="closing-table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Jumlah
                </th>
                <th scope="col" class="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {data.payments.byStatus.map((s) => (
                <tr key={s.status}>
                  <td>{statusLabel(s.status)}</td>
                  <td class="num">{count(s.count)}</td>
                  <td class="num money">{rupiah(s.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Yang masih terbuka">
        <h3>Yang masih terbuka</h3>
        {openCount === 0 && data.open.dayUnmatched === 0 ? (
          <p class="alert alert-success">Tidak ada yang menunggu: semua pembayaran sudah pasti.</p>
        ) : (
          <ul class="closing-open">
            {data.open.suspects > 0 && (
              <li>
                <a href={href('suspect')}>{count(data.open.suspects)} pembayaran menunggu kepastian</a>
                {data.open.oldestSuspectMinutes !== null && (
                  <span class="muted"> · terlama {ageInWords(data.open.oldestSuspectMinutes)}</span>
                )}
              </li>
            )}
            {data.open.reviewPayments + data.open.reviewRecon > 0 && (
              <li>
                <a href={href('suspect')}>
                  {count(data.open.reviewPayments + data.open.reviewRecon)} selisih rekonsiliasi perlu
                  diperiksa
                </a>
              </li>
            )}
            {data.open.dayUnmatched > 0 && (
              <li>{count(data.open.dayUnmatched)} selisih dari file rekonsiliasi hari ini</li>
            )}
          </ul>
        )}
      </section>

      <ClosingCounter counter={(data as { counter?: CounterClosing | null }).counter} />

      <section aria-label="Rekonsiliasi">
        <h3>Rekonsiliasi per penyedia tagihan</h3>
        {!data.reconciliation.reconciled ? (
          <p class="alert alert-warning" data-testid="closing-recon">
            Belum direkonsiliasi: file rekonsiliasi penyedia tagihan untuk tanggal ini belum dicocokkan
            (otomatis setiap pagi untuk hari sebelumnya).
          </p>
        ) : (
          <ul class="closing-open" data-testid="closing-recon">
            {data.reconciliation.runs.map((r) => (
              <li key={r.adapter}>
                <strong>{r.adapter}</strong>:{' '}
                {r.finishedAt === null
                  ? 'gagal diproses'
                  : r.differences === 0
                    ? `cocok semua (${count(r.matched)} transaksi), tidak ada selisih`
                    : `${count(r.differences)} selisih, ${count(r.matched)} cocok`}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-label="Saldo akhir hari">
        <h3>Saldo buku koperasi {data.complete ? 'akhir hari' : 'saat ini'}</h3>
        <table class="closing-table">
          <tbody>
            {data.balances.map((b) => (
              <tr key={b.code}>
                <th scope="row">
                  {ACCOUNT_LABELS[b.code] ?? b.name}
                  {b.code === 'savings' && <span class="muted small"> ({count(b.accounts)} anggota)</span>}
                </th>
                <td class="num money">{rupiah(b.balance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p class="signature print-only">Diperiksa oleh bendahara: ____________________ Tanggal: __________</p>
    </article>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div class="figure">
      <span class="figure-label">{label}</span>
      <strong class="money">{value}</strong>
      <span class="muted small">{note}</span>
    </div>
  );
}
