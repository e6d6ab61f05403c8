/**
 * The end of a shift: the kasir counts the drawer, sees what the books expect against what was counted and the
 * difference before confirming, then the closed shift's summary. Refused while cash of a failed payment is still
 * to be handed back (the count would not match).
 */
import { useState } from 'preact/hooks';
import { post } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import { type CurrentShift, type Shift, differenceText } from '../../counter';
import { messageFor } from '../../errors';
import { parseRupiah, rupiah, wibDateTime } from '../../format';
import { RetryableKey } from '../../idempotency';
import { href } from '../../router';

const keys = new RetryableKey();

export function ShiftSummary({ shift }: { shift: Shift }) {
  return (
    <dl class="rows" data-testid="shift-summary">
      <dt>Dibuka</dt>
      <dd>{wibDateTime(shift.openedAt)}</dd>
      {shift.closedAt && (
        <>
          <dt>Ditutup</dt>
          <dd>
            {wibDateTime(shift.closedAt)}
            {shift.closedBy ? ` oleh ${shift.closedBy}` : ''}
          </dd>
        </>
      )}
      <dt>Modal awal laci</dt>
      <dd class="money">{rupiah(shift.openingFloat)}</dd>
      <dt>Tunai diterima ({shift.cash.taken.count})</dt>
      <dd class="money">{rupiah(shift.cash.taken.total)}</dd>
      <dt>Dikembalikan ({shift.cash.returned.count})</dt>
      <dd class="money">{rupiah(shift.cash.returned.total)}</dd>
      <dt>Dari simpanan ({shift.savings.count})</dt>
      <dd class="money">{rupiah(shift.savings.total)}</dd>
      <dt class="total">Kas seharusnya</dt>
      <dd class="total money" data-testid="shift-expected">
        {rupiah(shift.expected)}
      </dd>
      {shift.counted !== null && shift.difference !== null && (
        <>
          <dt>Dihitung</dt>
          <dd class="money">{rupiah(shift.counted)}</dd>
          <dt>Selisih</dt>
          <dd class={`money ${shift.difference < 0 ? 'counter-short' : ''}`} data-testid="shift-difference">
            {differenceText(shift.difference, rupiah)}
          </dd>
        </>
      )}
    </dl>
  );
}

export function CloseShift({ current, onChanged }: { current: CurrentShift; onChanged: () => void }) {
  const [counted, setCounted] = useState('');
  const [note, setNote] = useState('');
  const [checking, setChecking] = useState(false);
  const [closed, setClosed] = useState<Shift | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const amount = parseRupiah(counted);

  if (closed)
    return (
      <PageTitle title="Shift ditutup">
        <h1>Shift ditutup</h1>
        <section class="card counter-narrow">
          <ShiftSummary shift={closed} />
          <p class="muted small">
            Serahkan uang di laci ke bendahara. Selisih sudah dicatat di buku sebagai selisih kas.
          </p>
        </section>
      </PageTitle>
    );
  const shift = current.shift;
  if (!shift)
    return (
      <PageTitle title="Tutup shift">
        <h1>Tutup shift</h1>
        <p>Tidak ada shift yang sedang dibuka.</p>
      </PageTitle>
    );
  const difference = amount === undefined ? undefined : amount - shift.expected;

  const confirm = async () => {
    if (amount === undefined) return;
    setBusy(true);
    setError(undefined);
    const body = { counted: amount, ...(note.trim() ? { note: note.trim() } : {}) };
    try {
      const result = await post<Shift>(`/v1/counter/shifts/${shift.id}/close`, body, {
        'idempotency-key': keys.for(body),
      });
      keys.answered();
      setClosed(result);
      onChanged();
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageTitle title="Tutup shift">
      <h1>Tutup shift</h1>
      {current.cashToReturn.length > 0 && (
        <div class="alert alert-error counter-return" role="alert">
          Kembalikan dulu uang tunai {current.cashToReturn.length} pembayaran gagal (
          {rupiah(current.cashToReturn.reduce((s, p) => s + p.total, 0))}) di{' '}
          <a href={href('transaksi')}>Transaksi shift</a>, lalu tutup shift.
        </div>
      )}
      <div class="counter-columns">
        <section class="card">
          <h2>Shift ini</h2>
          <ShiftSummary shift={shift} />
        </section>
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            if (amount === undefined) setError('Tulis jumlah uang yang Anda hitung di laci (boleh 0).');
            else setChecking(true);
          }}
          noValidate
        >
          <h2>Hitung uang di laci</h2>
          <Field
            label="Uang dihitung (Rp)"
            name="counted"
            inputMode="numeric"
            value={counted}
            onValue={(v) => {
              setCounted(v);
              setChecking(false);
            }}
            hint={amount !== undefined ? rupiah(amount) : 'Hitung semua uang kertas dan koin di laci'}
            required
          />
          <Field label="Catatan (boleh kosong)" name="note" value={note} onValue={setNote} maxLength={500} />
          {!checking && (
            <button type="submit" class="button primary block">
              Periksa selisih
            </button>
          )}
          {checking && amount !== undefined && difference !== undefined && (
            <div class="counter-check" aria-live="polite">
              <dl class="rows">
                <dt>Kas seharusnya</dt>
                <dd class="money">{rupiah(shift.expected)}</dd>
                <dt>Dihitung</dt>
                <dd class="money">{rupiah(amount)}</dd>
                <dt class="total">Selisih</dt>
                <dd
                  class={`total money ${difference < 0 ? 'counter-short' : ''}`}
                  data-testid="close-difference"
                >
                  {differenceText(difference, rupiah)}
                </dd>
              </dl>
              <button
                type="button"
                class="button primary block"
                onClick={() => void confirm()}
                disabled={busy}
                aria-busy={busy}
              >
                Tutup shift dengan {rupiah(amount)}
              </button>
            </div>
          )}
          <ErrorMessage message={error} />
        </form>
      </div>
    </PageTitle>
  );
}
