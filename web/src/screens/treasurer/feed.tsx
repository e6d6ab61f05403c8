import { useState } from 'preact/hooks';
import { PageTitle } from '../../components/page-title';
import { PaymentList } from '../../components/payment-list';
import { StatusChips } from '../../components/status-chips';
import type { PaymentStatus } from '../../types';
import { type Today, TodayStrip } from './today-strip';

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
      <StatusChips value={status} onChange={setStatus} />
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
