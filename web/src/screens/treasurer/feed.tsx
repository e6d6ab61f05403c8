import { useState } from 'preact/hooks';
import { PageTitle } from '../../components/page-title';
import { PaymentList } from '../../components/payment-list';
import type { PaymentStatus } from '../../types';
import { type Today, TodayStrip } from './today-strip';

const FILTERS: { status: PaymentStatus | undefined; label: string }[] = [
  { status: undefined, label: 'Semua' },
  { status: 'success', label: 'Berhasil' },
  { status: 'processing', label: 'Diproses' },
  { status: 'suspect', label: 'Menunggu kepastian' },
  { status: 'failed', label: 'Gagal' },
  { status: 'refunded', label: 'Dana kembali' },
];

/** Every payment of the koperasi as it happens, with the day at a glance and a filter by status. */
export function LiveFeed({ today }: { today: Today | null }) {
  const [status, setStatus] = useState<PaymentStatus | undefined>(undefined);
  return (
    <>
      <PageTitle title="Transaksi">Transaksi koperasi</PageTitle>
      <TodayStrip data={today} />
      <p class="muted">
        Pembayaran anggota muncul di sini secara langsung (tanda “Langsung” di atas menunjukkan sambungannya).
      </p>
      <div class="chips" role="group" aria-label="Saring menurut status">
        {FILTERS.map((f) => (
          <button
            key={f.label}
            type="button"
            class="chip"
            aria-pressed={status === f.status}
            onClick={() => setStatus(f.status)}
          >
            {f.label}
          </button>
        ))}
      </div>
      <PaymentList
        key={status ?? 'all'}
        status={status}
        label="Transaksi terbaru"
        empty={status ? 'Tidak ada transaksi dengan status ini.' : 'Belum ada transaksi.'}
        showMember
      />
    </>
  );
}
