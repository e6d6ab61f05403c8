/** The daily report (CSV, XLSX, PDF) and the reconciliation results of a WIB date. */
import { useState } from 'preact/hooks';
import { get, query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { download } from '../../download';
import { messageFor } from '../../errors';
import { day, fileSize, statusLabel, todayWib, wibDateTime } from '../../format';
import { href } from '../../router';
import type { ReconItem } from '../../types';

const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'Excel (XLSX)' },
  { format: 'pdf', label: 'PDF' },
] as const;

const CLASSES: Record<string, string> = {
  amount_mismatch: 'Selisih nominal',
  status_mismatch: 'Status berbeda',
  missing_upstream: 'Tidak ada di biller',
  missing_here: 'Tidak ada di Pintu',
  matched: 'Cocok',
};

const ACTIONS: Record<string, string> = {
  auto_success: 'Otomatis: jadi berhasil',
  auto_failed: 'Otomatis: gagal, dana dikembalikan',
  auto_refund: 'Otomatis: dikembalikan',
  waiting_grace: 'Menunggu masa tenggang',
  needs_review: 'Perlu diperiksa',
  none: '—',
};

const validDate = (date: string) => /^\d{4}-\d{2}-\d{2}$/.test(date);

export function Reports() {
  const [date, setDate] = useState(todayWib);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [recon, setRecon] = useState<{ date: string; reconciled: boolean; items: ReconItem[] } | null>(null);
  const [reconBusy, setReconBusy] = useState(false);
  const [reconError, setReconError] = useState<string>();

  const fetchReport = async (format: string) => {
    if (!validDate(date)) return setError('Pilih tanggal laporan.');
    setBusy(format);
    setError(undefined);
    setDone(undefined);
    try {
      const file = await download(`/v1/reports/daily${query({ date, format })}`, `laporan-${date}.${format}`);
      setDone(`Berkas ${file.name} (${fileSize(file.size)}) sudah diunduh.`);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(undefined);
    }
  };

  const showRecon = async (e: Event) => {
    e.preventDefault();
    if (!validDate(date)) return setReconError('Pilih tanggal.');
    setReconBusy(true);
    setReconError(undefined);
    try {
      setRecon(
        await get<{ date: string; reconciled: boolean; items: ReconItem[] }>(
          `/v1/reconciliations${query({ date })}`,
        ),
      );
    } catch (err) {
      setReconError(messageFor(err));
    } finally {
      setReconBusy(false);
    }
  };

  return (
    <>
      <PageTitle title="Laporan">Laporan harian</PageTitle>
      <div class="card">
        <div class="field">
          <label for="report-date">Tanggal (WIB)</label>
          <input
            id="report-date"
            type="date"
            value={date}
            max={todayWib()}
            onInput={(e) => setDate(e.currentTarget.value)}
            required
          />
        </div>
        <p class="muted small">
          Semua pembayaran hari itu, total, pendapatan biaya dan komisi, utang ke gateway, serta yang masih
          menunggu konfirmasi.
        </p>
        <div class="actions">
          {FORMATS.map(({ format, label }) => (
            <button
              key={format}
              type="button"
              class="button primary"
              onClick={() => void fetchReport(format)}
              disabled={busy !== undefined}
              aria-busy={busy === format}
            >
              {busy === format ? 'Mengunduh…' : `Unduh ${label}`}
            </button>
          ))}
        </div>
        <StatusMessage message={done} tone="success" />
        <ErrorMessage message={error} />
      </div>

      <h2>Rekonsiliasi</h2>
      <form class="card" onSubmit={(e) => void showRecon(e)}>
        <p class="muted small">
          Hasil pencocokan dengan berkas settlement biller untuk tanggal di atas (berjalan otomatis setiap
          pagi untuk hari sebelumnya). Hanya yang tidak cocok yang ditampilkan.
        </p>
        <button type="submit" class="button secondary" disabled={reconBusy} aria-busy={reconBusy}>
          {reconBusy ? 'Memuat…' : 'Tampilkan hasil rekonsiliasi'}
        </button>
        <ErrorMessage message={reconError} />
      </form>
      {recon && (
        <section aria-live="polite" aria-label={`Rekonsiliasi ${recon.date}`}>
          {!recon.reconciled ? (
            <p class="alert alert-warning" data-testid="recon-state">
              {day(recon.date)} belum direkonsiliasi: berkas settlement biller untuk tanggal itu belum
              dicocokkan (berjalan otomatis setiap pagi untuk hari sebelumnya).
            </p>
          ) : recon.items.length === 0 ? (
            <p class="alert alert-success" data-testid="recon-state">
              {day(recon.date)} sudah direkonsiliasi: tidak ada selisih.
            </p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption>Selisih rekonsiliasi {recon.date}</caption>
                <thead>
                  <tr>
                    <th scope="col">Referensi</th>
                    <th scope="col">Jenis</th>
                    <th scope="col">Pintu / biller</th>
                    <th scope="col">Tindakan</th>
                  </tr>
                </thead>
                <tbody>
                  {recon.items.map((item) => (
                    <tr key={`${item.adapter}-${item.ref_id}`}>
                      <td>
                        {item.payment_id ? (
                          <a href={href('pembayaran', item.payment_id)}>{item.ref_id}</a>
                        ) : (
                          item.ref_id
                        )}
                        <span class="muted small block">
                          {item.adapter} · {wibDateTime(item.run_at)}
                        </span>
                      </td>
                      <td>{CLASSES[item.class] ?? item.class}</td>
                      <td>
                        {item.our_status ? statusLabel(item.our_status) : '—'} / {item.upstream_status ?? '—'}
                      </td>
                      <td>{ACTIONS[item.action] ?? item.action}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}
