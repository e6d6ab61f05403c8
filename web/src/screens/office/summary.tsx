/** "Ringkasan bulanan": the region's monthly summary, one line per koperasi, as XLSX or PDF. */
import { useState } from 'preact/hooks';
import { query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { download } from '../../download';
import { messageFor } from '../../errors';
import { fileSize, monthName, todayWib } from '../../format';

const FORMATS = [
  { format: 'xlsx', label: 'Excel (XLSX)' },
  { format: 'pdf', label: 'PDF' },
] as const;

export function MonthlySummary() {
  const thisMonth = todayWib().slice(0, 7);
  const [month, setMonth] = useState(thisMonth);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const fetchSummary = async (format: string) => {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return setError('Pilih bulan ringkasan.');
    setBusy(format);
    setError(undefined);
    setDone(undefined);
    try {
      const file = await download(
        `/v1/office/summary${query({ month, format })}`,
        `ringkasan-${month}.${format}`,
      );
      setDone(`Berkas ${file.name} (${fileSize(file.size)}) sudah diunduh.`);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section class="card" aria-labelledby="summary-title">
      <h2 id="summary-title">Ringkasan bulanan</h2>
      <p class="muted small">
        Satu baris per koperasi di wilayah Anda: jumlah dan nilai pembayaran, pendapatan biaya, setoran, dan
        masalah yang masih terbuka{/^\d{4}-\d{2}$/.test(month) ? ` untuk ${monthName(month)}` : ''}.
      </p>
      <div class="field month-field">
        <label for="summary-month">Bulan</label>
        <input
          id="summary-month"
          type="month"
          value={month}
          max={thisMonth}
          onInput={(e) => setMonth(e.currentTarget.value)}
          required
        />
      </div>
      <div class="actions">
        {FORMATS.map(({ format, label }) => (
          <button
            key={format}
            type="button"
            class="button primary"
            onClick={() => void fetchSummary(format)}
            disabled={busy !== undefined}
            aria-busy={busy === format}
          >
            {busy === format ? 'Mengunduh…' : `Unduh ${label}`}
          </button>
        ))}
      </div>
      <StatusMessage message={done} tone="success" />
      <ErrorMessage message={error} />
    </section>
  );
}
