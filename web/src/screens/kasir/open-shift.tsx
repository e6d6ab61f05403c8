/** The start of a shift: the kasir counts the float the treasurer gave for change and opens the drawer with it. */
import { useState } from 'preact/hooks';
import { post } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import type { CashToReturn } from '../../counter';
import { messageFor } from '../../errors';
import { parseRupiah, rupiah } from '../../format';
import { RetryableKey } from '../../idempotency';

const keys = new RetryableKey();

export function OpenShift({
  onOpened,
  cashToReturn,
}: {
  onOpened: () => void;
  cashToReturn: CashToReturn[];
}) {
  const [float, setFloat] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const amount = parseRupiah(float);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (amount === undefined) {
      setError('Tulis modal awal laci dalam rupiah (boleh 0).');
      return;
    }
    setBusy(true);
    setError(undefined);
    const body = { openingFloat: amount };
    try {
      await post('/v1/counter/shifts', body, { 'idempotency-key': keys.for(body) });
      keys.answered();
      onOpened();
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageTitle title="Buka shift">
      <h1>Buka shift</h1>
      {cashToReturn.length > 0 && (
        <div class="alert alert-error counter-return" role="alert">
          Ada {cashToReturn.length} pembayaran tunai gagal yang uangnya belum dikembalikan (
          {rupiah(cashToReturn.reduce((s, p) => s + p.total, 0))}). Buka shift, lalu kembalikan uangnya di
          Transaksi shift.
        </div>
      )}
      <form class="card counter-narrow" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          Hitung uang kembalian yang Anda terima dari bendahara dan tulis jumlahnya. Uang ini dicatat pindah
          dari kas koperasi ke laci Anda.
        </p>
        <Field
          label="Modal awal laci (Rp)"
          name="openingFloat"
          inputMode="numeric"
          value={float}
          onValue={setFloat}
          hint={amount !== undefined ? rupiah(amount) : 'Contoh: 200.000'}
          required
        />
        <ErrorMessage message={error} />
        <button type="submit" class="button primary block" disabled={busy} aria-busy={busy}>
          Buka shift{amount !== undefined ? ` dengan ${rupiah(amount)}` : ''}
        </button>
      </form>
    </PageTitle>
  );
}
