import { PageTitle } from '../../components/page-title';
import { PaymentList } from '../../components/payment-list';
import { LiveIndicator } from '../../components/shell';

/** Every payment of the koperasi as it happens. */
export function LiveFeed() {
  return (
    <>
      <PageTitle title="Transaksi">Transaksi koperasi</PageTitle>
      <p class="muted">
        Pembayaran anggota muncul di sini secara langsung. <LiveIndicator />
      </p>
      <PaymentList label="Transaksi terbaru" empty="Belum ada transaksi." showMember />
    </>
  );
}
