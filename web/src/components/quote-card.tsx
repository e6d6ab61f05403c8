/** The quote of an inquiry: who, which periods, and every part of the total. */
import { period, rupiah, wibTime } from '../format';
import type { Quote } from '../types';

export function QuoteCard({ quote, productName }: { quote: Quote; productName: string }) {
  return (
    <section class="card quote" aria-labelledby="quote-title">
      <h2 id="quote-title" tabIndex={-1}>
        Rincian tagihan
      </h2>
      <dl class="rows">
        <dt>Produk</dt>
        <dd>{productName}</dd>
        <dt>Nama pelanggan</dt>
        <dd data-testid="customer-name">{quote.customerName}</dd>
        <dt>Nomor pelanggan</dt>
        <dd>{quote.customerNo}</dd>
        {quote.periods.length > 0 && (
          <>
            <dt>Periode</dt>
            <dd>{quote.periods.map((p) => period(p.period)).join(', ')}</dd>
          </>
        )}
        {quote.months !== null && (
          <>
            <dt>Jumlah bulan</dt>
            <dd>{quote.months} bulan</dd>
          </>
        )}
        <dt>{quote.denomination !== null ? 'Nominal token' : 'Tagihan'}</dt>
        <dd class="money">{rupiah(quote.billAmount)}</dd>
        <dt>Denda</dt>
        <dd class="money">{rupiah(quote.penalty)}</dd>
        <dt>Biaya admin</dt>
        <dd class="money">{rupiah(quote.adminFee)}</dd>
        <dt>Biaya koperasi</dt>
        <dd class="money">{rupiah(quote.koperasiFee)}</dd>
        <dt class="total">Total</dt>
        <dd class="total money" data-testid="quote-total">
          {rupiah(quote.total)}
        </dd>
      </dl>
      <p class="muted small">Berlaku sampai {wibTime(quote.expiresAt)}. Setelah itu cek tagihan lagi.</p>
    </section>
  );
}
