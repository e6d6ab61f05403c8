/**
 * The struk (payment receipt) as a PDF: koperasi, member, product, customer, periods, amounts,
 * upstream reference and, for PLN prepaid, the token in 4-digit groups.
 */
import PDFDocument from 'pdfkit';
import { formatPeriode } from '../bulan.js';
import { formatWib } from '../clock.js';
import { formatRupiah } from '../money.js';
import { maskCustomerNo } from '../privacy.js';
import type { PaymentRow } from './repository.js';

export interface ReceiptInput {
  payment: PaymentRow & { memberNo: string };
  koperasiName: string;
  memberName: string;
  productName: string;
}

/** `compress: false` leaves the text readable in the file (tests read it back). */
export function renderReceipt(input: ReceiptInput, options: { compress?: boolean } = {}): Promise<Buffer> {
  const { payment } = input;
  const doc = new PDFDocument({
    size: [226, 600],
    margin: 14,
    compress: options.compress ?? true,
    info: { Title: `Struk ${payment.id}`, Author: 'Pintu' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const row = (label: string, value: string) => {
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .text(label, { continued: true })
      .font('Helvetica-Bold')
      .text(`  ${value}`, { align: 'right' });
  };
  const rule = () =>
    doc.moveDown(0.3).fontSize(7).font('Helvetica').text('-'.repeat(52), { align: 'center' }).moveDown(0.3);

  doc.font('Helvetica-Bold').fontSize(10).text(input.koperasiName, { align: 'center' });
  doc.font('Helvetica').fontSize(7.5).text('STRUK PEMBAYARAN', { align: 'center' });
  doc.text(payment.status === 'refunded' ? 'DIBATALKAN / DIKEMBALIKAN' : 'BERHASIL', { align: 'center' });
  rule();
  row(
    'Waktu',
    formatWib(payment.finishedAt ?? payment.createdAt)
      .replace('T', ' ')
      .replace('+07:00', ' WIB'),
  );
  row('Anggota', `${input.memberName} (${payment.memberNo})`);
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
  row('Ref. biller', payment.upstreamRef ?? '-');
  row('ID transaksi', payment.id);
  if (payment.token) {
    doc.moveDown(0.4).font('Helvetica').fontSize(7.5).text('TOKEN LISTRIK', { align: 'center' });
    doc.font('Helvetica-Bold').fontSize(11).text(payment.token, { align: 'center' });
  }
  rule();
  doc
    .font('Helvetica')
    .fontSize(6.5)
    .text(
      'Simpan struk ini sebagai bukti pembayaran yang sah. Dibayar dari simpanan sukarela melalui Pintu.',
      {
        align: 'center',
      },
    );
  doc.end();
  return done;
}
