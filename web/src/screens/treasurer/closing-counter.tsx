/** Tutup hari's counter (loket) section: desk payments by funding, and the cash of the kasir's shifts. */
import { type CounterClosing, differenceText } from '../../counter';
import { count, rupiah } from '../../format';
import { href } from '../../router';

export function ClosingCounter({ counter }: { counter: CounterClosing | null | undefined }) {
  if (!counter) return null;
  const { payments, cash } = counter;
  return (
    <section aria-label="Loket" data-testid="closing-counter">
      <h3>Loket (kasir)</h3>
      <dl class="rows">
        <dt>Tunai berhasil ({count(payments.cash.count)})</dt>
        <dd class="money">{rupiah(payments.cash.total)}</dd>
        <dt>Dari simpanan berhasil ({count(payments.savings.count)})</dt>
        <dd class="money">{rupiah(payments.savings.total)}</dd>
        <dt>Biaya koperasi dari loket</dt>
        <dd class="money">{rupiah(payments.cash.fee + payments.savings.fee)}</dd>
        <dt>Gagal (tunai / simpanan)</dt>
        <dd>
          {count(payments.cash.failed)} / {count(payments.savings.failed)}
        </dd>
        <dt>Modal awal laci ({count(cash.shifts)} shift)</dt>
        <dd class="money">{rupiah(cash.floats)}</dd>
        <dt>Uang tunai diterima</dt>
        <dd class="money">{rupiah(cash.taken)}</dd>
        <dt>Uang tunai dikembalikan</dt>
        <dd class="money">{rupiah(cash.returned)}</dd>
        <dt>Kas seharusnya saat tutup shift</dt>
        <dd class="money">{rupiah(cash.expected)}</dd>
        <dt>Kas dihitung</dt>
        <dd class="money">{rupiah(cash.counted)}</dd>
        <dt class="total">Selisih kas</dt>
        <dd class="total" data-testid="closing-counter-difference">
          {differenceText(cash.difference, rupiah)}
        </dd>
      </dl>
      {cash.openShifts > 0 && (
        <p class="alert alert-warning">
          <a href={href('kasir')}>{count(cash.openShifts)} shift kasir belum ditutup</a>
        </p>
      )}
      {cash.owed > 0 && (
        <p class="alert alert-error">Uang tunai pelanggan belum dikembalikan: {rupiah(cash.owed)}</p>
      )}
    </section>
  );
}
