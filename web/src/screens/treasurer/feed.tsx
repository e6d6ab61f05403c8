import { PageTitle } from '../../components/page-title';
import { PaymentList } from '../../components/payment-list';
import { TodayStrip } from './today-strip';

/** Every payment of the koperasi as it happens. */
export function LiveFeed() {
  return (
    <>
      <PageTitle title="Transaksi">Transaksi koperasi</PageTitle>
      <TodayStrip />
      <p class="muted">
        Pembayaran anggota muncul di sini secara langsung (tanda “Langsung” di atas menunjukkan sambungannya).
      </p>
      <PaymentList label="Transaksi terbaru" empty="Belum ada transaksi." showMember />
    </>
  );
}
