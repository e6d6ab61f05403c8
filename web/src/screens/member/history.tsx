import { PageTitle } from '../../components/page-title';
import { PaymentList } from '../../components/payment-list';

export function History() {
  return (
    <>
      <PageTitle title="Riwayat">Riwayat pembayaran</PageTitle>
      <PaymentList label="Riwayat pembayaran" empty="Belum ada pembayaran." />
    </>
  );
}
