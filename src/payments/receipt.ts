/**
 * The struk (payment receipt) as a PDF: koperasi, member, product, customer, periods, amounts,
 * upstream reference and, for PLN prepaid, the token in 4-digit groups.
 */
import { formatPeriode } from '../bulan.js';
import { formatWib } from '../clock.js';
import { formatRupiah } from '../money.js';
import { maskCustomerNo } from '../privacy.js';
import { type StrukLayout, openStruk } from '../struk.js';
import type { PaymentRow } from './repository.js';

export interface ReceiptInput {
  payment: PaymentRow & { memberNo: string | null };
  koperasiName: string;
  /** The paying member's name; for a cash customer who is not a member, the name they gave (or null). */
  memberName: string | null;
  productName: string;
  /** A payment taken at the counter: the kasir's name. */
  kasirName?: string | null;
}

/** `compress: false` leaves the text readable in the file (tests read it back). */
export function renderReceipt(
  input: ReceiptInput,
  options: { compress?: boolean; layout?: StrukLayout } = {},
): Promise<Buffer> {
  const { payment } = input;
  const { doc, row, rule, pt, finish } = openStruk({
    title: `Struk ${payment.id}`,
    koperasiName: input.koperasiName,
    heading: 'STRUK PEMBAYARAN',
    state: payment.status === 'refunded' ? 'DIBATALKAN / DANA KEMBALI' : 'BERHASIL',
    compress: options.compress,
    layout: options.layout,
  });
  row(
    'Waktu',
    formatWib(payment.finishedAt ?? payment.createdAt)
      .replace('T', ' ')
      .replace('+07:00', ' WIB'),
  );
  if (payment.memberNo !== null) row('Anggota', `${input.memberName ?? ''} (${payment.memberNo})`);
  else row('Pelanggan', input.memberName ?? 'Pelanggan loket');
  if (payment.channel === 'counter') row('Loket', input.kasirName ?? '-');
  if (payment.channel === 'autodebet') row('Cara bayar', 'Autodebet');
  row('Dibayar dengan', payment.funding === 'cash' ? 'Tunai' : 'Simpanan sukarela');
  row('Produk', input.productName);
  row('No. pelanggan', maskCustomerNo(payment.customerNo));
  row('Nama', payment.customerName);
  if (payment.periods.length > 0) row('Periode', payment.periods.map(formatPeriode).join(', '));
  if (payment.months) row('Jumlah bulan', String(payment.months));
  rule();
  row('Tagihan', formatRupiah(payment.billAmount));
  if (payment.penalty > 0n) row('Denda', formatRupiah(payment.penalty));
  row('Biaya admin', formatRupiah(payment.adminFee));
  row('Biaya koperasi', formatRupiah(payment.koperasiFee));
  doc.moveDown(0.2);
  row('TOTAL', formatRupiah(payment.total));
  rule();
  row('Ref. penyedia', payment.upstreamRef ?? '-');
  row('ID transaksi', payment.id);
  if (payment.token) {
    doc.moveDown(0.4).font('Helvetica').fontSize(pt(7.5)).text('TOKEN LISTRIK', { align: 'center' });
    doc.font('Helvetica-Bold').fontSize(pt(11)).text(payment.token, { align: 'center' });
  }
  return finish(
    payment.funding === 'cash'
      ? 'Simpan struk ini sebagai bukti pembayaran yang sah. Dibayar tunai di loket koperasi melalui Pintu.'
      : 'Simpan struk ini sebagai bukti pembayaran yang sah. Dibayar dari simpanan sukarela melalui Pintu.',
  );
}
