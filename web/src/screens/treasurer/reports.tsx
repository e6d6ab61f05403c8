/** Reports (CSV, XLSX, PDF) for a day, a month or a range of days, and the reconciliation results of a WIB date. */
import { useState } from 'preact/hooks';
import { get, query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { download } from '../../download';
import { messageFor } from '../../errors';
import { day, fileSize, statusLabel, todayWib, wibDateTime } from '../../format';
import { href } from '../../router';
import type { ReconItem } from '../../types';
import { DateField } from './date-field';

const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'Excel (XLSX)' },
  { format: 'pdf', label: 'PDF' },
] as const;

const CLASSES: Record<string, string> = {
  amount_mismatch: 'Selisih nominal',
  status_mismatch: 'Status berbeda',
  missing_upstream: 'Tidak ada di penyedia tagihan',
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

type Mode = 'day' | 'month' | 'range';

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'day', label: 'Satu hari' },
  { mode: 'month', label: 'Satu bulan' },
  { mode: 'range', label: 'Rentang tanggal' },
];

/** Days from..to inclusive; the API takes at most 366 (a year for the RAT). */
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

export function Reports() {
  const [mode, setMode] = useState<Mode>('day');
  const [date, setDate] = useState(todayWib);
  const [month, setMonth] = useState(() => todayWib().slice(0, 7));
  const [from, setFrom] = useState(() => `${todayWib().slice(0, 7)}-01`);
  const [to, setTo] = useState(todayWib);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [recon, setRecon] = useState<{ date: string; reconciled: boolean; items: ReconItem[] } | null>(null);
  const [reconBusy, setReconBusy] = useState(false);
  const [reconError, setReconError] = useState<string>();

  /** The download's path, or a sentence saying what is missing. */
  const target = (format: string): { path: string; name: string } | string => {
    if (mode === 'day')
      return validDate(date)
        ? { path: `/v1/reports/daily${query({ date, format })}`, name: `laporan-${date}.${format}` }
        : 'Pilih tanggal laporan.';
    if (mode === 'month')
      return /^\d{4}-\d{2}$/.test(month)
        ? { path: `/v1/reports/range${query({ month, format })}`, name: `laporan-${month}.${format}` }
        : 'Pilih bulan laporan.';
    if (!validDate(from) || !validDate(to)) return 'Pilih tanggal awal dan tanggal akhir.';
    const days = daysBetween(from, to);
    if (days < 1) return 'Tanggal akhir harus sama dengan atau sesudah tanggal awal.';
    if (days > 366) return `Rentang paling panjang 366 hari (satu tahun); yang dipilih ${days} hari.`;
    return {
      path: `/v1/reports/range${query({ from, to, format })}`,
      name: `laporan-${from}_${to}.${format}`,
    };
  };

  const fetchReport = async (format: string) => {
    const chosen = target(format);
    if (typeof chosen === 'string') return setError(chosen);
    setBusy(format);
    setError(undefined);
    setDone(undefined);
    try {
      const file = await download(chosen.path, chosen.name);
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
      <PageTitle title="Laporan">Laporan harian, bulanan dan per periode</PageTitle>
      <div class="card">
        <div class="chips" role="group" aria-label="Jenis laporan">
          {MODES.map((m) => (
            <button
              key={m.mode}
              type="button"
              class="chip"
              aria-pressed={mode === m.mode}
              onClick={() => {
                setMode(m.mode);
                setError(undefined);
              }}
            >
              {m.label}
            </button>
          ))}
        </div>
        {mode === 'day' && (
          <DateField id="report-date" label="Tanggal (WIB)" value={date} onValue={setDate} max={todayWib()} />
        )}
        {mode === 'month' && (
          <DateField
            id="report-month"
            label="Bulan"
            value={month}
            onValue={setMonth}
            max={todayWib().slice(0, 7)}
            month
          />
        )}
        {mode === 'range' && (
          <div class="date-range">
            <DateField
              id="report-from"
              label="Dari tanggal"
              value={from}
              onValue={setFrom}
              max={todayWib()}
            />
            <DateField id="report-to" label="Sampai tanggal" value={to} onValue={setTo} max={todayWib()} />
          </div>
        )}
        <p class="muted small">
          {mode === 'day'
            ? 'Semua pembayaran hari itu, total, pendapatan biaya dan komisi, utang ke penyedia tagihan, serta yang masih menunggu kepastian.'
            : 'Semua pembayaran pada periode itu, satu baris per hari, dan total periode (untuk RAT: pilih rentang satu tahun, paling panjang 366 hari).'}
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

      {mode === 'day' && (
        <>
          <h2>Rekonsiliasi</h2>
          <form class="card" onSubmit={(e) => void showRecon(e)}>
            <p class="muted small">
              Hasil pencocokan dengan file rekonsiliasi dari penyedia tagihan untuk tanggal harian di atas
              (berjalan otomatis setiap pagi untuk hari sebelumnya). Hanya yang tidak cocok yang ditampilkan.
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
                  {day(recon.date)} belum direkonsiliasi: file rekonsiliasi penyedia tagihan untuk tanggal itu
                  belum dicocokkan (berjalan otomatis setiap pagi untuk hari sebelumnya).
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
                        <th scope="col">Pintu / penyedia</th>
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
                            {item.our_status ? statusLabel(item.our_status) : '—'} /{' '}
                            {item.upstream_status ?? '—'}
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
      )}
    </>
  );
}
